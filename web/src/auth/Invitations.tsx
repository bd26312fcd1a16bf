import type { MeAnswer } from '../../../functions/src/api/apiTypes';
import { expiryDay, roleWords } from '../members/invitationText';
import { ActionMessages, useAction } from '../useAction';
import type { MembershipActions } from './useMembership';

export interface InvitationsProps {
  me: MeAnswer;
  actions: Pick<MembershipActions, 'accept' | 'decline' | 'resendVerification' | 'checkVerified'>;
}

/**
 * What a signed-in person does about joining: verify their address (a user in no organisation whose
 * address is unverified: invitations show, and can be accepted, only once it is), and answer the
 * invitations waiting for it. Nothing at all when there is nothing to do.
 */
export function Invitations({ me, actions }: InvitationsProps) {
  const { busy, problem, done, run } = useAction();
  const email = me.email ?? 'your address';
  const askToVerify = me.organisation === null && !me.emailVerified;
  if (!askToVerify && me.invitations.length === 0 && problem === null && done === null) return null;

  const checkVerified = () =>
    run('check', async () => {
      if (!(await actions.checkVerified())) throw new Error(`${email} is not verified yet: open the link in the email we sent first (or send it again).`);
      return 'Your address is verified: invitations for it show here.';
    });

  return (
    <section className="panel invitations" aria-labelledby="invitations-title" aria-busy={busy !== null}>
      <h2 id="invitations-title">{askToVerify ? 'Verify your email address' : 'Invitations'}</h2>
      {askToVerify && (
        <>
          <p>
            Before you can accept an invitation to an organisation, verify <strong>{email}</strong>: open the link in the email we sent to it,
            then choose “I've verified my address”.
          </p>
          <div className="actions">
            <button type="button" className="primary" disabled={busy !== null} onClick={() => void checkVerified()}>
              I've verified my address
            </button>
            <button type="button" disabled={busy !== null} onClick={() => void run('resend', () => actions.resendVerification().then(() => `A new link is on its way to ${email}.`))}>
              Send the link again
            </button>
          </div>
        </>
      )}
      {me.invitations.length > 0 && (
        <ul className="invitation-list">
          {me.invitations.map((invitation) => {
            const name = invitation.organisation.name;
            return (
              <li key={invitation.id}>
                <p>
                  <strong>{name}</strong> invites you to join as {roleWords(invitation.role)} (until {expiryDay(invitation.expiresAt)}).
                </p>
                <div className="actions">
                  <button
                    type="button"
                    className="primary"
                    aria-label={`Accept the invitation to join ${name}`}
                    disabled={busy !== null}
                    onClick={() => void run(`accept:${invitation.id}`, () => actions.accept(invitation.id).then(() => `You joined ${name}.`))}
                  >
                    Accept
                  </button>
                  <button
                    type="button"
                    aria-label={`Decline the invitation to join ${name}`}
                    disabled={busy !== null}
                    onClick={() => void run(`decline:${invitation.id}`, () => actions.decline(invitation.id).then(() => `You declined the invitation to join ${name}.`))}
                  >
                    Decline
                  </button>
                </div>
              </li>
            );
          })}
        </ul>
      )}
      <ActionMessages problem={problem} done={done} />
    </section>
  );
}
