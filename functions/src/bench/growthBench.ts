import { createReadStream, rmSync, statSync } from 'node:fs';
import pg from 'pg';
import { newPool } from '../load/database';
import { loadFile } from '../ingest/loadFile';
import { keptDataset, memberApi } from './benchDatabase';
import { latencies, ratio, round, seeded, timed } from './report';

/**
 * A year of daily deliveries: an organisation holding `nmis` streams x (`days` - 1) days (built in
 * SQL into a database of its own, kept between runs: it takes minutes and tens of GB), into which
 * the next day's file of every NMI is loaded, as the 365th delivery of a year is. Each run loads
 * the next day again (the data set grows by a day a run). Against it, the same delivery into an
 * organisation holding one day (the wide section's next-day load). The readings API's /nmis (search
 * by any part of an NMI) and /overview are timed on the same organisation.
 */
export interface GrowthDataset {
  nmis: number;
  days: number;
}

export const GROWTH_ORG = 'growth';
const ORG = GROWTH_ORG;
const OWNER = 'growth-user';
const FIRST_DAY = '2023-01-01';
const BATCH_CHANNELS = 5_000;
/** One day row in `missingEvery` is missing; one stream in `stoppedEvery` stopped `stoppedDaysAgo` days ago; one day in `partialEvery` has an empty interval, one in `estimatedEvery` is estimated. */
export const DEFECTS = { missingEvery: 997, stoppedEvery: 500, stoppedDaysAgo: 20, partialEvery: 1009, estimatedEvery: 211 };
/** The synthetic files' NMIs (bench/synthetic.ts). */
const nmiOf = (n: number) => `NMI${String(n).padStart(7, '0')}`;

export async function benchGrowth(
  serverUrl: string,
  dataset: GrowthDataset,
  options: {
    dailyFile: (date: string) => Promise<string>;
    /** Files other sections of the run still read (the wide section's daily file: its date comes round here too). */
    keep: readonly string[];
    earlyLoadMs: number | null;
    log: (line: string) => void;
  },
) {
  const { log } = options;
  const url = await ensureDataset(serverUrl, dataset, log);
  const pool = newPool({ connectionString: url, max: 2 });
  try {
    const loads: number[] = [];
    let stored = 0;
    let readings = 0;
    for (let i = 0; i < 2; i++) {
      const [{ day, days }] = (
        await pool.query<{ day: string; days: string }>(`SELECT (max(day) + 1)::text AS day, count(*) AS days FROM org_days WHERE org_id = $1`, [ORG])
      ).rows;
      stored = Number(days);
      const file = await options.dailyFile(day);
      await pool.query('CHECKPOINT');
      let result: Awaited<ReturnType<typeof loadFile>> | undefined;
      loads.push(
        await timed(async () => (result = await loadFile(pool, { open: () => createReadStream(file, { highWaterMark: 1 << 16 }), fileName: `daily-${day}.csv`, org: ORG, bytes: statSync(file).size }))),
      );
      if (!options.keep.includes(file)) rmSync(file); // one a run: not worth keeping
      if (!result?.ok || result.new !== result.readings) throw new Error(`the daily file of ${day} wrote ${result?.new} of ${result?.readings} readings`);
      readings = result.readings;
      log(`growth  the daily file of ${day} (${dataset.nmis.toLocaleString()} NMIs) into ${stored} stored days: ${round(loads.at(-1)!)} ms`);
    }
    const loadMs = Math.min(...loads);
    const queries = await benchOrgQueries(pool, dataset, log);
    const result = {
      nmis: dataset.nmis,
      storedDays: stored,
      readings,
      dailyLoadMs: round(loadMs),
      earlyLoadMs: options.earlyLoadMs === null ? null : round(options.earlyLoadMs),
      vsEarly: options.earlyLoadMs === null ? null : ratio(loadMs, options.earlyLoadMs),
      target: 'daily load into a year of stored days <= 1.3x its load into an organisation holding one day',
      ...queries,
    };
    if (result.vsEarly !== null) {
      log(`growth  daily file into ${stored} stored days: ${result.dailyLoadMs} ms vs into one stored day ${result.earlyLoadMs} ms = ${result.vsEarly}x  [target <= 1.3x]`);
    }
    return result;
  } finally {
    await pool.end();
  }
}

/** /nmis searches (any part of an NMI, as a user types it) and /overview on the organisation of `dataset.nmis` NMIs. */
async function benchOrgQueries(pool: pg.Pool, dataset: GrowthDataset, log: (line: string) => void) {
  const request = orgApi(pool);
  const random = seeded(7);
  // What someone types: 3 to 7 characters from anywhere in an NMI, in any case.
  const searches = Array.from({ length: 200 }, () => {
    const nmi = nmiOf(Math.floor(random() * dataset.nmis));
    const length = 3 + Math.floor(random() * 5);
    const start = Math.floor(random() * (nmi.length - length + 1));
    const part = nmi.slice(start, start + length);
    return `/nmis?search=${encodeURIComponent(random() < 0.5 ? part.toLowerCase() : part)}&limit=20`;
  });
  for (const path of searches.slice(0, 20)) await request(path);
  const search = await latencies(searches, request);
  const first = await latencies(Array.from({ length: 50 }, () => '/nmis?limit=200'), request);
  const overview = await latencies(Array.from({ length: 50 }, () => '/overview'), request);
  log(`query   ${dataset.nmis.toLocaleString()} NMIs in the organisation: /nmis?search= (3-7 characters from anywhere) p50 ${search.p50} ms, p95 ${search.p95} ms  [target p95 < 50 ms]`);
  log(`        /nmis (the first 200 and the latest uploads' NMIs) p50 ${first.p50} ms, p95 ${first.p95} ms; /overview p50 ${overview.p50} ms, p95 ${overview.p95} ms  [target p95 < 100 ms]`);
  return { nmiSearch: search, nmiFirstPage: first, overview, queryTargets: { nmiSearch: 'p95 < 50 ms', overview: 'p95 < 100 ms' } };
}

