import { isDatabaseError, isDatabaseUnavailable } from '../load/databaseErrors';
import { LoadVerificationError } from '../load/loadErrors';

/** Exit codes: the file is fine / the file is rejected / the command line is wrong / the database failed / a bug. */
export const EXIT = { ok: 0, rejected: 1, usage: 2, database: 3, internal: 4 } as const;

/**
 * A wrong command line (exit 2), said in one line on stderr; `hint` adds a pointer to the command's
 * --help (pointless when the line says it all, as for a missing file).
 */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly hint = true,
  ) {
    super(message);
  }
}

export interface CommandFailure {
  code: 'DATABASE_UNAVAILABLE' | 'DATABASE_ERROR' | 'LOAD_VERIFICATION_FAILED' | 'INTERNAL';
  message: string;
  exit: (typeof EXIT)['database' | 'internal'];
}

/** What a failure that is not the file's fault is, in one line: its code, its message and the exit code. */
export function commandFailureOf(error: unknown): CommandFailure {
  const message = String((error as Error)?.message ?? error).replace(/\s+/g, ' ').trim();
  if (isDatabaseError(error)) {
    return { code: isDatabaseUnavailable(error) ? 'DATABASE_UNAVAILABLE' : 'DATABASE_ERROR', message, exit: EXIT.database };
  }
  if (error instanceof LoadVerificationError) return { code: error.code, message, exit: EXIT.internal };
  return { code: 'INTERNAL', message, exit: EXIT.internal };
}

/** Reports a failure on stderr (and as JSON on stdout under --json); returns the exit code. */
export function reportFailure(error: unknown, json: boolean): number {
  const failure = commandFailureOf(error);
  const what = failure.exit === EXIT.database ? 'database failure' : 'internal error';
  process.stderr.write(`nem12: ${what} (${failure.code}): ${failure.message}\n`);
  if (failure.code === 'INTERNAL' && process.env.NEM12_DEBUG) process.stderr.write(`${(error as Error)?.stack ?? ''}\n`);
  if (json) process.stdout.write(`${JSON.stringify({ ok: false, error: { code: failure.code, message: failure.message } })}\n`);
  return failure.exit;
}
