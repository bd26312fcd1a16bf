import type { z } from 'zod';
import { OrgError } from '../orgs/organisations';
import type { ApiContext, ApiRequest, ApiResponse, Caller } from './apiContext';
import { ApiError } from './apiError';

/**
 * What the account endpoints (accountEndpoints.ts, invitationEndpoints.ts) share: their routes, the
 * admin check, the registry's refusals as API errors, and JSON bodies checked by a schema.
 */

/** A handler for one request, its route's segments bound. */
export type RequestHandler = (caller: Caller, request: ApiRequest, context: ApiContext) => Promise<ApiResponse>;

/** `ids`: the route's captured path segments (an invitation id, a uid), decoded. */
export type AccountHandler = (caller: Caller, request: ApiRequest, context: ApiContext, ids: string[]) => Promise<ApiResponse>;

export interface AccountRoute {
  path: RegExp;
  methods: Record<string, AccountHandler>;
}

export function adminOrg(caller: Caller): string {
  if (caller.membership === null) throw new ApiError('NO_ORGANISATION', 'You are not a member of an organisation yet: an admin of your organisation must invite you.');
  if (caller.membership.role !== 'admin') throw new ApiError('ADMIN_ONLY', 'Only an admin of your organisation may see or change its members and its name.');
  return caller.membership.org;
}

/** Refusals of the registry, as API errors with the same codes; a bad value names `parameter`. */
export async function orgCall<T>(work: () => Promise<T>, parameter?: string): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof OrgError)) throw error;
    switch (error.code) {
      case 'NOT_A_MEMBER':
        throw new ApiError('MEMBER_NOT_FOUND', error.message);
      case 'ORGANISATION_NOT_FOUND':
        throw new ApiError('NO_ORGANISATION', error.message);
      case 'INVALID_ORGANISATION':
      case 'ORGANISATION_EXISTS':
        throw new ApiError('INVALID_PARAMETER', error.message, parameter);
      default:
        throw new ApiError(error.code, error.message);
    }
  }
}

/** A JSON body as `schema` wants it, or a 400 naming the first field at fault. */
export function bodyOf<T extends z.ZodType>(schema: T, request: ApiRequest): z.infer<T> {
  const parsed = schema.safeParse(request.body ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const parameter = String(issue.path[0] ?? 'body');
  throw new ApiError('INVALID_PARAMETER', `${parameter}: ${issue.message}`, parameter);
}
