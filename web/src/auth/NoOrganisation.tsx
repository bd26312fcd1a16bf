/** A signed-in user nobody has added to an organisation: they see nothing, and are told why. */
export function NoOrganisation({ email, onSignOut, onCheckAgain }: { email: string | null; onSignOut: () => void; onCheckAgain: () => void }) {
  return (
    <section className="panel no-organisation" aria-labelledby="no-org-title">
      <h2 id="no-org-title">You are not in an organisation yet</h2>
      <p>
        You are signed in as <strong>{email ?? 'this account'}</strong>, but no organisation has added you. Meter data belongs to the
        organisation that uploaded it: ask an admin of yours to add you (on the Members page, or with{' '}
        <code>nem12 org add-member ORG {email ?? 'EMAIL'}</code>), then check again.
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
