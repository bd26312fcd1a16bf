import type { Pool } from 'pg';
import type { Membership } from '../orgs/membership';
import type { OrgAdmin } from '../orgs/organisations';
import type { ResponseCache } from './responseCache';

/**
 * What every endpoint works with and answers: the request as the HTTPS function hands it over, the
 * verified caller, the context (pool, token check, cache, registry) and the response. Shared by the
 * router (handleApiRequest.ts) and the endpoints it routes to.
 */
export interface ApiRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  /** A JSON body, already parsed (POST). */
  body?: unknown;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Instead of `body`: a long answer written as it is produced (the CSV export). */
  stream?: AsyncIterable<string>;
}

/** Who is calling: from a verified ID token, never from anything else the client sent. */
export interface Caller {
  uid: string;
  email: string | null;
  /** The token's `email_verified`: answering an invitation needs it (absent: not verified). */
  emailVerified?: boolean;
  /** The custom claims' organisation and role; null for a user nobody has added to one. */
  membership: Membership | null;
}

export interface ApiContext {
  pool: Pool;
  /** The caller of a Firebase ID token; throws when the token is not valid, revoked, or its user disabled. */
  verifyIdToken(token: string): Promise<Caller>;
  cache: ResponseCache;
  /** The registry and members, for /me and /members. */
  orgs: OrgAdmin;
  /** A user without an organisation may get one of their own (the emulators' `demo-` project only). */
  provisioning: boolean;
  onError?(error: unknown, request: ApiRequest): void;
}


/** A JSON answer that is not cached (account endpoints). */
export function jsonResponse(status: number, body: unknown): ApiResponse {
  return { status, headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' }, body: JSON.stringify(body) };
}
