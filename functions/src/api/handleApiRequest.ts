import { createHash } from 'node:crypto';
import type { PoolClient } from 'pg';
import { accountEndpoint } from './accountEndpoints';
import type { ApiContext, ApiRequest, ApiResponse, Caller } from './apiContext';
export type { ApiContext, ApiRequest, ApiResponse, Caller } from './apiContext';
import { ApiError, apiErrorOf } from './apiError';
import { completenessParams, encodeCursor, gapStreamsCsvParams, gapStreamsParams, nmisParams, overviewParams, parseParams, readingsCsvParams, readingsParams, statsParams } from './apiParams';
import { gapStreamsCsv } from './completenessCsv';
import { completenessOf, completenessSummary, gapStreams, rankedStreams } from './completenessQueries';
import { registerEndpoint } from './registerEndpoints';
import { overview, overviewCounts } from './overviewQueries';
import { channelOf, listNmis, orgDataVersion, readingsPage } from './readingQueries';
import { csvFileName, readingsCsv } from './readingsCsv';
import { withSnapshot } from './snapshot';
import { channelStats } from './statsQueries';

/**
 * The readings API, free of any HTTP framework: a request in, a response out. `api.ts` adapts it to
 * an HTTPS function.
 *
 *   GET /overview  the organisation's data and uploads at a glance
 *   GET /nmis      the organisation's NMIs and their streams
 *   GET /readings  a stream's readings in time order, keyset-paginated
 *   GET /stats     totals, average, peak, quality breakdown, series and daily load profile
 *   GET /readings.csv  a stream's readings over any range as CSV, streamed (never cached)
 *   GET /completeness  per day of a range: streams expected, received whole or not, missing; readings by quality
 *   GET /completeness/streams  the streams with missing, partial or estimated days, worst first, keyset-paginated
 *   GET /completeness/streams.csv  all of them as CSV, streamed (never cached)
 *   /me, /organisation, /members, /invitations  the caller, their organisation, its members and invitations (accountEndpoints.ts)
 *   /register  the organisation's register of NMIs (registerEndpoints.ts)
 *
 * Each request: token (with its organisation) -> parameters -> (one read-only snapshot) access
 * check and data version -> cached body or query. The path may start with /api (Hosting keeps it).
 */
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
      return { version: `${await orgDataVersion(db, org)}|${counts.filesLoaded}|${counts.inFlight}|${counts.failedLast7Days}`, run: () => overview(db, org, counts) };
    },
  },
  '/nmis': {
    async prepare(db, org, search) {
      const params = parseParams(nmisParams, search);
      return { version: await orgDataVersion(db, org), run: () => listNmis(db, org, params) };
    },
  },
  '/readings': {
    async prepare(db, org, search) {
      const params = parseParams(readingsParams, search);
      const channel = await channelOf(db, org, params);
      return { version: `${channel.id}@${channel.version}`, run: () => readingsPage(db, channel, params) };
    },
  },
  '/completeness': {
    async prepare(db, org, search) {
      const params = parseParams(completenessParams, search);
      return { version: await orgDataVersion(db, org), run: async () => completenessSummary(db, org, await completenessOf(db, org, params.from, params.to)) };
    },
  },
  '/completeness/streams': {
    async prepare(db, org, search) {
      const params = parseParams(gapStreamsParams, search);
      return {
        version: await orgDataVersion(db, org),
        run: async () => {
          const found = await completenessOf(db, org, params.from, params.to);
          const page = rankedStreams(found, params.status, params.cursor ?? null, params.limit);
          return {
            from: params.from,
            to: params.to,
            status: params.status,
            total: page.total,
            streams: await gapStreams(db, org, found, page.streams),
            nextCursor: page.next === null ? null : encodeCursor(page.next),
          };
        },
      };
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
    const direct = accountEndpoint(route, request.method);
    const account = direct !== undefined ? direct : registerEndpoint(route, request.method);
    const csv = CSV_ROUTES[route];
    const endpoint = ENDPOINTS[route];
    if (account === undefined && endpoint === undefined && csv === undefined) {
      throw new ApiError('NOT_FOUND', `${route}: no such endpoint (there are ${[...Object.keys(ENDPOINTS), ...Object.keys(CSV_ROUTES), '/me', '/organisation', '/members', '/invitations', '/register'].join(', ')})`);
    }
    if (account === null || ((endpoint !== undefined || csv !== undefined) && request.method !== 'GET' && request.method !== 'HEAD')) {
      throw new ApiError('METHOD_NOT_ALLOWED', `${request.method}: not supported on ${route}`);
    }
    const caller = await authenticate(request, context);
    if (account !== undefined) return await account(caller, request, context);
    if (caller.membership === null) throw new ApiError('NO_ORGANISATION', 'You are not a member of an organisation yet: an admin of your organisation must add you.');
    const { org } = caller.membership;
    if (csv !== undefined) return await csv(context, org, url.searchParams);
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
    if (failure.status === 405) headers.Allow = 'GET, HEAD, POST, PUT, PATCH, DELETE';
    if (failure.status === 503) headers['Retry-After'] = '5';
    return { status: failure.status, headers, body: JSON.stringify(failure) };
  }
}

/** Exports, streamed: what they cover is checked (a stream not the organisation's: 404) before the first byte. */
const CSV_ROUTES: Record<string, (context: ApiContext, org: string, search: URLSearchParams) => Promise<ApiResponse>> = {
  '/readings.csv': async (context, org, search) => {
    const params = parseParams(readingsCsvParams, search);
    await withSnapshot(context.pool, (db) => channelOf(db, org, params));
    return csvAnswer(csvFileName(params), readingsCsv(context.pool, org, params));
  },
  '/completeness/streams.csv': async (context, org, search) => {
    const params = parseParams(gapStreamsCsvParams, search);
    return csvAnswer(`${params.status}-streams-${params.from}-to-${params.to}.csv`, gapStreamsCsv(context.pool, org, params));
  },
};

function csvAnswer(fileName: string, stream: AsyncIterable<string>): ApiResponse {
  return {
    status: 200,
    headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="${fileName}"`, 'Cache-Control': 'private, no-store' },
    body: '',
    stream,
  };
}

async function authenticate(request: ApiRequest, context: ApiContext): Promise<Caller> {
  const header = request.headers.authorization;
  const token = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header)?.[1] : undefined;
  if (token === undefined) throw new ApiError('UNAUTHENTICATED', 'Sign in: send a Firebase ID token as "Authorization: Bearer <token>".');
  try {
    return await context.verifyIdToken(token);
  } catch {
    throw new ApiError('UNAUTHENTICATED', 'The ID token is not valid (expired, revoked, malformed, its membership changed since, or the account is disabled): sign in again.');
  }
}

function matches(ifNoneMatch: string | string[] | undefined, etag: string): boolean {
  if (typeof ifNoneMatch !== 'string') return false;
  return ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag || tag.trim() === '*');
}
