import { useId } from 'react';
import type { Invitation, Member } from '../../../functions/src/api/apiTypes';
import type { Role } from '../../../functions/src/orgs/membership';
import { ActionMessages, useAction } from '../useAction';
import { AddressTable } from './AddressTable';
import { InviteForm, RenameForm } from './MemberForms';
import { PendingInvitations } from './PendingInvitations';

export interface MembersPanelProps {
  organisation: { id: string; name: string };
  state: 'loading' | 'ready' | 'error';
  members: Member[];
  invitations: Invitation[];
  error: string | null;
  currentUid: string;
  onInvite(email: string, role: Role): Promise<Invitation>;
  onRevoke(invitation: Invitation): Promise<void>;
  onRemove(member: Member): Promise<void>;
  onRename(name: string): Promise<void>;
  onRetry(): void;
}

/** An admin's view of their organisation: its name, its members (remove one), invitations (send, revoke). */
export function MembersPanel(props: MembersPanelProps) {
  const { organisation, state, members, invitations, error, currentUid, onRemove, onRetry } = props;
  const id = useId();
  const { busy, problem, done, run, refuse } = useAction();
  const forms = { busy, run, refuse };

  return (
    <section className="panel members" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Members of {organisation.name}</h2>
      <p className="hint">
        Organisation id <code>{organisation.id}</code>: its uploads, readings and SQL files are visible to its members only.
      </p>
      <RenameForm key={organisation.name} {...forms} name={organisation.name} onRename={props.onRename} />
      {state === 'loading' && <p role="status">Loading members…</p>}
      {state === 'error' && (
        <p className="form-error" role="alert">
          {error} <button type="button" onClick={onRetry}>Try again</button>
        </p>
      )}
      {state === 'ready' && (
        <>
          <AddressTable caption="Members and their roles">
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
                      onClick={() => void run(`remove:${member.uid}`, () => onRemove(member).then(() => `${member.email ?? member.uid} was removed; their access ends now.`))}
                    >
                      Remove
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </AddressTable>
          <PendingInvitations
            invitations={invitations}
            busy={busy}
            onRevoke={(invitation) => void run(`revoke:${invitation.id}`, () => props.onRevoke(invitation).then(() => `The invitation of ${invitation.email} was revoked.`))}
          />
        </>
      )}
      <InviteForm {...forms} onInvite={props.onInvite} />
      <ActionMessages problem={problem} done={done} />
    </section>
  );
}
