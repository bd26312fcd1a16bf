import type { User } from 'firebase/auth';
import { lazy, Suspense, type ReactNode } from 'react';
import { Invitations } from './auth/Invitations';
import { NoOrganisation } from './auth/NoOrganisation';
import { createAccount, resetPassword, signIn, signOut, useAuthUser } from './auth/session';
import { SignInForm } from './auth/SignInForm';
import { useMembership } from './auth/useMembership';
import { useRoute } from './route';
import { useTitle } from './title';

// Firestore and Storage are most of the bundle: they load after sign-in, with the uploads page (or
// the explorer or completeness view, which follow the uploads too); the charts load with the explorer.
const UploadsPage = lazy(() => import('./UploadsPage'));
const ExplorerPage = lazy(() => import('./explorer/ExplorerPage'));
const CompletenessPage = lazy(() => import('./completeness/CompletenessPage'));
const MembersPage = lazy(() => import('./members/MembersPage'));

const loading = (
  <p className="placeholder" role="status">
    Loading…
  </p>
);

/** The page: who is signed in, their organisation, and which section. Firebase is wired in the thin hooks, not here. */
export function App() {
  const user = useAuthUser();
  useTitle(user === null ? 'Sign in' : null);
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      {user === undefined ? (
        <Frame user={null}>{loading}</Frame>
      ) : user === null ? (
        <Frame user={null}>
          <SignInForm onSignIn={signIn} onCreateAccount={createAccount} onResetPassword={resetPassword} />
        </Frame>
      ) : (
        <SignedIn key={user.uid} user={user} />
      )}
    </div>
  );
}

function SignedIn({ user }: { user: User }) {
  const membership = useMembership(user);
  const route = useRoute();
  if (membership.state === 'loading') return <Frame user={user}>{loading}</Frame>;
  if (membership.state === 'error') {
    return (
      <Frame user={user}>
        <p className="form-error" role="alert">
          {membership.error} <button type="button" onClick={membership.retry}>Try again</button>
        </p>
      </Frame>
    );
  }
  const { organisation, role } = membership.me;
  if (organisation === null) {
    return (
      <Frame user={user}>
        <Invitations me={membership.me} actions={membership} />
        <NoOrganisation email={user.email} onSignOut={() => void signOut()} onCheckAgain={membership.retry} />
      </Frame>
    );
  }
  const admin = role === 'admin';
  const page = route === 'members' && !admin ? 'uploads' : route;
  return (
    <Frame user={user} organisation={organisation.name}>
      <nav className="tabs" aria-label="Sections">
        <a href="#/" aria-current={page === 'uploads' ? 'page' : undefined}>
          Uploads
        </a>
        <a href="#/explorer" aria-current={page === 'explorer' ? 'page' : undefined}>
          Readings explorer
        </a>
        <a href="#/completeness" aria-current={page === 'completeness' ? 'page' : undefined}>
          Completeness
        </a>
        {admin && (
          <a href="#/members" aria-current={page === 'members' ? 'page' : undefined}>
            Members
          </a>
        )}
      </nav>
      <Invitations me={membership.me} actions={membership} />
      <Suspense fallback={loading}>
        {page === 'explorer' ? (
          <ExplorerPage user={user} org={organisation.id} />
        ) : page === 'completeness' ? (
          <CompletenessPage user={user} org={organisation.id} admin={admin} />
        ) : page === 'members' ? (
          <MembersPage user={user} organisation={organisation} onRenamed={membership.renamed} />
        ) : (
          <UploadsPage user={user} org={organisation.id} />
        )}
      </Suspense>
    </Frame>
  );
}

function Frame({ user, organisation, children }: { user: User | null; organisation?: string; children: ReactNode }) {
  return (
    <>
      <header className="app-header">
        <div className="brand">
          <h1>NEM12 pipeline</h1>
          <p className="hint">Meter data files into PostgreSQL, with a live status per upload</p>
        </div>
        {user && (
          <div className="account">
            {/* The organisation first: a long address is what the ellipsis cuts. */}
            <span className="account-email" title={organisation === undefined ? (user.email ?? user.uid) : `${organisation} · ${user.email ?? user.uid}`}>
              {organisation !== undefined && <span className="account-org">{organisation} · </span>}
              {user.email ?? user.uid}
            </span>
            <button type="button" onClick={() => void signOut()}>
              Sign out
            </button>
          </div>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
