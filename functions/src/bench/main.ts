import { execFileSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { fingerprint } from '../load/copyRows';
import { DAY_ROW_COLUMNS, dayRecordRow } from '../load/dayRows';
import { intervalEndClock, readingsOf, type DayRecord } from '../nem12';
import { newPool, startDatabase } from '../load/database';
import { loadFile } from '../load/loadFile';
import { migrate } from '../load/migrate';
import { LOCAL_ORG } from '../orgs/orgIds';
import { renderDays } from '../source/parseStream';
import { floorPass, parsePass } from './parseRun';
import { benchPipeline } from './pipelineBench';
import { benchQueries } from './queryRun';
import { DEFAULT_SYNTHETIC, syntheticNem12, type SyntheticOptions } from './synthetic';

/**
 * `npm run bench`: figures and ratios against baselines measured in the same run.
 *   parse   NEM12 parser vs a floor that only reads and splits lines and fields (target >= 0.8x)
 *   memory  peak RSS of each, in its own process, on a ~245 MB file (target < 300 MB)
 *   load    `loadFile` vs a plain COPY of the same day rows into `days` (target <= 2.5x) and of the
 *           same readings as one row each (target >= 5x slower than the load); bytes per reading (<= 16)
 *   reload  the unchanged file again vs the first load (target <= 0.3x)
 *   pipeline  upload-to-done of the same file through the emulated pipeline vs the CLI load (target <= 1.5x)
 *   query   readings API latency on a 35 M-reading table: an NMI-month of readings, a year of daily
 *           stats (targets p95 < 15 ms and < 10 ms), against the bare SQL of the same answer and the cache
 */
const OUT_DIR = resolve(__dirname, '..', '..', '..', 'bench-results');

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      nmis: { type: 'string', default: String(DEFAULT_SYNTHETIC.nmis) },
      days: { type: 'string', default: String(DEFAULT_SYNTHETIC.days) },
      interval: { type: 'string', default: String(DEFAULT_SYNTHETIC.intervalLength) },
      'memory-nmis': { type: 'string', default: '2000' },
      'query-nmis': { type: 'string', default: '2000' },
      'query-days': { type: 'string', default: '365' },
      only: { type: 'string' },
    },
  });
  const sections = new Set((values.only ?? 'parse,memory,load,pipeline,query').split(','));
  mkdirSync(OUT_DIR, { recursive: true });
  const options: SyntheticOptions = { nmis: +values.nmis!, days: +values.days!, intervalLength: +values.interval! };
  const file = await synthetic(options);
  const report: Record<string, unknown> = { file: { ...options, bytes: statSync(file).size, readings: options.nmis * options.days * (1440 / options.intervalLength) } };
  log(`file: ${options.nmis} NMIs x ${options.days} days x ${1440 / options.intervalLength} = ${(report.file as { readings: number }).readings.toLocaleString()} readings, ${mb(statSync(file).size)}`);

  if (sections.has('parse')) report.parse = await benchParse(file);
  if (sections.has('memory')) report.memory = await benchMemory({ ...options, nmis: +values['memory-nmis']! });
  if (sections.has('load') || sections.has('pipeline') || sections.has('query')) {
    const server = await startDatabase();
    try {
      if (sections.has('load') || sections.has('pipeline')) {
        const load = await benchLoad(server.url, file, server.embedded);
        if (sections.has('load')) report.load = load;
        if (sections.has('pipeline')) report.pipeline = await benchPipeline(server.url, file, load.loadMs, { log, round, outDir: OUT_DIR });
      }
      if (sections.has('query')) report.query = await benchQueries(server.url, { nmis: +values['query-nmis']!, days: +values['query-days']! }, log);
    } finally {
      await server.stop();
    }
  }

  writeFileSync(join(OUT_DIR, 'latest.json'), `${JSON.stringify({ at: new Date().toISOString(), node: process.version, ...report }, null, 2)}\n`);
  log(`\nfigures written to ${join(OUT_DIR, 'latest.json')}`);
}

