import { useId, useState, type FormEvent } from 'react';
import type { Member } from '../../../functions/src/api/apiTypes';

export interface MembersPanelProps {
  organisation: { id: string; name: string };
  state: 'loading' | 'ready' | 'error';
  members: Member[];
  error: string | null;
  currentUid: string;
  onAdd(email: string, role: 'admin' | 'member'): Promise<void>;
  onRemove(member: Member): Promise<void>;
  onRetry(): void;
}

/** An admin's view of their organisation's members: who they are, add one, remove one. */
export function MembersPanel({ organisation, state, members, error, currentUid, onAdd, onRemove, onRetry }: MembersPanelProps) {
  const id = useId();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<'admin' | 'member'>('member');
  const [busy, setBusy] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  async function run(what: string, work: () => Promise<void>, success: string) {
    setBusy(what);
    setProblem(null);
    setDone(null);
    try {
      await work();
      setDone(success);
    } catch (caught) {
      setProblem((caught as Error).message);
    } finally {
      setBusy(null);
    }
  }

  function add(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const address = email.trim();
    if (address === '') return setProblem('Enter the email address of the person to add.');
    void run('add', async () => {
      await onAdd(address, role);
      setEmail('');
    }, `${address} was added as ${role === 'admin' ? 'an admin' : 'a member'}; their next sign-in shows your organisation's data.`);
  }

  return (
    <section className="panel members" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Members of {organisation.name}</h2>
      <p className="hint">
        Organisation id <code>{organisation.id}</code>: its uploads, readings and SQL files are visible to its members only.
      </p>
      {state === 'loading' && <p role="status">Loading members…</p>}
      {state === 'error' && (
        <p className="form-error" role="alert">
          {error} <button type="button" onClick={onRetry}>Try again</button>
        </p>
      )}
      {state === 'ready' && (
        <table className="members-table">
          <caption className="visually-hidden">Members and their roles</caption>
          <thead>
            <tr>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {members.map((member) => (
              <tr key={member.uid}>
                <td>
                  {member.email ?? member.uid}
                  {member.uid === currentUid ? ' (you)' : ''}
                  {member.disabled ? ' (disabled)' : ''}
                </td>
                <td>{member.role}</td>
                <td>
                  {member.uid !== currentUid && (
                    <button
                      type="button"
                      aria-label={`Remove ${member.email ?? member.uid}`}
                      disabled={busy !== null}
                      onClick={() => void run(`remove:${member.uid}`, () => onRemove(member), `${member.email ?? member.uid} was removed; their access ends now.`)}
                    >
                      Remove
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form className="add-member" onSubmit={add} noValidate aria-busy={busy === 'add'}>
        <h3>Add a member</h3>
        <div className="field">
          <label htmlFor={`${id}-email`}>Email</label>
          <input id={`${id}-email`} type="email" value={email} onChange={(event) => setEmail(event.target.value)} disabled={busy !== null} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-role`}>Role</label>
          <select id={`${id}-role`} value={role} onChange={(event) => setRole(event.target.value as 'admin' | 'member')} disabled={busy !== null}>
            <option value="member">member</option>
            <option value="admin">admin</option>
          </select>
        </div>
        <button type="submit" className="primary" disabled={busy !== null}>
          Add
        </button>
      </form>
      {problem !== null && (
        <p className="form-error" role="alert">
          {problem}
        </p>
      )}
      <p className="hint" role="status">
        {done ?? ''}
      </p>
    </section>
  );
}
