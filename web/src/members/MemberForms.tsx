import { useId, useState, type FormEvent } from 'react';
import type { Invitation } from '../../../functions/src/api/apiTypes';
import type { Role } from '../../../functions/src/orgs/membership';
import { expiryDay, roleWords } from './invitationText';

/** What the forms of the Members tab share: the panel's one action at a time (useAction's `run`). */
interface FormProps {
  busy: string | null;
  run(what: string, work: () => Promise<string>): Promise<void>;
  refuse(why: string): void;
}

/**
 * Invite an address. The answer is the same whoever the address belongs to (the API tells an admin
 * nothing about addresses outside the organisation), and so are the words here.
 */
export function InviteForm({ busy, run, refuse, onInvite }: FormProps & { onInvite(email: string, role: Role): Promise<Invitation> }) {
  const id = useId();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('member');

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const address = email.trim();
    if (address === '') return refuse('Enter the email address of the person to invite.');
    void run('invite', async () => {
      const invitation = await onInvite(address, role);
      setEmail('');
      return (
        `${invitation.email} is invited as ${roleWords(invitation.role)} until ${expiryDay(invitation.expiresAt)}. Nothing is emailed: ` +
        'tell them to sign in (or create an account) with that address on this page, verify it, and accept.'
      );
    });
  }

  return (
    <form className="member-form" onSubmit={submit} noValidate aria-busy={busy === 'invite'}>
      <h3>Invite someone</h3>
      <div className="field">
        <label htmlFor={`${id}-email`}>Email</label>
        <input id={`${id}-email`} type="email" autoComplete="off" value={email} onChange={(event) => setEmail(event.target.value)} disabled={busy !== null} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-role`}>Role</label>
        <select id={`${id}-role`} value={role} onChange={(event) => setRole(event.target.value as Role)} disabled={busy !== null}>
          <option value="member">member</option>
          <option value="admin">admin</option>
        </select>
      </div>
      <button type="submit" className="primary" disabled={busy !== null}>
        Invite
      </button>
    </form>
  );
}

/** Give the organisation a new name (1 to 200 characters, as the API checks too). */
export function RenameForm({ busy, run, refuse, name, onRename }: FormProps & { name: string; onRename(name: string): Promise<void> }) {
  const id = useId();
  const [draft, setDraft] = useState(name);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const wanted = draft.trim();
    if (wanted === '' || wanted.length > 200) return refuse('Enter a name of 1 to 200 characters.');
    void run('rename', async () => {
      await onRename(wanted);
      setDraft(wanted);
      return `The organisation is now called ${wanted}.`;
    });
  }

  return (
    <form className="member-form" onSubmit={submit} noValidate aria-busy={busy === 'rename'}>
      <div className="field">
        <label htmlFor={`${id}-name`}>Organisation name</label>
        <input id={`${id}-name`} type="text" maxLength={200} value={draft} onChange={(event) => setDraft(event.target.value)} disabled={busy !== null} />
      </div>
      <button type="submit" disabled={busy !== null}>
        Rename
      </button>
    </form>
  );
}