async function benchParse(file: string) {
  // Alternate the two so both see the same machine state; keep the best of each.
  const floor: number[] = [];
  const parse: number[] = [];
  let readings = 0;
  for (let round = 0; round < 3; round++) {
    floor.push(await timed(() => floorPass(file)));
    parse.push(await timed(async () => (readings = await parsePass(file))));
  }
  const floorMs = Math.min(...floor);
  const parseMs = Math.min(...parse);
  const result = {
    floorMs: round(floorMs),
    parseMs: round(parseMs),
    readingsPerSecond: Math.round(readings / (parseMs / 1000)),
    floorReadingsPerSecond: Math.round(readings / (floorMs / 1000)),
    ratio: round(floorMs / parseMs, 2),
    target: '>= 0.8 (parser speed / floor speed)',
  };
  log(`\nparse   ${result.readingsPerSecond.toLocaleString()} readings/s (${result.parseMs} ms); floor ${result.floorReadingsPerSecond.toLocaleString()}/s (${result.floorMs} ms): ${result.ratio}x the floor's speed  [target >= 0.8]`);
  return result;
}

async function benchMemory(options: SyntheticOptions) {
  const file = await synthetic(options);
  const child = (mode: string) =>
    JSON.parse(execFileSync(process.execPath, [join(__dirname, 'parseRun.js'), mode, file], { encoding: 'utf8', maxBuffer: 1 << 20 })) as {
      ms: number;
      maxRssMB: number;
      count: number;
    };
  const floor = child('floor');
  const parse = child('parse');
  const result = {
    fileMB: round(statSync(file).size / 1e6),
    readings: parse.count,
    parsePeakRssMB: round(parse.maxRssMB),
    floorPeakRssMB: round(floor.maxRssMB),
    parseMs: round(parse.ms),
    floorMs: round(floor.ms),
    ratio: round(floor.ms / parse.ms, 2),
    target: 'parse peak RSS < 300 MB',
  };
  log(`memory  ${mb(statSync(file).size)} file: parser peak RSS ${result.parsePeakRssMB} MB, floor ${result.floorPeakRssMB} MB  [target < 300 MB]; speed ${result.ratio}x the floor`);
  return result;
}

