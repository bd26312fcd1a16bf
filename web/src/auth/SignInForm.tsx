import { useId, useRef, useState, type FormEvent } from 'react';
import { authErrorMessage, credentialProblems, isUnknownAccount, type CredentialProblems } from './authErrors';

type Mode = 'sign-in' | 'create' | 'reset';

export interface SignInFormProps {
  onSignIn: (email: string, password: string) => Promise<unknown>;
  onCreateAccount: (email: string, password: string) => Promise<unknown>;
  /** Emails a link to set a new password. */
  onResetPassword: (email: string) => Promise<unknown>;
}

const BUSY: Record<Mode, string> = { 'sign-in': 'Signing in…', create: 'Creating your account…', reset: 'Asking for a link…' };

/** Email + password sign-in, with "Create account" and "Forgot your password?". The Firebase calls come in as props. */
export function SignInForm({ onSignIn, onCreateAccount, onResetPassword }: SignInFormProps) {
  const id = useId();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [problems, setProblems] = useState<CredentialProblems>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<Mode | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const emailInput = useRef<HTMLInputElement>(null);
  const passwordInput = useRef<HTMLInputElement>(null);

  async function submit(mode: Mode) {
    if (busy !== null) return;
    const found = credentialProblems(email, password, mode);
    setProblems(found);
    setError(null);
    setNotice(null);
    if (found.email !== undefined) return emailInput.current?.focus();
    if (found.password !== undefined) return passwordInput.current?.focus();
    setBusy(mode);
    const address = email.trim();
    try {
      if (mode === 'reset') {
        await onResetPassword(address).catch((caught: unknown) => {
          if (!isUnknownAccount(caught)) throw caught;
        });
        // The same words whether or not the address has an account: the form tells nobody which do.
        setNotice(`If an account exists for ${address}, a link to set a new password is on its way. Open it, choose a password, then sign in here.`);
      } else {
        await (mode === 'sign-in' ? onSignIn : onCreateAccount)(address, password);
      }
    } catch (caught) {
      setError(authErrorMessage(caught));
    } finally {
      setBusy(null);
    }
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void submit('sign-in');
  }

  return (
    <form className="panel sign-in" onSubmit={onSubmit} noValidate aria-labelledby={`${id}-title`} aria-busy={busy !== null}>
      <h2 id={`${id}-title`}>Sign in to upload files</h2>
      <div className="field">
        <label htmlFor={`${id}-email`}>Email</label>
        <input
          ref={emailInput}
          id={`${id}-email`}
          type="email"
          autoComplete="username"
          inputMode="email"
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          aria-invalid={problems.email !== undefined}
          aria-describedby={problems.email !== undefined ? `${id}-email-problem` : undefined}
          disabled={busy !== null}
        />
        {problems.email !== undefined && (
          <p id={`${id}-email-problem`} className="field-problem">
            {problems.email}
          </p>
        )}
      </div>
      <div className="field">
        <label htmlFor={`${id}-password`}>Password</label>
        <input
          ref={passwordInput}
          id={`${id}-password`}
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          aria-invalid={problems.password !== undefined}
          aria-describedby={problems.password !== undefined ? `${id}-password-problem` : undefined}
          disabled={busy !== null}
        />
        {problems.password !== undefined && (
          <p id={`${id}-password-problem`} className="field-problem">
            {problems.password}
          </p>
        )}
      </div>
      {error !== null && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy !== null}>
          Sign in
        </button>
        <button type="button" disabled={busy !== null} onClick={() => void submit('create')}>
          Create account
        </button>
        <button type="button" disabled={busy !== null} onClick={() => void submit('reset')}>
          Forgot your password?
        </button>
      </div>
      <p className="hint" role="status">
        {busy !== null ? BUSY[busy] : (notice ?? '')}
      </p>
    </form>
  );
}
