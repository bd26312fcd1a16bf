/** Why the live uploads query stopped, in words. Pure. */
export function listErrorMessage(error: unknown): string {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  switch (code) {
    case 'permission-denied':
      return "permission denied: you can only see your organisation's uploads (permission-denied).";
    case 'unauthenticated':
      return 'you are signed out; sign in again (unauthenticated).';
    case 'failed-precondition':
      return 'the database needs an index on uploads (org, createdAt descending) (failed-precondition).';
    case 'unavailable':
      return 'the database cannot be reached right now (unavailable).';
    default: {
      const message = error instanceof Error ? error.message : String(error);
      return typeof code === 'string' ? `${message} (${code})` : message;
    }
  }
}
