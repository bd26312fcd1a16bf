import { newPool } from '../load/database';
import { keptDataset, memberApi } from './benchDatabase';
import { latencies, ratio, seeded } from './report';

/**
 * Query latency of the readings API on a big table: `handleApiRequest` (parameters, access check,
 * snapshot, SQL, JSON) against the database, without HTTP. The ID token check is a stand-in that
 * reads the uid from the token (Firebase Auth is not what is measured). Baselines in the same run:
 * the bare SQL that fetches the same rows, and the same requests answered from the cache.
 *
 * The data set (default 2,000 NMIs x 365 days x 48 = 35 M readings, 730,000 day rows) is generated in SQL into a
 * database of its own, kept between runs (it takes minutes to build) and rebuilt when its shape differs.
 */
export interface QueryDataset {
  nmis: number;
  days: number;
}

const OWNER = 'bench-user';
const ORG = 'bench';
const FIRST_DAY = '2025-01-01';
const BATCH_CHANNELS = 100;

export async function benchQueries(serverUrl: string, dataset: QueryDataset, log: (line: string) => void) {
  const url = await ensureDataset(serverUrl, dataset, log);
  const pool = newPool({ connectionString: url, max: 2 });
  try {
    const [{ n }] = (await pool.query<{ n: string }>('SELECT sum(readings) AS n FROM days')).rows;
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

    // No account endpoint is called.
    const uncached = memberApi(pool, ORG, OWNER);
    const cached = memberApi(pool, ORG, OWNER, 256 * 1024 * 1024);
    // Warm-up: connections, plans, the buffer cache's view of the indexes.
    for (const path of [...monthRequests.slice(0, 20), ...yearRequests.slice(0, 20)]) await uncached(path);

    const month = await latencies(monthRequests, uncached);
    const monthSql = await latencies(monthRequests, async (path) => {
      const params = new URL(path, 'http://x').searchParams;
      await pool.query(
        `SELECT d.* FROM days d JOIN channels c ON c.id = d.channel_id
         WHERE c.org_id = $1 AND c.nmi = $2 AND c.suffix = 'E1' AND d.day BETWEEN $3::date AND $4::date ORDER BY d.day`,
        [ORG, params.get('nmi'), params.get('from'), params.get('to')],
      );
    });
    const year = await latencies(yearRequests, uncached);
    const yearSql = await latencies(yearRequests, async (path) => {
      const params = new URL(path, 'http://x').searchParams;
      await pool.query(
        `SELECT d.day, d.kwh FROM days d JOIN channels c ON c.id = d.channel_id
         WHERE c.org_id = $1 AND c.nmi = $2 AND c.suffix = 'E1' AND d.day BETWEEN $3::date AND $4::date ORDER BY d.day`,
        [ORG, params.get('nmi'), FIRST_DAY, lastDay],
      );
    });
    for (const path of yearRequests.slice(0, 50)) await cached(path);
    const yearCached = await latencies(yearRequests.slice(0, 50), async (path) => {
      const response = await cached(path);
      if (response.headers['X-Cache'] !== 'hit') throw new Error(`${path} was not served from the cache`);
    });
    const nmis = await latencies(Array.from({ length: 50 }, () => '/nmis?limit=200'), uncached);

    const result = {
      readings,
      nmis: dataset.nmis,
      days: dataset.days,
      monthOfReadings: { ...month, bareSql: monthSql, p95VsBareSql: ratio(month.p95, monthSql.p95) },
      yearOfDailyStats: { ...year, bareSql: yearSql, p95VsBareSql: ratio(year.p95, yearSql.p95), cached: yearCached },
      nmiList200: nmis,
      targets: { monthOfReadings: 'p95 < 15 ms', yearOfDailyStats: 'p95 < 10 ms' },
    };
    log(`query   ${readings.toLocaleString()} readings (${dataset.nmis} NMIs x ${dataset.days} days x 48), one request at a time, no HTTP:`);
    log(`        one NMI-month of readings (1 page): p50 ${month.p50} ms, p95 ${month.p95} ms; bare SQL of the same rows p95 ${monthSql.p95} ms = ${result.monthOfReadings.p95VsBareSql}x  [target p95 < 15 ms]`);
    log(`        a year of daily stats:              p50 ${year.p50} ms, p95 ${year.p95} ms; bare SQL of the day totals p95 ${yearSql.p95} ms = ${result.yearOfDailyStats.p95VsBareSql}x  [target p95 < 10 ms]`);
    log(`        the same stats from the cache:      p50 ${yearCached.p50} ms, p95 ${yearCached.p95} ms; /nmis (200 of ${dataset.nmis}): p50 ${nmis.p50} ms, p95 ${nmis.p95} ms`);
    return result;
  } finally {
    await pool.end();
  }
}

