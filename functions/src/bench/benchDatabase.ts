import pg from 'pg';
import { handleApiRequest, type ApiContext, type ApiResponse } from '../api/handleApiRequest';
import { ResponseCache } from '../api/responseCache';
import { newPool } from '../load/database';
import { migrate, readMigrations } from '../load/migrate';

/** The schema a kept data set was built for: the latest migration. */
const SCHEMA = readMigrations().at(-1)!.version;

export interface DatasetShape {
  nmis: number;
  days: number;
}

export interface DatasetBuild {
  /** The first stored day: the months of `days` from it are made before `rows`. */
  firstDay: string;
  /** Writes the uploads, channels and day rows; `days` has no primary key meanwhile (added once at the end: a sorted build is faster). */
  rows(db: pg.PoolClient, started: number): Promise<void>;
  /** Writes what the publishes would have kept (the organisation's figures), after the key. */
  figures(db: pg.PoolClient): Promise<void>;
}

/**
 * A benchmark data set kept in a database of its own between runs (`name`): reused when it was
 * built for this shape by the latest migration, otherwise dropped and built again in SQL (minutes).
 * Returns the database's URL.
 */
export async function keptDataset(serverUrl: string, name: string, shape: DatasetShape, build: DatasetBuild, log: (line: string) => void, label: string): Promise<string> {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    if ((await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rows.length > 0) {
      const existing = new pg.Client({ connectionString: url.toString() });
      await existing.connect();
      const kept = await existing
        .query<{ nmis: number; days: number; schema: string }>('SELECT nmis, days, schema FROM bench_dataset')
        .then((result) => result.rows[0], () => undefined)
        .finally(() => existing.end());
      if (kept && kept.nmis === shape.nmis && kept.days === shape.days && kept.schema === SCHEMA) {
        log(`${label} reusing the data set in database ${name} (drop it to rebuild)`);
        return url.toString();
      }
      await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
    }
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const started = Date.now();
  const pool = newPool({ connectionString: url.toString(), max: 1 });
  try {
    await migrate(pool);
    const db = await pool.connect();
    try {
      await db.query('SET synchronous_commit = off');
      await db.query(`SELECT ensure_day_partitions(ARRAY(SELECT generate_series($1::date, $1::date + $2::int, '1 month')::date))`, [build.firstDay, shape.days + 31]);
      await db.query('ALTER TABLE days DROP CONSTRAINT days_pkey');
      await build.rows(db, started);
      await db.query('ALTER TABLE days ADD PRIMARY KEY (channel_id, day)');
      await build.figures(db);
      await db.query('VACUUM ANALYZE');
      await db.query('CREATE TABLE bench_dataset (nmis integer, days integer, schema text)');
      await db.query('INSERT INTO bench_dataset VALUES ($1, $2, $3)', [shape.nmis, shape.days, SCHEMA]);
    } finally {
      db.release();
    }
  } finally {
    await pool.end();
  }
  log(`${label} data set built in ${Math.round((Date.now() - started) / 1000)} s`);
  return url.toString();
}

/**
 * GETs of the readings API as a member of `org`, through its request handler (no HTTP). The ID token
 * check is a stand-in: Firebase Auth is not what is measured. `cacheBytes` 0: every answer computed.
 */
export function memberApi(pool: pg.Pool, org: string, uid: string, cacheBytes = 0): (path: string) => Promise<ApiResponse> {
  const caller = { uid, email: null, membership: { org, role: 'member' as const } };
  const context: ApiContext = { pool, verifyIdToken: async () => caller, cache: new ResponseCache(cacheBytes), orgs: null as never, provisioning: false };
  return async (path: string) => {
    const response = await handleApiRequest({ method: 'GET', url: path, headers: { authorization: `Bearer ${uid}` } }, context);
    if (response.status !== 200) throw new Error(`${path}: ${response.status} ${response.body}`);
    return response;
  };
}
