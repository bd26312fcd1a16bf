import { lazy, Suspense } from 'react';
import { createAccount, signIn, signOut, useAuthUser } from './auth/session';
import { SignInForm } from './auth/SignInForm';
import { useRoute } from './route';

// Firestore and Storage are most of the bundle: they load after sign-in, with the uploads page;
// the charts load with the explorer.
const UploadsPage = lazy(() => import('./UploadsPage'));
const ExplorerPage = lazy(() => import('./explorer/ExplorerPage'));

/** The page: who is signed in, and which section. Firebase is wired in the thin hooks, not here. */
export function App() {
  const user = useAuthUser();
  const route = useRoute();
  const loading = (
    <p className="placeholder" role="status">
      Loading…
    </p>
  );
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <div className="brand">
          <h1>NEM12 pipeline</h1>
          <p className="hint">Meter data files into PostgreSQL, with a live status per upload</p>
        </div>
        {user && (
          <div className="account">
            <span className="account-email" title={user.email ?? user.uid}>
              {user.email ?? user.uid}
            </span>
            <button type="button" onClick={() => void signOut()}>
              Sign out
            </button>
          </div>
        )}
      </header>
      {user && (
        <nav className="tabs" aria-label="Sections">
          <a href="#/" aria-current={route === 'uploads' ? 'page' : undefined}>
            Uploads
          </a>
          <a href="#/explorer" aria-current={route === 'explorer' ? 'page' : undefined}>
            Readings explorer
          </a>
        </nav>
      )}
      <main id="main" tabIndex={-1}>
        {user === undefined ? (
          loading
        ) : user === null ? (
          <SignInForm onSignIn={signIn} onCreateAccount={createAccount} />
        ) : (
          <Suspense fallback={loading}>
            {route === 'explorer' ? <ExplorerPage key={user.uid} user={user} /> : <UploadsPage key={user.uid} user={user} />}
          </Suspense>
        )}
      </main>
    </div>
  );
}
