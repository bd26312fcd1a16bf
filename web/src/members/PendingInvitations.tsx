import type { Invitation } from '../../../functions/src/api/apiTypes';
import { AddressTable } from './AddressTable';
import { expiryDay } from './invitationText';

/** The organisation's invitations not yet answered, each with a real button to revoke it. */
export function PendingInvitations({ invitations, busy, onRevoke }: { invitations: Invitation[]; busy: string | null; onRevoke(invitation: Invitation): void }) {
  return (
    <>
      <h3>Pending invitations</h3>
      {invitations.length === 0 ? (
        <p className="hint">No invitation is waiting for an answer.</p>
      ) : (
        <AddressTable caption="Invitations waiting for an answer">
          {invitations.map((invitation) => (
            <tr key={invitation.id}>
              <td>
                {invitation.email}
                <span className="invitation-until">until {expiryDay(invitation.expiresAt)}</span>
              </td>
              <td>{invitation.role}</td>
              <td>
                <button type="button" aria-label={`Revoke the invitation of ${invitation.email}`} disabled={busy !== null} onClick={() => onRevoke(invitation)}>
                  Revoke
                </button>
              </td>
            </tr>
          ))}
        </AddressTable>
      )}
    </>
  );
}
