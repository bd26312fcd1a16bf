import { createHash } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import type { Membership } from '../orgs/membership';
import type { OrgAdmin } from '../orgs/organisations';
import { accountEndpoint } from './accountEndpoints';
import { ApiError, apiErrorOf } from './apiError';
import { nmisParams, overviewParams, parseParams, readingsCsvParams, readingsParams, statsParams } from './apiParams';
import { overview, overviewCounts } from './overviewQueries';
import { channelOf, listNmis, orgChannelsVersion, readingsPage } from './readingQueries';
import { csvFileName, readingsCsv } from './readingsCsv';
import { withSnapshot } from './snapshot';
import { channelStats } from './statsQueries';
import type { ResponseCache } from './responseCache';

/**
 * The readings API, free of any HTTP framework: a request in, a response out. `api.ts` adapts it to
 * an HTTPS function.
 *
 *   GET /overview  the organisation's data and uploads at a glance
 *   GET /nmis      the organisation's NMIs and their streams
 *   GET /readings  a stream's readings in time order, keyset-paginated
 *   GET /stats     totals, average, peak, quality breakdown, series and daily load profile
 *   GET /readings.csv  a stream's readings over any range as CSV, streamed (never cached)
 *   /me, /members  the caller and their organisation's members (accountEndpoints.ts)
 *
 * Each request: token (with its organisation) -> parameters -> (one read-only snapshot) access
 * check and data version -> cached body or query. The path may start with /api (Hosting keeps it).
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

/** Bump when a response's shape changes: cached bodies and ETags of the old shape are then unused. */
const RESPONSE_SHAPE = 1;

interface Endpoint {
  /**
   * Validates the parameters and checks access (throwing ApiErrors), then says which data version
   * the response depends on; `run` computes it when the cache does not have it.
   */
  prepare(db: PoolClient, org: string, search: URLSearchParams): Promise<{ version: string; run(): Promise<unknown> }>;
}


const ENDPOINTS: Record<string, Endpoint> = {
  '/overview': {
    async prepare(db, org, search) {
      parseParams(overviewParams, search);
      const counts = await overviewCounts(db, org);
      return { version: `${await orgChannelsVersion(db, org)}|${counts.filesLoaded}|${counts.inFlight}|${counts.failedLast7Days}`, run: () => overview(db, org, counts) };
    },
  },
  '/nmis': {
    async prepare(db, org, search) {
      const params = parseParams(nmisParams, search);
      return { version: await orgChannelsVersion(db, org), run: () => listNmis(db, org, params) };
    },
  },
  '/readings': {
    async prepare(db, org, search) {
      const params = parseParams(readingsParams, search);
      const channel = await channelOf(db, org, params);
      return { version: `${channel.id}@${channel.version}`, run: () => readingsPage(db, channel, params) };
    },
  },
  '/stats': {
    async prepare(db, org, search) {
      const params = parseParams(statsParams, search);
      const channel = await channelOf(db, org, params);
      return { version: `${channel.id}@${channel.version}`, run: () => channelStats(db, channel, params) };
    },
  },
};

export async function handleApiRequest(request: ApiRequest, context: ApiContext): Promise<ApiResponse> {
  try {
    const url = new URL(request.url, 'http://api.invalid');
    const route = url.pathname.replace(/^\/api(?=\/)/, '').replace(/\/+$/, '') || '/';
    const account = accountEndpoint(route, request.method);
    const csv = route === CSV_ROUTE;
    const endpoint = ENDPOINTS[route];
    if (account === undefined && endpoint === undefined && !csv) {
      throw new ApiError('NOT_FOUND', `${route}: no such endpoint (there are ${[...Object.keys(ENDPOINTS), CSV_ROUTE, '/me', '/members'].join(', ')})`);
    }
    if (account === null || ((endpoint !== undefined || csv) && request.method !== 'GET' && request.method !== 'HEAD')) {
      throw new ApiError('METHOD_NOT_ALLOWED', `${request.method}: not supported on ${route}`);
    }
    const caller = await authenticate(request, context);
    if (account !== undefined) return await account(caller, request, context);
    if (caller.membership === null) throw new ApiError('NO_ORGANISATION', 'You are not a member of an organisation yet: an admin of your organisation must add you.');
    const { org } = caller.membership;
    if (csv) return await csvResponse(context, org, url.searchParams);
    url.searchParams.sort();
    return await withSnapshot(context.pool, async (db) => {
      const found = await endpoint.prepare(db, org, url.searchParams);
      // The organisation is part of every key: no answer is ever served across organisations.
      const key = `${RESPONSE_SHAPE}|${org}|${route}|${found.version}|${url.searchParams.toString()}`;
      const etag = `"${createHash('sha256').update(key).digest('base64url').slice(0, 27)}"`;
      const headers = {
        'Content-Type': 'application/json; charset=utf-8',
        // Private (per user) and revalidated every time: a load may change it at any moment, and
        // revalidation is cheap (304 on a matching ETag).
        'Cache-Control': 'private, no-cache',
        Vary: 'Authorization',
        ETag: etag,
      };
      if (matches(request.headers['if-none-match'], etag)) return { status: 304, headers: { ...headers, 'X-Cache': 'hit' }, body: '' };
      const cached = context.cache.get(key);
      if (cached !== undefined) return { status: 200, headers: { ...headers, 'X-Cache': 'hit' }, body: cached };
      const body = JSON.stringify(await found.run());
      context.cache.set(key, body);
      return { status: 200, headers: { ...headers, 'X-Cache': 'miss' }, body };
    });
  } catch (error) {
    const failure = apiErrorOf(error);
    if (failure.code === 'INTERNAL' || failure.code === 'DATABASE_UNAVAILABLE') context.onError?.(error, request);
    const headers: Record<string, string> = { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' };
    if (failure.status === 401) headers['WWW-Authenticate'] = 'Bearer realm="nem12"';
    if (failure.status === 405) headers.Allow = 'GET, HEAD, POST, DELETE';
    if (failure.status === 503) headers['Retry-After'] = '5';
    return { status: failure.status, headers, body: JSON.stringify(failure) };
  }
}

const CSV_ROUTE = '/readings.csv';

/** The stream is checked (404 for one not the organisation's) before the first byte is sent. */
async function csvResponse(context: ApiContext, org: string, search: URLSearchParams): Promise<ApiResponse> {
  const params = parseParams(readingsCsvParams, search);
  await withSnapshot(context.pool, (db) => channelOf(db, org, params));
  return {
    status: 200,
    headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="${csvFileName(params)}"`, 'Cache-Control': 'private, no-store' },
    body: '',
    stream: readingsCsv(context.pool, org, params),
  };
}

async function authenticate(request: ApiRequest, context: ApiContext): Promise<Caller> {
  const header = request.headers.authorization;
  const token = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header)?.[1] : undefined;
  if (token === undefined) throw new ApiError('UNAUTHENTICATED', 'Sign in: send a Firebase ID token as "Authorization: Bearer <token>".');
  try {
    return await context.verifyIdToken(token);
  } catch {
    throw new ApiError('UNAUTHENTICATED', 'The ID token is not valid (expired, revoked, malformed, or the account is disabled): sign in again.');
  }
}

/** A JSON answer that is not cached (account endpoints). */
export function jsonResponse(status: number, body: unknown): ApiResponse {
  return { status, headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' }, body: JSON.stringify(body) };
}

function matches(ifNoneMatch: string | string[] | undefined, etag: string): boolean {
  if (typeof ifNoneMatch !== 'string') return false;
  return ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag || tag.trim() === '*');
}
