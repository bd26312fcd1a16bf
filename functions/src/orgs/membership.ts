/**
 * Membership lives in Firebase Auth custom claims, set only by the Admin SDK: `org` (the one
 * organisation a user belongs to) and `role`. Pure: what a verified token or a user record says.
 */
import { isOrgId } from './orgIds';

export type Role = 'admin' | 'member';
export const ROLES: readonly Role[] = ['admin', 'member'];

export interface Membership {
  org: string;
  role: Role;
}

/** A member of an organisation, as listed to its admins. */
export interface Member {
  uid: string;
  email: string | null;
  role: Role;
  disabled: boolean;
}

/**
 * An invitation to join an organisation, as its admins see it (GET /invitations). Times are ISO 8601.
 * `email` is normalised (normaliseEmail): an invitation is matched case-insensitively.
 */
export interface Invitation {
  id: string;
  email: string;
  role: Role;
  /** The uid of the admin who invited (`cli` for `nem12 org invite`). */
  invitedBy: string;
  createdAt: string;
  expiresAt: string;
}

/** An invitation as the invited person sees it (GET /me, once their email address is verified). */
export interface InvitationForYou {
  id: string;
  organisation: { id: string; name: string };
  role: Role;
  expiresAt: string;
}

/** How addresses are compared and stored: Auth keeps them lower-case, and people type them any way. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** The membership in a token's (or a user's) custom claims, or null when they grant none. */
export function membershipOf(claims: Record<string, unknown> | undefined | null): Membership | null {
  const org = claims?.org;
  const role = claims?.role;
  if (typeof org !== 'string' || !isOrgId(org)) return null;
  return { org, role: role === 'admin' ? 'admin' : 'member' };
}

/** The custom claims of a user: the membership replaces only `org` and `role`, keeping any others. */
export function claimsWith(claims: Record<string, unknown> | undefined, membership: Membership | null): Record<string, unknown> {
  const { org: _org, role: _role, ...others } = claims ?? {};
  return membership === null ? others : { ...others, org: membership.org, role: membership.role };
}
