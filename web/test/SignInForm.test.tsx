import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { authErrorMessage } from '../src/auth/authErrors';
import { SignInForm } from '../src/auth/SignInForm';

function setup(overrides: Partial<Parameters<typeof SignInForm>[0]> = {}) {
  const onSignIn = vi.fn(async () => {});
  const onCreateAccount = vi.fn(async () => {});
  const onResetPassword = vi.fn(async () => {});
  render(<SignInForm onSignIn={onSignIn} onCreateAccount={onCreateAccount} onResetPassword={onResetPassword} {...overrides} />);
  return { onSignIn, onCreateAccount, onResetPassword, user: userEvent.setup() };
}

const authError = (code: string) => Object.assign(new Error(`Firebase: Error (${code}).`), { code });

describe('SignInForm', () => {
  it('has labelled fields and real buttons', () => {
    setup();
    expect(screen.getByLabelText('Email')).toHaveAttribute('type', 'email');
    expect(screen.getByLabelText('Password')).toHaveAttribute('type', 'password');
    expect(screen.getByRole('button', { name: 'Sign in' })).toHaveAttribute('type', 'submit');
    expect(screen.getByRole('button', { name: 'Create account' })).toBeInTheDocument();
  });

  it('signs in with the trimmed email and the password', async () => {
    const { onSignIn, onCreateAccount, user } = setup();
    await user.type(screen.getByLabelText('Email'), '  ann@example.com ');
    await user.type(screen.getByLabelText('Password'), 'secret1{Enter}');
    expect(onSignIn).toHaveBeenCalledWith('ann@example.com', 'secret1');
    expect(onCreateAccount).not.toHaveBeenCalled();
  });

  it('validates before calling Firebase', async () => {
    const { onSignIn, user } = setup();
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(onSignIn).not.toHaveBeenCalled();
    const email = screen.getByLabelText('Email');
    expect(email).toHaveAttribute('aria-invalid', 'true');
    expect(email).toHaveAccessibleDescription('Enter your email address.');
    expect(email).toHaveFocus();

    await user.type(email, 'not-an-email');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(email).toHaveAccessibleDescription('Enter an email address like name@example.com.');
    expect(screen.getByLabelText('Password')).toHaveAccessibleDescription('Enter your password.');
    expect(onSignIn).not.toHaveBeenCalled();
  });

  it('asks for at least 6 characters for a new account', async () => {
    const { onCreateAccount, user } = setup();
    await user.type(screen.getByLabelText('Email'), 'ann@example.com');
    await user.type(screen.getByLabelText('Password'), '12345');
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    expect(onCreateAccount).not.toHaveBeenCalled();
    expect(screen.getByLabelText('Password')).toHaveAccessibleDescription('Use at least 6 characters for a new password.');

    await user.type(screen.getByLabelText('Password'), '6');
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    expect(onCreateAccount).toHaveBeenCalledWith('ann@example.com', '123456');
  });

  it('shows Firebase errors in words', async () => {
    const { user } = setup({ onSignIn: vi.fn(() => Promise.reject(authError('auth/invalid-credential'))) });
    await user.type(screen.getByLabelText('Email'), 'ann@example.com');
    await user.type(screen.getByLabelText('Password'), 'wrong-password');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Wrong email or password.');
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeEnabled();
  });

  it('says so when the account already exists', async () => {
    const { user } = setup({ onCreateAccount: vi.fn(() => Promise.reject(authError('auth/email-already-in-use'))) });
    await user.type(screen.getByLabelText('Email'), 'ann@example.com');
    await user.type(screen.getByLabelText('Password'), 'secret1');
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('An account with this email already exists: sign in instead.');
  });

  it('"Forgot your password?" asks for a link with the email alone, and says the same whether or not an account exists', async () => {
    const { onResetPassword, onSignIn, user } = setup();
    await user.click(screen.getByRole('button', { name: 'Forgot your password?' }));
    expect(onResetPassword).not.toHaveBeenCalled();
    expect(screen.getByLabelText('Email')).toHaveAccessibleDescription('Enter your email address.');
    expect(screen.getByLabelText('Password')).not.toHaveAttribute('aria-invalid', 'true');

    await user.type(screen.getByLabelText('Email'), ' ann@example.com ');
    await user.click(screen.getByRole('button', { name: 'Forgot your password?' }));
    expect(onResetPassword).toHaveBeenCalledWith('ann@example.com');
    expect(onSignIn).not.toHaveBeenCalled();
    const known = screen.getByRole('status').textContent;
    expect(known).toBe('If an account exists for ann@example.com, a link to set a new password is on its way. Open it, choose a password, then sign in here.');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();

    // An address without an account (the emulators say so): the very same words, no error.
    onResetPassword.mockRejectedValueOnce(authError('auth/user-not-found'));
    await user.click(screen.getByRole('button', { name: 'Forgot your password?' }));
    expect(await screen.findByRole('status')).toHaveTextContent(known!);
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('a reset that fails for another reason says why', async () => {
    const { user } = setup({ onResetPassword: vi.fn(() => Promise.reject(authError('auth/too-many-requests'))) });
    await user.type(screen.getByLabelText('Email'), 'ann@example.com');
    await user.click(screen.getByRole('button', { name: 'Forgot your password?' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Too many attempts.');
    expect(screen.getByRole('status').textContent).toBe('');
  });

  it('is disabled while submitting', async () => {
    let finish: () => void = () => {};
    const onSignIn = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    const { user } = setup({ onSignIn });
    await user.type(screen.getByLabelText('Email'), 'ann@example.com');
    await user.type(screen.getByLabelText('Password'), 'secret1');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Forgot your password?' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Create account' })).toBeDisabled();
    expect(screen.getByLabelText('Email')).toBeDisabled();
    expect(screen.getByRole('status')).toHaveTextContent('Signing in…');
    finish();
    expect(await screen.findByRole('button', { name: 'Sign in' })).toBeEnabled();
    expect(onSignIn).toHaveBeenCalledOnce();
  });
});

describe('authErrorMessage', () => {
  it('maps known codes and keeps unknown ones visible', () => {
    expect(authErrorMessage(authError('auth/too-many-requests'))).toBe('Too many attempts. Wait a minute, then try again.');
    expect(authErrorMessage(authError('auth/network-request-failed'))).toMatch(/Cannot reach the sign-in service/);
    expect(authErrorMessage(authError('auth/something-new'))).toBe('Sign-in failed (auth/something-new). Please try again.');
    expect(authErrorMessage(new Error('boom'))).toBe('Sign-in failed. Please try again.');
    expect(authErrorMessage(authError('toString'))).toBe('Sign-in failed (toString). Please try again.');
  });
});
