import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { fingerprint } from '../load/copyRows';
import { DAY_ROW_COLUMNS, dayRecordRow } from '../load/dayRows';
import { newPool } from '../load/database';
import { loadFile } from '../ingest/loadFile';
import { migrate } from '../load/migrate';
import { intervalEndClock, readingsOf, type DayRecord } from 'nem12';
import { LOCAL_ORG } from '../orgs/orgIds';
import { renderDays } from '../source/parseStream';
import { round, timed } from './report';

export interface LoadBenchFiles {
  /** Loaded into an empty database, then again unchanged (the re-load). */
  first: string;
  /** The next delivery (the same streams, the next day), loaded after the first: the usual daily load. */
  next?: string;
}

/**
 * `nem12 load` (loadFile) against baselines measured in the same run, on a fresh database: a bare
 * COPY of the very day rows it writes, into `days`; for the history file also the same readings as
 * one row each (the former schema). Loads are timed `repeat` times from a truncated database, and the
 * best of each is kept (this is a shared 2-core machine: the best is the least disturbed).
 */
export async function benchLoad(serverUrl: string, files: LoadBenchFiles, options: { outDir: string; readingRows: boolean; repeat: number }) {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  const name = `nem12_bench_${Date.now()}`;
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const pool = newPool({ connectionString: url.toString(), max: 2 });
  try {
    await migrate(pool);
    const dayRowsFile = join(options.outDir, 'bench-day-rows.tsv');
    const readingRowsFile = options.readingRows ? join(options.outDir, 'bench-reading-rows.tsv') : null;
    const months = await renderRowsFiles(files.first, dayRowsFile, readingRowsFile);
    // The bare COPY writes `days` as the loads do: into its months (made here as a load makes them).
    await pool.query('SELECT ensure_day_partitions($1::date[])', [months]);
    const bareCopy = async (table: string, columns: string, rowsFile: string) => {
      await pool.query('CHECKPOINT');
      return timed(async () => {
        const client = await pool.connect();
        try {
          await pipeline(createReadStream(rowsFile, { highWaterMark: 1 << 16 }), client.query(copyFrom(`COPY ${table} (${columns}) FROM STDIN`)));
        } finally {
          client.release();
        }
      });
    };
    let readingCopyMs: number | null = null;
    if (readingRowsFile) {
      await pool.query(`CREATE TABLE reading_rows (channel_id integer NOT NULL, interval_end timestamptz NOT NULL, value numeric NOT NULL, uom text NOT NULL,
        kwh numeric, quality "char" NOT NULL, method smallint, reason_code smallint, updated_at timestamptz, upload_id bigint NOT NULL, line integer NOT NULL,
        PRIMARY KEY (channel_id, interval_end))`);
      readingCopyMs = await bareCopy('reading_rows', READING_ROW_COLUMNS, readingRowsFile);
      await pool.query('DROP TABLE reading_rows');
    }
    const dayCopy: number[] = [];
    for (let i = 0; i < options.repeat; i++) {
      await pool.query('TRUNCATE days');
      dayCopy.push(await bareCopy('days', DAY_ROW_COLUMNS, dayRowsFile));
    }

    const input = (file: string) => ({ open: () => createReadStream(file, { highWaterMark: 1 << 16 }), fileName: 'bench.csv', org: LOCAL_ORG, bytes: statSync(file).size });
    const times = { first: [] as number[], next: [] as number[], reload: [] as number[] };
    let readings = 0;
    let nextReadings = 0;
    for (let i = 0; i < options.repeat; i++) {
      await pool.query('TRUNCATE days, channels, uploads, org_days, org_data RESTART IDENTITY CASCADE');
      await pool.query('VACUUM ANALYZE');
      await pool.query('CHECKPOINT');
      let first: Awaited<ReturnType<typeof loadFile>> | undefined;
      times.first.push(await timed(async () => (first = await loadFile(pool, input(files.first)))));
      if (!first || !first.ok || first.new !== first.readings) throw new Error(`first load wrote ${first?.new} of ${first?.readings} readings`);
      readings = first.readings;
      if (files.next) {
        await pool.query('CHECKPOINT');
        let next: Awaited<ReturnType<typeof loadFile>> | undefined;
        times.next.push(await timed(async () => (next = await loadFile(pool, input(files.next!)))));
        if (!next || !next.ok || next.new !== next.readings) throw new Error(`next load wrote ${next?.new} of ${next?.readings} readings`);
        nextReadings = next.readings;
      }
      let again: Awaited<ReturnType<typeof loadFile>> | undefined;
      times.reload.push(await timed(async () => (again = await loadFile(pool, input(files.first)))));
      if (!again || again.new !== 0 || again.updated !== 0) throw new Error('re-load changed readings');
    }
    // Every month of `days` (a partitioned table has no storage of its own).
    const [{ bytes }] = (await pool.query<{ bytes: string }>(`SELECT sum(pg_total_relation_size(inhrelid)) AS bytes FROM pg_inherits WHERE inhparent = 'days'::regclass`)).rows;
    const best = (list: number[]) => Math.min(...list);
    const dayCopyMs = best(dayCopy);
    const firstMs = best(times.first);
    const nextMs = files.next ? best(times.next) : null;
    const reloadMs = best(times.reload);
    // The figure a daily delivery pays: the next day's load when there is one (streams known), else the first.
    const loadMs = nextMs ?? firstMs;
    const loadReadings = nextMs === null ? readings : nextReadings;
    return {
      readings,
      repeat: options.repeat,
      dayCopyMs: round(dayCopyMs),
      readingCopyMs: readingCopyMs === null ? null : round(readingCopyMs),
      firstLoadMs: round(firstMs),
      nextLoadMs: nextMs === null ? null : round(nextMs),
      loadMs: round(loadMs),
      reloadMs: round(reloadMs),
      loadVsDayCopy: round(loadMs / dayCopyMs, 2),
      firstLoadVsDayCopy: round(firstMs / dayCopyMs, 2),
      readingCopyVsLoad: readingCopyMs === null ? null : round(readingCopyMs / firstMs, 2),
      reloadVsLoad: round(reloadMs / loadMs, 2),
      bytesPerReading: round(Number(bytes) / (readings + (files.next ? nextReadings : 0)), 1),
      readingsPerSecond: Math.round(loadReadings / (loadMs / 1000)),
    };
  } finally {
    await pool.end();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

/**
 * The file's days as COPY rows of `days`, and (if asked) its readings as COPY rows of one row each
 * (the former schema). Returns the first day of each month the file's days are in.
 */
async function renderRowsFiles(file: string, dayRowsFile: string, readingRowsFile: string | null): Promise<string[]> {
  const months = new Set<string>();
  const days = createWriteStream(dayRowsFile);
  const readings = readingRowsFile === null ? null : createWriteStream(readingRowsFile);
  const channelIds = new Map<string, number>();
  let pendingReadings: string[] = [];
  const { text } = renderDays(createReadStream(file, { highWaterMark: 1 << 16 }), (day) => {
    const key = `${day.channel.nmi},${day.channel.suffix}`;
    if (!channelIds.has(key)) channelIds.set(key, channelIds.size + 1);
    if (readings !== null) pendingReadings.push(readingRowsOf(day, channelIds.get(key)!));
    months.add(`${day.date.slice(0, 7)}-01`);
    return dayRecordRow(day, channelIds.get(key)!, 1, fingerprint(day));
  });
  for await (const part of text) {
    if (!days.write(part)) await once(days, 'drain');
    if (readings !== null && !readings.write(pendingReadings.join(''))) await once(readings, 'drain');
    pendingReadings = [];
  }
  for (const out of readings === null ? [days] : [days, readings]) {
    out.end();
    await once(out, 'finish');
  }
  return [...months];
}

const READING_ROW_COLUMNS = 'channel_id, interval_end, value, uom, kwh, quality, method, reason_code, updated_at, upload_id, line';

/** One COPY row per reading, as the former schema stored them. */
function readingRowsOf(day: DayRecord, channelId: number): string {
  const clock = intervalEndClock(day.channel.intervalLength);
  const rows: string[] = [];
  for (const reading of readingsOf(day)) {
    const index = Math.round((reading.intervalEnd.getTime() - Date.parse(`${day.date}T00:00:00+10:00`)) / 60_000 / day.channel.intervalLength) - 1;
    rows.push(`${channelId}\t${day.date} ${clock[index]}+10\t${reading.value}\t${day.channel.uom}\t${reading.value}\t${reading.quality}\t${reading.method ?? '\\N'}\t${reading.reasonCode ?? '\\N'}\t${day.updatedAt ?? '\\N'}\t1\t${day.line}\n`);
  }
  return rows.join('');
}
