import type { Role } from '../../../functions/src/orgs/membership';

/** Words about invitations, shared by an admin's Members tab and the invited person's view. Pure. */
export function roleWords(role: Role): string {
  return role === 'admin' ? 'an admin' : 'a member';
}

const day = new Intl.DateTimeFormat('en-AU', { day: 'numeric', month: 'short', year: 'numeric' });

/** "14 Jan 2027": the (local) day an invitation lapses. */
export function expiryDay(expiresAt: string): string {
  return day.format(new Date(expiresAt));
}