/** GETs of the readings API as a member of the growth organisation, uncached (every answer computed). */
export const orgApi = (pool: pg.Pool) => memberApi(pool, ORG, OWNER);

/** The growth database with the data set in place; built (minutes) when missing or of another shape. */
export function ensureDataset(serverUrl: string, dataset: GrowthDataset, log: (line: string) => void): Promise<string> {
  return keptDataset(serverUrl, 'nem12_bench_growth', dataset, {
    firstDay: FIRST_DAY,
    async rows(db, started) {
      await db.query(
        `INSERT INTO uploads (org_id, source_key, file_name, owner, status, published_at, first_nmis)
         VALUES ($1, 'growth', 'growth.csv', $2, 'done', now(), ARRAY(SELECT 'NMI' || lpad(n::text, 7, '0') FROM generate_series(0, 99) n))`,
        [ORG, OWNER],
      );
      await db.query(
        `INSERT INTO channels (org_id, nmi, suffix, published, ordinal) SELECT $2, 'NMI' || lpad(n::text, 7, '0'), 'E1', true, n FROM generate_series(0, $1::int - 1) n ORDER BY n`,
        [dataset.nmis, ORG],
      );
      for (let first = 1; first <= dataset.nmis; first += BATCH_CHANNELS) {
        const last = Math.min(dataset.nmis, first + BATCH_CHANNELS - 1);
        // One day of 48 readings, the same for every row (what is stored matters here, not its values),
        // with what a year of real deliveries has (DEFECTS): days missing, streams that stopped,
        // days with an empty interval, estimated days.
        await db.query(
          `INSERT INTO days (channel_id, day, interval_length, uom, kwh_factor, intervals, quality, readings, total, kwh, peak, peak_interval, fingerprint, updated_at, upload_id, line,
                             actual, estimated)
           SELECT c, $4::date + d, 30, 'kWh', 1, CASE WHEN r.partial THEN k.gap ELSE k.intervals END, CASE WHEN r.estimated THEN '{48,69,NULL,NULL,0}'::smallint[] ELSE '{48,65,NULL,NULL,0}' END,
                  48 - r.partial::int, k.total, k.total, k.peak, 1, md5(c || ':' || d)::uuid, $5::timestamptz, 1, 1,
                  CASE WHEN r.estimated THEN 0 ELSE 48 - r.partial::int END, CASE WHEN r.estimated THEN 48 - r.partial::int ELSE 0 END
           FROM generate_series($1::int, $2::int) c, generate_series(0, $3::int - 2) d,
                LATERAL (SELECT (c * 31 + d * 7) % ${DEFECTS.partialEvery} = 0 AS partial, (c * 17 + d * 13) % ${DEFECTS.estimatedEvery} = 0 AS estimated) r,
                (SELECT array_agg(v ORDER BY i) AS intervals, array_agg(CASE WHEN i = 5 THEN NULL ELSE v END ORDER BY i) AS gap, sum(v) AS total, max(v) AS peak
                 FROM generate_series(1, 48) i, LATERAL (SELECT round((0.2 + (i % 9) / 10.0)::numeric, 3) AS v) x) k
           WHERE (c * 7919 + d * 104729) % ${DEFECTS.missingEvery} <> 0 AND NOT (c % ${DEFECTS.stoppedEvery} = 0 AND d > $3::int - ${DEFECTS.stoppedDaysAgo})
           ORDER BY c, d`,
          [first, last, dataset.days, FIRST_DAY, `${FIRST_DAY}T12:00:00+10:00`],
        );
        log(`growth  building the data set: ${last.toLocaleString()} of ${dataset.nmis.toLocaleString()} NMIs x ${dataset.days - 1} days (${Math.round((Date.now() - started) / 1000)} s)`);
      }
    },
    async figures(db) {
      await db.query(
        `INSERT INTO org_days (org_id, day, streams, readings, complete, partial, actual, estimated)
         SELECT $1, day, count(*), sum(readings), count(*) FILTER (WHERE readings = 48), count(*) FILTER (WHERE readings < 48), sum(actual), sum(estimated) FROM days GROUP BY day`,
        [ORG],
      );
      log('growth  building the daily bitmaps of streams');
      await db.query(
        `INSERT INTO org_day_streams (org_id, day, page, received, partial, flagged)
         SELECT $1, d.day, c.ordinal / 8192, stream_page(array_agg(c.ordinal)),
                CASE WHEN bool_or(d.readings < 48) THEN stream_page(array_agg(c.ordinal) FILTER (WHERE d.readings < 48)) END,
                CASE WHEN bool_or(d.estimated > 0) THEN stream_page(array_agg(c.ordinal) FILTER (WHERE d.estimated > 0)) END
         FROM days d JOIN channels c ON c.id = d.channel_id GROUP BY d.day, c.ordinal / 8192`,
        [ORG],
      );
      await db.query(`INSERT INTO org_data (org_id, version, streams) VALUES ($1, 1, $2)`, [ORG, dataset.nmis]);
    },
  }, log, 'growth ');
}
