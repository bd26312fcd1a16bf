import pg from 'pg';
import { newPool } from '../load/database';
import { inTransaction } from '../load/migrate';
import { OrgDayChanges } from '../load/orgDays';
import { recordDayStreams } from '../load/orgDayStreams';
import { ensureDataset, GROWTH_ORG, orgApi, type GrowthDataset } from './growthBench';
import { latencies, ratio, round, timed } from './report';

/**
 * The completeness report (GET /completeness, /completeness/streams) on the growth section's
 * organisation: 100,000 streams x a year, with missing days, stopped streams, empty intervals and
 * estimates (growthBench.ts DEFECTS). Timed uncached, over the last 90 days. And what keeping its
 * daily bitmaps adds to a publish: the bitmaps of a daily file of every stream written (in a
 * transaction rolled back), against the daily load of the growth section.
 */
export async function benchCompleteness(serverUrl: string, dataset: GrowthDataset, options: { dailyLoadMs: number | null; log: (line: string) => void }) {
  const { log } = options;
  const url = await ensureDataset(serverUrl, dataset, log);
  const pool = newPool({ connectionString: url, max: 2 });
  try {
    const [{ last, next, streams }] = (
      await pool.query<{ last: string; next: string; streams: number }>(
        `SELECT max(day)::text AS last, (max(day) + 1)::text AS next, (SELECT streams FROM org_data WHERE org_id = $1) AS streams FROM org_days WHERE org_id = $1`,
        [GROWTH_ORG],
      )
    ).rows;
    const from = new Date(Date.parse(last) - 89 * 86_400_000).toISOString().slice(0, 10);
    const request = orgApi(pool);
    const summaryPath = `/completeness?from=${from}&to=${last}`;
    const first = JSON.parse((await request(summaryPath)).body) as { streams: Record<string, number>; days: { missing: number }[] };
    for (let i = 0; i < 5; i++) await request(summaryPath);
    const summary = await latencies(Array.from({ length: 30 }, () => summaryPath), request);
    const pages = await latencies(
      ['missing', 'partial', 'estimated'].flatMap((status) => Array.from({ length: 10 }, () => `/completeness/streams?from=${from}&to=${last}&status=${status}&limit=50`)),
      request,
    );
    log(
      `complete ${streams.toLocaleString()} streams, ${from} to ${last} (90 days): ${first.streams.missing} streams with days missing (${first.days.reduce((n, d) => n + d.missing, 0)} days), ` +
        `${first.streams.partial} with empty intervals, ${first.streams.estimated} with estimates`,
    );
    log(`        /completeness p50 ${summary.p50} ms, p95 ${summary.p95} ms; /completeness/streams (first 50, worst first) p50 ${pages.p50} ms, p95 ${pages.p95} ms  [target p95 < 100 ms]`);

    const upkeep = await bitmapUpkeep(pool, next, streams);
    const share = options.dailyLoadMs === null ? null : ratio(upkeep, options.dailyLoadMs - upkeep);
    log(
      `        daily bitmaps of a ${streams.toLocaleString()}-stream daily file: ${round(upkeep)} ms` +
        (share === null ? '' : ` of its ${round(options.dailyLoadMs!)} ms load = +${Math.round(share * 1000) / 10}%  [target <= +10%]`),
    );
    return { streams, from, to: last, summary, firstPage: pages, bitmapUpkeepMs: round(upkeep), publishSlowdown: share, targets: { summary: 'p95 < 100 ms', firstPage: 'p95 < 100 ms', publishSlowdown: '<= 0.10' } };
  } finally {
    await pool.end();
  }
}

/** recordDayStreams for every stream on `day` (a day not stored yet), in transactions rolled back: the fastest of 5. */
async function bitmapUpkeep(pool: pg.Pool, day: string, streams: number): Promise<number> {
  const changes = new OrgDayChanges();
  const counts = { actual: 48, estimated: 0, substituted: 0, variable: 0 };
  const ids = (await pool.query<{ id: number }>('SELECT id FROM channels WHERE org_id = $1 ORDER BY ordinal', [GROWTH_ORG])).rows;
  for (const { id } of ids) changes.add(id, day, 48, 48, counts);
  const runs: number[] = [];
  const client = await pool.connect();
  try {
    for (let i = 0; i < 5; i++) {
      runs.push(
        await timed(() =>
          inTransaction(client, async () => {
            await recordDayStreams(client, GROWTH_ORG, changes, null);
            throw new RolledBack();
          }).catch((error) => {
            if (!(error instanceof RolledBack)) throw error;
          }),
        ),
      );
    }
  } finally {
    client.release();
  }
  if (streams !== ids.length) throw new Error(`${ids.length} streams have ordinals of ${streams}`);
  return Math.min(...runs);
}

class RolledBack extends Error {}