const nmiOf = (n: number) => `BENCH${String(n).padStart(5, '0')}`;

/** The benchmark database with the data set in place; built (minutes) when missing or different. */
function ensureDataset(serverUrl: string, dataset: QueryDataset, log: (line: string) => void): Promise<string> {
  return keptDataset(serverUrl, 'nem12_bench_queries', dataset, {
    firstDay: FIRST_DAY,
    async rows(db, started) {
      await db.query(
        `INSERT INTO uploads (org_id, source_key, file_name, owner, status, published_at, first_nmis)
         VALUES ($1, 'bench', 'bench.csv', $2, 'done', now(), ARRAY(SELECT 'BENCH' || lpad(n::text, 5, '0') FROM generate_series(1, 100) n))`,
        [ORG, OWNER],
      );
      await db.query(
        `INSERT INTO channels (org_id, nmi, suffix, published) SELECT $2, 'BENCH' || lpad(n::text, 5, '0'), 'E1', true FROM generate_series(1, $1::int) n`,
        [dataset.nmis, ORG],
      );
      for (let first = 1; first <= dataset.nmis; first += BATCH_CHANNELS) {
        const last = Math.min(dataset.nmis, first + BATCH_CHANNELS - 1);
        // Values: a deterministic hash per reading, a little more in the evening; the evening of one
        // day in 13 estimated (a quality run in the middle of the day).
        await db.query(
          `INSERT INTO days (channel_id, day, interval_length, uom, kwh_factor, intervals, quality, readings, total, kwh, peak, peak_interval, fingerprint, updated_at, upload_id, line, actual)
           SELECT c, $5::date + d, 30, 'kWh', 1, v.intervals,
                  CASE WHEN d % 13 = c % 13 THEN '{33,65,NULL,NULL,0,42,69,52,NULL,0,48,65,NULL,NULL,0}' ELSE '{48,65,NULL,NULL,0}' END::smallint[],
                  48, v.total, v.total, v.peak, array_position(v.intervals, v.peak), md5(c || ':' || d)::uuid, $3::timestamptz, 1, 1,
                  CASE WHEN d % 13 = c % 13 THEN 33 ELSE 48 END
           FROM generate_series($1::int, $2::int) c,
                generate_series(0, $4::int - 1) d,
                LATERAL (SELECT array_agg(x ORDER BY k) AS intervals, sum(x) AS total, max(x) AS peak
                         FROM generate_series(1, 48) k,
                              LATERAL (SELECT round(((hashint8(c::bigint * 100000 + d * 48 + k) & 1023) / 2000.0
                                                     + CASE WHEN k BETWEEN 34 AND 42 THEN 0.6 ELSE 0.05 END)::numeric, 3) AS x) y) v
           ORDER BY c, d`,
          [first, last, `${FIRST_DAY}T12:00:00+10:00`, dataset.days, FIRST_DAY],
        );
        log(`query   building the data set: ${last} of ${dataset.nmis} NMIs (${Math.round((Date.now() - started) / 1000)} s)`);
      }
    },
    async figures(db) {
      // What the publishes would have kept: the organisation's figures per day and its data version.
      await db.query(`INSERT INTO org_days (org_id, day, streams, readings, complete, actual) SELECT $1, day, count(*), sum(readings), count(*), sum(actual) FROM days GROUP BY day`, [ORG]);
      await db.query(`INSERT INTO org_data VALUES ($1, 1)`, [ORG]);
    },
  }, log, 'query  ');
}
