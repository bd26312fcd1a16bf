import pg from 'pg';
import { handleApiRequest, type ApiContext } from '../api/handleApiRequest';
import { ResponseCache } from '../api/responseCache';
import { migrate, readMigrations } from '../load/migrate';

/**
 * Query latency of the readings API on a big table: `handleApiRequest` (parameters, access check,
 * snapshot, SQL, JSON) against the database, without HTTP. The ID token check is a stand-in that
 * reads the uid from the token (Firebase Auth is not what is measured). Baselines in the same run:
 * the bare SQL that fetches the same rows, and the same requests answered from the cache.
 *
 * The data set (default 2,000 NMIs x 365 days x 48 = 35 M readings) is generated in SQL into a
 * database of its own, kept between runs (it takes minutes to build) and rebuilt when its shape differs.
 */
export interface QueryDataset {
  nmis: number;
  days: number;
}

const OWNER = 'bench-user';
const ORG = 'bench';
/** The schema the data set was built for: the latest migration. */
const SCHEMA = readMigrations().at(-1)!.version;
const FIRST_DAY = '2025-01-01';
const BATCH_CHANNELS = 100;

export async function benchQueries(serverUrl: string, dataset: QueryDataset, log: (line: string) => void) {
  const url = await ensureDataset(serverUrl, dataset, log);
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  try {
    const [{ n }] = (await pool.query<{ n: string }>('SELECT count(*) AS n FROM readings')).rows;
    const readings = Number(n);
    const random = seeded(12);
    const nmi = () => nmiOf(1 + Math.floor(random() * dataset.nmis));
    const months = Math.max(1, Math.floor(dataset.days / 31));
    const monthOf = (i: number) => {
      const start = new Date(Date.parse(`${FIRST_DAY}T00:00:00Z`));
      start.setUTCMonth(start.getUTCMonth() + i);
      const end = new Date(start);
      end.setUTCMonth(end.getUTCMonth() + 1);
      end.setUTCDate(0);
      return { from: start.toISOString().slice(0, 10), to: end.toISOString().slice(0, 10) };
    };
    const lastDay = new Date(Date.parse(`${FIRST_DAY}T00:00:00Z`) + (dataset.days - 1) * 86_400_000).toISOString().slice(0, 10);
    const monthRequests = Array.from({ length: 200 }, () => {
      const month = monthOf(Math.floor(random() * months));
      return `/readings?nmi=${nmi()}&suffix=E1&from=${month.from}&to=${month.to}&limit=1500`;
    });
    const yearRequests = Array.from({ length: 200 }, () => `/stats?nmi=${nmi()}&suffix=E1&from=${FIRST_DAY}&to=${lastDay}&granularity=day`);

    // The ID token check is a stand-in (Firebase Auth is not what is measured); no account endpoint is called.
    const caller = { uid: OWNER, email: null, membership: { org: ORG, role: 'member' as const } };
    const uncached: ApiContext = { pool, verifyIdToken: async () => caller, cache: new ResponseCache(0), orgs: null as never, provisioning: false };
    const cached: ApiContext = { ...uncached, cache: new ResponseCache(256 * 1024 * 1024) };
    const request = async (context: ApiContext, path: string) => {
      const response = await handleApiRequest({ method: 'GET', url: path, headers: { authorization: `Bearer ${OWNER}` } }, context);
      if (response.status !== 200) throw new Error(`${path}: ${response.status} ${response.body}`);
      return response;
    };
    // Warm-up: connections, plans, the buffer cache's view of the indexes.
    for (const path of [...monthRequests.slice(0, 20), ...yearRequests.slice(0, 20)]) await request(uncached, path);

    const month = await latencies(monthRequests, (path) => request(uncached, path));
    const monthSql = await latencies(monthRequests, async (path) => {
      const params = new URL(path, 'http://x').searchParams;
      await pool.query(
        `SELECT r.* FROM readings r JOIN channels c ON c.id = r.channel_id
         WHERE c.nmi = $1 AND c.suffix = 'E1' AND r.interval_end > $2::timestamptz AND r.interval_end <= $3::timestamptz ORDER BY r.interval_end`,
        [params.get('nmi'), `${params.get('from')}T00:00:00+10:00`, `${params.get('to')}T24:00:00+10:00`],
      );
    });
    const year = await latencies(yearRequests, (path) => request(uncached, path));
    const yearSql = await latencies(yearRequests, async (path) => {
      const params = new URL(path, 'http://x').searchParams;
      await pool.query(
        `SELECT sum(r.kwh) FROM readings r JOIN channels c ON c.id = r.channel_id
         WHERE c.nmi = $1 AND c.suffix = 'E1' AND r.interval_end > $2::timestamptz AND r.interval_end <= $3::timestamptz`,
        [params.get('nmi'), `${FIRST_DAY}T00:00:00+10:00`, `${lastDay}T24:00:00+10:00`],
      );
    });
    for (const path of yearRequests.slice(0, 50)) await request(cached, path);
    const yearCached = await latencies(yearRequests.slice(0, 50), async (path) => {
      const response = await request(cached, path);
      if (response.headers['X-Cache'] !== 'hit') throw new Error(`${path} was not served from the cache`);
    });
    const nmis = await latencies(Array.from({ length: 50 }, () => '/nmis?limit=200'), (path) => request(uncached, path));

    const result = {
      readings,
      nmis: dataset.nmis,
      days: dataset.days,
      monthOfReadings: { ...month, bareSql: monthSql, p95VsBareSql: ratio(month.p95, monthSql.p95) },
      yearOfDailyStats: { ...year, bareSql: yearSql, p95VsBareSql: ratio(year.p95, yearSql.p95), cached: yearCached },
      nmiList200: nmis,
      target: 'p95 < 50 ms',
    };
    log(`query   ${readings.toLocaleString()} readings (${dataset.nmis} NMIs x ${dataset.days} days x 48), one request at a time, no HTTP:`);
    log(`        one NMI-month of readings (1 page): p50 ${month.p50} ms, p95 ${month.p95} ms; bare SQL of the same rows p95 ${monthSql.p95} ms = ${result.monthOfReadings.p95VsBareSql}x  [target p95 < 50 ms]`);
    log(`        a year of daily stats:              p50 ${year.p50} ms, p95 ${year.p95} ms; bare SQL sum of the same rows p95 ${yearSql.p95} ms = ${result.yearOfDailyStats.p95VsBareSql}x  [target p95 < 50 ms]`);
    log(`        the same stats from the cache:      p50 ${yearCached.p50} ms, p95 ${yearCached.p95} ms; /nmis (200 of ${dataset.nmis}): p50 ${nmis.p50} ms, p95 ${nmis.p95} ms`);
    return result;
  } finally {
    await pool.end();
  }
}

