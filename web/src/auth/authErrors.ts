/** Firebase Auth error codes, in words a person can act on. Pure. */
const MESSAGES: Record<string, string> = {
  'auth/invalid-credential': 'Wrong email or password.',
  'auth/invalid-login-credentials': 'Wrong email or password.',
  'auth/wrong-password': 'Wrong email or password.',
  'auth/user-not-found': 'There is no account with this email: choose "Create account" to make one.',
  'auth/invalid-email': 'That email address is not valid.',
  'auth/missing-email': 'Enter your email address.',
  'auth/missing-password': 'Enter your password.',
  'auth/email-already-in-use': 'An account with this email already exists: sign in instead.',
  'auth/weak-password': 'That password is too weak: use at least 6 characters.',
  'auth/too-many-requests': 'Too many attempts. Wait a minute, then try again.',
  'auth/network-request-failed': 'Cannot reach the sign-in service. Check your connection and try again.',
  'auth/user-disabled': 'This account has been disabled.',
  'auth/operation-not-allowed': 'Email and password accounts are not enabled for this project.',
};

export function authErrorMessage(error: unknown): string {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  if (typeof code === 'string' && Object.hasOwn(MESSAGES, code)) return MESSAGES[code];
  return typeof code === 'string' ? `Sign-in failed (${code}). Please try again.` : 'Sign-in failed. Please try again.';
}

export const MIN_PASSWORD_LENGTH = 6;

export interface CredentialProblems {
  email?: string;
  password?: string;
}

/** Checked before asking Firebase: what is obviously wrong with the form (a reset needs only the email). */
export function credentialProblems(email: string, password: string, mode: 'sign-in' | 'create' | 'reset'): CredentialProblems {
  const problems: CredentialProblems = {};
  const trimmed = email.trim();
  if (trimmed === '') problems.email = 'Enter your email address.';
  else if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(trimmed)) problems.email = 'Enter an email address like name@example.com.';
  if (mode === 'reset') return problems;
  if (password === '') problems.password = 'Enter your password.';
  else if (mode === 'create' && password.length < MIN_PASSWORD_LENGTH) {
    problems.password = `Use at least ${MIN_PASSWORD_LENGTH} characters for a new password.`;
  }
  return problems;
}

/**
 * A password reset for an address without an account answers like any other (the emulators, and
 * projects without email enumeration protection, say "user not found": the page does not).
 */
export function isUnknownAccount(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return code === 'auth/user-not-found';
}
