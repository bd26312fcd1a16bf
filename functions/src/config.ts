import { setGlobalOptions } from 'firebase-functions/v2';
import { defineInt, defineSecret } from 'firebase-functions/params';
import type pg from 'pg';
import { newPool } from './load/database';

/**
 * Everything the functions read from their environment, in one place. Params are declared at module
 * scope and read (`.value()`) only inside handlers.
 */
export const REGION = 'australia-southeast1';
// Every function module imports this one first: the options apply to all of them.
setGlobalOptions({ region: REGION, maxInstances: 20 });

/** postgres://... of the database (Cloud SQL in production: host=/cloudsql/PROJECT:REGION:INSTANCE). */
export const DATABASE_URL = defineSecret('DATABASE_URL');
/** Target size of a chunk of (decompressed) NEM12 data: one task each. */
export const CHUNK_BYTES = defineInt('CHUNK_BYTES', { default: 8 * 1024 * 1024 });
/** Connections per function instance (the API's requests of one instance queue for them). */
export const DB_POOL_MAX = defineInt('DB_POOL_MAX', { default: 2 });
/** How far an uploaded zip or gzip may expand (and never more than 50 times its own size). */
export const MAX_DECOMPRESSED_GB = defineInt('MAX_DECOMPRESSED_GB', { default: 10 });
/** Memory for the API's cache of responses, per instance. */
export const API_CACHE_MB = defineInt('API_CACHE_MB', { default: 64 });

/**
 * Retries of every task queue: transient failures (a database restart, a storage hiccup) are
 * retried with backoff for about half an hour; permanent ones are recorded and acknowledged.
 */
export const TASK_RETRY = { maxAttempts: 10, minBackoffSeconds: 5, maxBackoffSeconds: 300, maxDoublings: 5 };

let sharedPool: pg.Pool | null = null;

/** The instance's small pool, created on first use inside a handler. */
export function pool(): pg.Pool {
  if (sharedPool === null) {
    sharedPool = newPool({ connectionString: DATABASE_URL.value(), max: DB_POOL_MAX.value(), idleTimeoutMillis: 30_000 });
  }
  return sharedPool;
}

/** A `demo-` project runs only on the emulators: never a real one (Firebase reserves the prefix). */
export function isDemoProject(): boolean {
  return (process.env.GCLOUD_PROJECT ?? '').startsWith('demo-');
}
