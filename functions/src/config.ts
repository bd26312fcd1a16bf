import { setGlobalOptions } from 'firebase-functions/v2';
import { defineBoolean, defineInt, defineSecret, defineString } from 'firebase-functions/params';
import type pg from 'pg';
import { databaseTarget, openPool, type SessionLimits } from './load/connection';
import { checkSchema } from './load/schemaVersion';
import { UPLOAD_MAX_DECOMPRESSED_GB } from './source/archive';

/**
 * Everything the functions read from their environment, in one place. Params are declared at module
 * scope and read (`.value()`) only inside handlers; the few options Cloud Functions needs as plain
 * strings at deploy time (the invoker of the task queues, the VPC connector) come from the same `.env` files
 * firebase-tools reads the params from.
 */
export const REGION = 'australia-southeast1';

/** The one service account every function runs as (`name@` means name@PROJECT.iam.gserviceaccount.com). */
export const SERVICE_ACCOUNT = defineString('SERVICE_ACCOUNT', {
  default: 'nem12-runtime@',
  description: 'Runtime service account of every function (README: Production, IAM)',
});
export const RUNTIME_ACCOUNT = process.env.SERVICE_ACCOUNT || 'nem12-runtime@';

// Every function module imports this one first: the options apply to all of them.
setGlobalOptions({
  region: REGION,
  serviceAccount: SERVICE_ACCOUNT,
  // A Cloud SQL private IP (or PSC endpoint) is reached through a Serverless VPC Access connector,
  // set here so that a redeploy keeps it. Not Direct VPC egress (networkInterface): the pinned
  // firebase-tools 14.27 refuses `vpc.networkInterfaces` in the manifest (15.x needs Java 21).
  // A short name is expanded by firebase-tools to projects/PROJECT/locations/REGION/connectors/NAME.
  ...(process.env.VPC_CONNECTOR ? { vpcConnector: process.env.VPC_CONNECTOR, vpcConnectorEgressSettings: 'PRIVATE_RANGES_ONLY' as const } : {}),
});

/**
 * postgres://USER[:PASSWORD]@HOST/DATABASE. With CLOUD_SQL_INSTANCE set, the host is not used (the
 * connector reaches the instance) and, with DB_IAM_AUTH, there is no password.
 */
export const DATABASE_URL = defineSecret('DATABASE_URL');
/** PROJECT:REGION:INSTANCE of the Cloud SQL instance; empty: DATABASE_URL's host is reached directly. */
export const CLOUD_SQL_INSTANCE = defineString('CLOUD_SQL_INSTANCE', { default: '' });
export const DB_IP_TYPE = defineString('DB_IP_TYPE', { default: 'PUBLIC', input: { select: { options: [{ value: 'PUBLIC' }, { value: 'PRIVATE' }, { value: 'PSC' }] } } });
/** IAM database authentication of the runtime service account (no password). */
export const DB_IAM_AUTH = defineBoolean('DB_IAM_AUTH', { default: false });
/** Target size of a chunk of (decompressed) NEM12 data: one task each. */
export const CHUNK_BYTES = defineInt('CHUNK_BYTES', { default: 8 * 1024 * 1024 });
/**
 * Chunks per part of the Flo SQL file (one task each, in parallel; the last composes the file): a
 * file of up to 8 chunks is one part, 1 GiB is 16 parts of about 8 s each here (README: Benchmark).
 */
export const SQL_PART_CHUNKS = defineInt('SQL_PART_CHUNKS', { default: 8 });
/**
 * The largest file the pipeline takes, in GiB of NEM12 (plain, or once a zip or gzip is expanded,
 * and never more than 50 times the archive's own size): about 150 M readings per GiB, whose
 * publish (one transaction) takes about 1 s per million readings and each part of the Flo SQL file
 * a few seconds, well inside the task functions' 1800 s (README: Benchmark). Larger files are refused at once (FILE_TOO_LARGE,
 * DECOMPRESSED_TOO_LARGE as an archive passes the limit).
 */
export const MAX_DECOMPRESSED_GB = defineInt('MAX_DECOMPRESSED_GB', { default: UPLOAD_MAX_DECOMPRESSED_GB });
/** Memory for the API's cache of responses, per instance. */
export const API_CACHE_MB = defineInt('API_CACHE_MB', { default: 64 });