const nmiOf = (n: number) => `BENCH${String(n).padStart(5, '0')}`;

async function latencies(items: string[], run: (item: string) => Promise<unknown>) {
  const times: number[] = [];
  for (const item of items) {
    const started = performance.now();
    await run(item);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => Math.round(times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)] * 10) / 10;
  return { requests: times.length, p50: at(0.5), p95: at(0.95), max: at(1) };
}

const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;

/** A small deterministic generator: the same requests every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** The benchmark database with the data set in place; built (minutes) when missing or different. */
async function ensureDataset(serverUrl: string, dataset: QueryDataset, log: (line: string) => void): Promise<string> {
  const name = 'nem12_bench_queries';
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rows.length > 0;
    if (exists) {
      const check = new pg.Client({ connectionString: url.toString() });
      await check.connect();
      const shape = await check.query<{ nmis: number; days: number; schema: string }>('SELECT nmis, days, schema FROM bench_dataset').catch(() => ({ rows: [] }));
      await check.end();
      // Built by this schema (the latest migration), of this size: reused. Anything else is rebuilt.
      if (shape.rows[0]?.nmis === dataset.nmis && shape.rows[0]?.days === dataset.days && shape.rows[0]?.schema === SCHEMA) {
        log(`query   reusing the data set in database ${name} (drop it to rebuild)`);
        return url.toString();
      }
      await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
    }
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const started = Date.now();
  const pool = new pg.Pool({ connectionString: url.toString(), max: 1 });
  try {
    await migrate(pool);
    const db = await pool.connect();
    try {
      await db.query('SET synchronous_commit = off');
      await db.query(`INSERT INTO uploads (org_id, source_key, file_name, owner, status) VALUES ($1, 'bench', 'bench.csv', $2, 'done')`, [ORG, OWNER]);
      await db.query(
        `INSERT INTO channels (org_id, nmi, suffix, data_version) SELECT $2, 'BENCH' || lpad(n::text, 5, '0'), 'E1', 1 FROM generate_series(1, $1::int) n`,
        [dataset.nmis, ORG],
      );
      await db.query('INSERT INTO upload_channels SELECT 1, id FROM channels');
      await db.query(
        `INSERT INTO reading_days (channel_id, day, fingerprint, upload_id, uom, interval_length, line)
         SELECT c.id, $1::date + d, md5(c.id || ':' || d)::uuid, 1, 'kWh', 30, 1 FROM channels c, generate_series(0, $2::int - 1) d`,
        [FIRST_DAY, dataset.days],
      );
      // Built without the primary key, which is added once at the end (a sorted build is faster).
      await db.query('ALTER TABLE readings DROP CONSTRAINT readings_pkey');
      for (let first = 1; first <= dataset.nmis; first += BATCH_CHANNELS) {
        const last = Math.min(dataset.nmis, first + BATCH_CHANNELS - 1);
        // Values: a deterministic hash per reading, a little more in the evening; some estimated.
        await db.query(
          `INSERT INTO readings (channel_id, interval_end, value, uom, kwh, quality, method, reason_code, updated_at, upload_id, line)
           SELECT c, t, v, 'kWh', v, q, CASE WHEN q = 'E' THEN 52 END, NULL, $3::timestamptz, 1, 1
           FROM generate_series($1::int, $2::int) c,
                generate_series(1, $4::int * 48) i,
                LATERAL (SELECT nem_instant($5::date::timestamp) + i * interval '30 minutes' AS t,
                                round(((hashint8(c::bigint * 100000 + i) & 1023) / 2000.0 + CASE WHEN i % 48 BETWEEN 34 AND 42 THEN 0.6 ELSE 0.05 END)::numeric, 3) AS v,
                                CASE WHEN i % 97 = 0 THEN 'E' ELSE 'A' END::"char" AS q) x
           ORDER BY c, i`,
          [first, last, `${FIRST_DAY}T12:00:00+10:00`, dataset.days, FIRST_DAY],
        );
        log(`query   building the data set: ${last} of ${dataset.nmis} NMIs (${Math.round((Date.now() - started) / 1000)} s)`);
      }
      await db.query('ALTER TABLE readings ADD PRIMARY KEY (channel_id, interval_end)');
      await db.query('VACUUM ANALYZE');
      await db.query('CREATE TABLE bench_dataset (nmis integer, days integer, schema text)');
      await db.query('INSERT INTO bench_dataset VALUES ($1, $2, $3)', [dataset.nmis, dataset.days, SCHEMA]);
    } finally {
      db.release();
    }
  } finally {
    await pool.end();
  }
  log(`query   data set built in ${Math.round((Date.now() - started) / 1000)} s`);
  return url.toString();
}