async function benchLoad(serverUrl: string, file: string, embedded: boolean) {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  const name = `nem12_bench_${Date.now()}`;
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const pool = newPool({ connectionString: url.toString(), max: 2 });
  try {
    await migrate(pool);
    // Baselines: the same data, already rendered as COPY text, copied into an empty table: as day
    // rows into `days`, and as one row per reading into a table of the former schema's shape.
    const dayRowsFile = join(OUT_DIR, 'bench-day-rows.tsv');
    const readingRowsFile = join(OUT_DIR, 'bench-reading-rows.tsv');
    await renderRowsFiles(file, dayRowsFile, readingRowsFile);
    await pool.query(`CREATE TABLE reading_rows (channel_id integer NOT NULL, interval_end timestamptz NOT NULL, value numeric NOT NULL, uom text NOT NULL,
      kwh numeric, quality "char" NOT NULL, method smallint, reason_code smallint, updated_at timestamptz, upload_id bigint NOT NULL, line integer NOT NULL,
      PRIMARY KEY (channel_id, interval_end))`);
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
    const readingCopyMs = await bareCopy('reading_rows', READING_ROW_COLUMNS, readingRowsFile);
    await pool.query('DROP TABLE reading_rows');
    const dayCopyMs = await bareCopy('days', DAY_ROW_COLUMNS, dayRowsFile);
    await pool.query('TRUNCATE days, channels, uploads RESTART IDENTITY CASCADE');
    await pool.query('VACUUM days');
    await pool.query('CHECKPOINT');

    const input = { open: () => createReadStream(file, { highWaterMark: 1 << 16 }), fileName: 'bench.csv', org: LOCAL_ORG, bytes: statSync(file).size };
    let first: Awaited<ReturnType<typeof loadFile>> | undefined;
    const firstMs = await timed(async () => (first = await loadFile(pool, input)));
    if (!first || first.new !== first.readings) throw new Error(`first load wrote ${first?.new} of ${first?.readings} readings`);
    let again = first;
    const reloadMs = await timed(async () => (again = await loadFile(pool, input)));
    if (again.new !== 0 || again.updated !== 0) throw new Error('re-load changed readings');
    const [{ bytes }] = (await pool.query<{ bytes: string }>(`SELECT pg_total_relation_size('days') AS bytes`)).rows;
    const result = {
      readings: first.readings,
      dayCopyMs: round(dayCopyMs),
      readingCopyMs: round(readingCopyMs),
      loadMs: round(firstMs),
      reloadMs: round(reloadMs),
      loadVsDayCopy: round(firstMs / dayCopyMs, 2),
      readingCopyVsLoad: round(readingCopyMs / firstMs, 2),
      reloadVsLoad: round(reloadMs / firstMs, 2),
      bytesPerReading: round(Number(bytes) / first.readings, 1),
      readingsPerSecond: Math.round(first.readings / (firstMs / 1000)),
      database: embedded ? 'embedded PostgreSQL' : 'DATABASE_URL',
      targets: 'load <= 2.5x COPY of the day rows and >= 5x faster than COPY of one row per reading; reload <= 0.3x load; <= 16 bytes per reading',
    };
    log(`load    ${result.readingsPerSecond.toLocaleString()} readings/s: ${result.loadMs} ms vs COPY of the same day rows ${result.dayCopyMs} ms = ${result.loadVsDayCopy}x  [target <= 2.5x]`);
    log(`        COPY of the same readings as one row each: ${result.readingCopyMs} ms = ${result.readingCopyVsLoad}x the load's time  [target >= 5x]`);
    log(`reload  unchanged file: ${result.reloadMs} ms = ${result.reloadVsLoad}x the first load  [target <= 0.3x]`);
    log(`storage ${result.bytesPerReading} bytes per reading, indexes included (${mb(Number(bytes))})  [target <= 16]`);
    return result;
  } finally {
    await pool.end();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

/** The synthetic file for these options, generated once into bench-results/. */
async function synthetic(options: SyntheticOptions): Promise<string> {
  const path = join(OUT_DIR, `synthetic-${options.nmis}x${options.days}x${options.intervalLength}.csv`);
  if (existsSync(path)) return path;
  const out = createWriteStream(`${path}.partial`);
  for (const text of syntheticNem12(options)) if (!out.write(text)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
  execFileSync('mv', [`${path}.partial`, path]);
  return path;
}

/** The file's days as COPY rows of `days`, and its readings as COPY rows of one row each (the former schema). */
async function renderRowsFiles(file: string, dayRowsFile: string, readingRowsFile: string): Promise<void> {
  const days = createWriteStream(dayRowsFile);
  const readings = createWriteStream(readingRowsFile);
  const channelIds = new Map<string, number>();
  let pendingReadings: string[] = [];
  const { text } = renderDays(createReadStream(file, { highWaterMark: 1 << 16 }), (day) => {
    const key = `${day.channel.nmi},${day.channel.suffix}`;
    if (!channelIds.has(key)) channelIds.set(key, channelIds.size + 1);
    pendingReadings.push(readingRowsOf(day, channelIds.get(key)!));
    return dayRecordRow(day, channelIds.get(key)!, 1, fingerprint(day));
  });
  for await (const part of text) {
    if (!days.write(part)) await once(days, 'drain');
    if (!readings.write(pendingReadings.join(''))) await once(readings, 'drain');
    pendingReadings = [];
  }
  for (const out of [days, readings]) {
    out.end();
    await once(out, 'finish');
  }
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

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

const round = (n: number, digits = 0) => Math.round(n * 10 ** digits) / 10 ** digits;
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const log = (line: string) => process.stdout.write(`${line}\n`);

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
