import { isDatabaseUnavailable } from '../load/databaseErrors';

/**
 * An answer other than 200, with a stable code (clients branch on it, not on the wording) and, for
 * bad input, the parameter at fault.
 */
export type ApiErrorCode =
  | 'UNAUTHENTICATED'
  | 'INVALID_PARAMETER'
  | 'UNKNOWN_PARAMETER'
  | 'NMI_NOT_FOUND'
  | 'NOT_FOUND'
  | 'NO_ORGANISATION'
  | 'ADMIN_ONLY'
  | 'PROVISIONING_DISABLED'
  | 'MEMBER_NOT_FOUND'
  | 'MEMBER_OF_ANOTHER_ORGANISATION'
  | 'LAST_ADMIN'
  | 'ALREADY_A_MEMBER'
  | 'INVITATION_NOT_FOUND'
  | 'EMAIL_NOT_VERIFIED'
  | 'REGISTER_INVALID'
  | 'METHOD_NOT_ALLOWED'
  | 'DATABASE_UNAVAILABLE'
  | 'INTERNAL';

const STATUS: Record<ApiErrorCode, number> = {
  UNAUTHENTICATED: 401,
  INVALID_PARAMETER: 400,
  UNKNOWN_PARAMETER: 400,
  NMI_NOT_FOUND: 404,
  NOT_FOUND: 404,
  NO_ORGANISATION: 403,
  ADMIN_ONLY: 403,
  PROVISIONING_DISABLED: 403,
  MEMBER_NOT_FOUND: 404,
  MEMBER_OF_ANOTHER_ORGANISATION: 409,
  LAST_ADMIN: 409,
  ALREADY_A_MEMBER: 409,
  INVITATION_NOT_FOUND: 404,
  EMAIL_NOT_VERIFIED: 403,
  REGISTER_INVALID: 422,
  METHOD_NOT_ALLOWED: 405,
  DATABASE_UNAVAILABLE: 503,
  INTERNAL: 500,
};

export class ApiError extends Error {
  readonly status: number;

  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly parameter?: string,
    /** More for the client: what is wrong on which line of a refused file. */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.status = STATUS[code];
  }

  toJSON() {
    return { error: { code: this.code, message: this.message, ...(this.parameter === undefined ? {} : { parameter: this.parameter }), ...this.details } };
  }
}

/** The ApiError an unexpected failure is answered with. */
export function apiErrorOf(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (isDatabaseUnavailable(error)) return new ApiError('DATABASE_UNAVAILABLE', 'The database is unavailable or too busy; try again shortly.');
  return new ApiError('INTERNAL', 'Something went wrong on our side; it has been logged.');
}
