/**
 * How failures of PostgreSQL (or of the way to it) are told apart from everything else, once for
 * the API (503 and retry) and the CLI (its own exit code).
 */

// Connection-level failures and server shutdowns, by Node error code or SQLSTATE: retrying later may work.
const UNAVAILABLE = /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|EPIPE|EHOSTUNREACH|08\w{3}|57P0[1-3]|53300|57014)$/;
const UNAVAILABLE_MESSAGE = /timeout exceeded when trying to connect|Connection terminated|connection is closed|Client has encountered a connection error/i;

/** The database cannot be reached, went away, or is too busy right now. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && UNAVAILABLE.test(code)) return true;
  return error instanceof Error && UNAVAILABLE_MESSAGE.test(error.message);
}

/** Any error raised by PostgreSQL (an SQLSTATE with a severity) or by the connection to it. */
export function isDatabaseError(error: unknown): boolean {
  const { code, severity } = (error ?? {}) as { code?: unknown; severity?: unknown };
  return isDatabaseUnavailable(error) || (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && typeof severity === 'string');
}
