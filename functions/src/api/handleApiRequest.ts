import { createHash } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { ApiError, apiErrorOf } from './apiError';
import { nmisParams, parseParams, readingsParams, statsParams } from './apiParams';
import { channelStats, listNmis, ownedChannel, ownedChannelsVersion, readingsPage, type OwnedChannel } from './readingQueries';
import type { ResponseCache } from './responseCache';

/**
 * The readings API, free of any HTTP framework: a request in, a response out. `api.ts` adapts it to
 * an HTTPS function.
 *
 *   GET /nmis      the user's NMIs and their streams
 *   GET /readings  a stream's readings in time order, keyset-paginated
 *   GET /stats     totals, average, peak, quality breakdown, series and daily load profile
 *
 * Each request: token -> parameters -> (one read-only snapshot) access check and data version ->
 * cached body or query. The path may start with /api (Hosting's rewrite keeps it).
 */
export interface ApiRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface ApiContext {
  pool: Pool;
  /** The signed-in user of a Firebase ID token; throws when the token is not valid. */
  verifyIdToken(token: string): Promise<{ uid: string }>;
  cache: ResponseCache;
  onError?(error: unknown, request: ApiRequest): void;
}

/** Bump when a response's shape changes: cached bodies and ETags of the old shape are then unused. */
const RESPONSE_SHAPE = 1;
const STATEMENT_TIMEOUT_MS = 10_000;

interface Endpoint {
  /**
   * Validates the parameters and checks access (throwing ApiErrors), then says which data version
   * the response depends on; `run` computes it when the cache does not have it.
   */
  prepare(db: PoolClient, uid: string, search: URLSearchParams): Promise<{ version: string; run(): Promise<unknown> }>;
}

const channelOf = async (db: PoolClient, uid: string, params: { nmi: string; suffix: string }): Promise<OwnedChannel> => {
  const channel = await ownedChannel(db, uid, params.nmi, params.suffix);
  // The same answer whether the NMI does not exist or belongs to someone else: NMIs identify premises.
  if (channel === null) throw new ApiError('NMI_NOT_FOUND', `nmi: no channel ${params.suffix} of NMI ${params.nmi} in your uploads`, 'nmi');
  return channel;
};

const ENDPOINTS: Record<string, Endpoint> = {
  '/nmis': {
    async prepare(db, uid, search) {
      const params = parseParams(nmisParams, search);
      // The list is the user's own: their uid is part of what it depends on.
      return { version: `${uid}@${await ownedChannelsVersion(db, uid)}`, run: () => listNmis(db, uid, params) };
    },
  },
  '/readings': {
    async prepare(db, uid, search) {
      const params = parseParams(readingsParams, search);
      const channel = await channelOf(db, uid, params);
      return { version: `${channel.id}@${channel.version}`, run: () => readingsPage(db, channel, params) };
    },
  },
  '/stats': {
    async prepare(db, uid, search) {
      const params = parseParams(statsParams, search);
      const channel = await channelOf(db, uid, params);
      return { version: `${channel.id}@${channel.version}`, run: () => channelStats(db, channel, params) };
    },
  },
};

export async function handleApiRequest(request: ApiRequest, context: ApiContext): Promise<ApiResponse> {
  try {
    const url = new URL(request.url, 'http://api.invalid');
    const route = url.pathname.replace(/^\/api(?=\/)/, '').replace(/\/+$/, '') || '/';
    const endpoint = ENDPOINTS[route];
    if (endpoint === undefined) throw new ApiError('NOT_FOUND', `${route}: no such endpoint (there are ${Object.keys(ENDPOINTS).join(', ')})`);
    if (request.method !== 'GET' && request.method !== 'HEAD') throw new ApiError('METHOD_NOT_ALLOWED', `${request.method}: only GET is supported`);
    const uid = await authenticate(request, context);
    url.searchParams.sort();
    return await withSnapshot(context.pool, async (db) => {
      const found = await endpoint.prepare(db, uid, url.searchParams);
      const key = `${RESPONSE_SHAPE}|${route}|${found.version}|${url.searchParams.toString()}`;
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
    if (failure.status === 405) headers.Allow = 'GET, HEAD';
    if (failure.status === 503) headers['Retry-After'] = '5';
    return { status: failure.status, headers, body: JSON.stringify(failure) };
  }
}

async function authenticate(request: ApiRequest, context: ApiContext): Promise<string> {
  const header = request.headers.authorization;
  const token = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header)?.[1] : undefined;
  if (token === undefined) throw new ApiError('UNAUTHENTICATED', 'Sign in: send a Firebase ID token as "Authorization: Bearer <token>".');
  try {
    return (await context.verifyIdToken(token)).uid;
  } catch {
    throw new ApiError('UNAUTHENTICATED', 'The ID token is not valid (expired, revoked or malformed): sign in again.');
  }
}

/** One read-only snapshot: the access check, the version and the data all see the same commit. */
async function withSnapshot<T>(pool: Pool, work: (db: PoolClient) => Promise<T>): Promise<T> {
  const db = await pool.connect();
  let broken = false;
  try {
    // One round trip. Short index-range queries: parallel workers and JIT only add start-up time.
    await db.query(
      `BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY; SET LOCAL statement_timeout = ${STATEMENT_TIMEOUT_MS};
       SET LOCAL max_parallel_workers_per_gather = 0; SET LOCAL jit = off`,
    );
    const result = await work(db);
    await db.query('COMMIT');
    return result;
  } catch (error) {
    // A connection that failed is not given back to the pool.
    broken = apiErrorOf(error).code === 'DATABASE_UNAVAILABLE';
    await db.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    db.release(broken);
  }
}

function matches(ifNoneMatch: string | string[] | undefined, etag: string): boolean {
  if (typeof ifNoneMatch !== 'string') return false;
  return ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag || tag.trim() === '*');
}