/**
 * Per function: its timeout (a task queue function's is its tasks' dispatch deadline, both at most
 * 1800 s, so that a slow publish or a busy database does not end in retries; an event function's
 * is at most 540 s), how many requests one instance serves at once, its pool (at least one
 * connection per concurrent request) and its instances at most. Connections in all, at most:
 * sum over functions of maxInstances x pool, which must stay under the instance's max_connections
 * (less its reserved ones and a few for `nem12 migrate` and operators): 50 with the defaults.
 */
export const FUNCTIONS = {
  onUpload: { timeoutSeconds: 540, concurrency: 1, pool: 1, maxInstances: defineInt('MAX_INSTANCES_UPLOAD', { default: 5 }) },
  processChunk: { timeoutSeconds: 1800, concurrency: 1, pool: 1, maxInstances: defineInt('MAX_INSTANCES_CHUNK', { default: 10 }) },
  exportFloSql: { timeoutSeconds: 1800, concurrency: 1, pool: 1, maxInstances: defineInt('MAX_INSTANCES_SQL', { default: 4 }) },
  publishUpload: { timeoutSeconds: 1800, concurrency: 1, pool: 1, maxInstances: defineInt('MAX_INSTANCES_PUBLISH', { default: 2 }) },
  cleanup: { timeoutSeconds: 540, concurrency: 1, pool: 1, maxInstances: defineInt('MAX_INSTANCES_CLEANUP', { default: 1 }) },
  api: { timeoutSeconds: 30, concurrency: 4, pool: 4, maxInstances: defineInt('MAX_INSTANCES_API', { default: 7 }) },
} as const;
export type FunctionName = keyof typeof FUNCTIONS;

/** A function's Cloud Functions options from the table (its secrets too). */
export function functionOptions(name: FunctionName) {
  const { timeoutSeconds, concurrency, maxInstances } = FUNCTIONS[name];
  return { timeoutSeconds, concurrency, maxInstances, secrets: [DATABASE_URL] };
}

/** Session limits of a function's connections: each below its timeout, so nothing outlives a request. */
export function sessionLimits(name: FunctionName): SessionLimits {
  const timeoutMs = FUNCTIONS[name].timeoutSeconds * 1000;
  return {
    connectTimeoutMs: Math.min(10_000, timeoutMs / 3),
    statementTimeoutMs: Math.round(timeoutMs * 0.9),
    lockTimeoutMs: Math.round(timeoutMs / 3),
    idleInTransactionMs: Math.round(timeoutMs / 3),
  };
}

/**
 * Retries of every task queue: transient failures (a database restart, a storage hiccup) are
 * retried with backoff for about half an hour; permanent ones are recorded and acknowledged.
 */
export const TASK_RETRY = { maxAttempts: 10, minBackoffSeconds: 5, maxBackoffSeconds: 300, maxDoublings: 5 };
/** Only the runtime service account (Cloud Tasks' OIDC token is the enqueuer's) may call a task queue. */
export const TASK_INVOKER = [RUNTIME_ACCOUNT];

const pools = new Map<FunctionName, Promise<pg.Pool>>();

/**
 * The function's pool, created on first use inside a handler (one per function: an emulator process
 * may serve several) and checked against the schema the code needs: a schema behind the code is an
 * error thrown on every request (tasks are retried) until `nem12 migrate` has run.
 */
export function pool(name: FunctionName): Promise<pg.Pool> {
  const existing = pools.get(name);
  if (existing !== undefined) return existing;
  const created = (async () => {
    const target = databaseTarget({ url: DATABASE_URL.value(), instance: CLOUD_SQL_INSTANCE.value(), ipType: DB_IP_TYPE.value(), iam: DB_IAM_AUTH.value() });
    const opened = await openPool(target, sessionLimits(name), FUNCTIONS[name].pool);
    try {
      await checkSchema(opened);
    } catch (error) {
      await opened.end().catch(() => {});
      throw error;
    }
    return opened;
  })();
  pools.set(name, created);
  // A failed start (database down, schema behind) is retried by the next request, not cached.
  created.catch(() => {
    if (pools.get(name) === created) pools.delete(name);
  });
  return created;
}

/** A `demo-` project runs only on the emulators: never a real one (Firebase reserves the prefix). */
export function isDemoProject(): boolean {
  return (process.env.GCLOUD_PROJECT ?? '').startsWith('demo-');
}
