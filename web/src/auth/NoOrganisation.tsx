/** A signed-in user in no organisation: they see nothing of anyone's data, and are told how to join. */
export function NoOrganisation({ email, onSignOut, onCheckAgain }: { email: string | null; onSignOut: () => void; onCheckAgain: () => void }) {
  return (
    <section className="panel no-organisation" aria-labelledby="no-org-title">
      <h2 id="no-org-title">You are not in an organisation yet</h2>
      <p>
        You are signed in as <strong>{email ?? 'this account'}</strong>, but you are not a member of any organisation. Meter data belongs to
        the organisation that uploaded it: ask an admin of yours to invite this address (on their Members tab, or with{' '}
        <code>nem12 org invite ORG {email ?? 'EMAIL'}</code>); the invitation then shows on this page, and you accept it.
      </p>
      <div className="actions">
        <button type="button" className="primary" onClick={onCheckAgain}>
          Check again
        </button>
        <button type="button" onClick={onSignOut}>
          Sign out
        </button>
      </div>
    </section>
  );
}
