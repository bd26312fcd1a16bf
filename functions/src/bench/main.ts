import { execFileSync, spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { READING_COLUMNS, readingRows } from '../load/copyRows';
import { startDatabase } from '../load/database';
import { loadFile } from '../load/loadFile';
import { migrate } from '../load/migrate';
import { LOCAL_ORG } from '../orgs/orgIds';
import { renderDays } from '../source/parseStream';
import { floorPass, parsePass } from './parseRun';
import { benchQueries } from './queryRun';
import { DEFAULT_SYNTHETIC, syntheticNem12, type SyntheticOptions } from './synthetic';

/**
 * `npm run bench`: figures and ratios against baselines measured in the same run.
 *   parse   NEM12 parser vs a floor that only reads and splits lines and fields (target >= 0.8x)
 *   memory  peak RSS of each, in its own process, on a ~245 MB file (target < 300 MB)
 *   load    `loadFile` vs a plain COPY of the same rows as CSV into the same table (target <= 1.3x)
 *   reload  the unchanged file again vs the first load (target <= 0.5x)
 *   pipeline  upload-to-done of the same file through the emulated pipeline vs the CLI load (target <= 2x)
 *   query   readings API latency on a 35 M-reading table: an NMI-month of readings, a year of daily
 *           stats (target p95 < 50 ms), against the bare SQL of the same rows and the cache
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
        if (sections.has('pipeline')) report.pipeline = await benchPipeline(server.url, file, load.loadMs);
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
  const pool = new pg.Pool({ connectionString: url.toString(), max: 2 });
  try {
    await migrate(pool);
    // Baseline: the same rows, already rendered as COPY text, copied into the same (empty) table.
    const rowsFile = join(OUT_DIR, 'bench-rows.tsv');
    await renderRowsFile(file, rowsFile);
    await pool.query('CHECKPOINT');
    const copyMs = await timed(async () => {
      const client = await pool.connect();
      try {
        await pipeline(createReadStream(rowsFile, { highWaterMark: 1 << 16 }), client.query(copyFrom(`COPY readings (${READING_COLUMNS}) FROM STDIN`)));
      } finally {
        client.release();
      }
    });
    await pool.query('TRUNCATE readings, reading_days, channels, uploads RESTART IDENTITY CASCADE');
    await pool.query('VACUUM readings');
    await pool.query('CHECKPOINT');

    const input = { open: () => createReadStream(file, { highWaterMark: 1 << 16 }), fileName: 'bench.csv', org: LOCAL_ORG };
    let first: Awaited<ReturnType<typeof loadFile>> | undefined;
    const firstMs = await timed(async () => (first = await loadFile(pool, input)));
    if (!first || first.new !== first.readings) throw new Error(`first load wrote ${first?.new} of ${first?.readings} readings`);
    let again = first;
    const reloadMs = await timed(async () => (again = await loadFile(pool, input)));
    if (again.new !== 0 || again.updated !== 0) throw new Error('re-load changed readings');
    const result = {
      readings: first.readings,
      copyMs: round(copyMs),
      loadMs: round(firstMs),
      reloadMs: round(reloadMs),
      loadVsCopy: round(firstMs / copyMs, 2),
      reloadVsLoad: round(reloadMs / firstMs, 2),
      readingsPerSecond: Math.round(first.readings / (firstMs / 1000)),
      database: embedded ? 'embedded PostgreSQL' : 'DATABASE_URL',
      targets: 'load <= 1.3x COPY; reload <= 0.5x load',
    };
    log(`load    ${result.readingsPerSecond.toLocaleString()} readings/s: ${result.loadMs} ms vs COPY of the same rows ${result.copyMs} ms = ${result.loadVsCopy}x  [target <= 1.3x]`);
    log(`reload  unchanged file: ${result.reloadMs} ms = ${result.reloadVsLoad}x the first load  [target <= 0.5x]`);
    return result;
  } finally {
    await pool.end();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

/**
 * The same file through the whole pipeline on the emulators (trigger, split, chunk tasks, Flo SQL
 * file, publish), into a fresh database on the same server, timed from upload to status done.
 */
async function benchPipeline(serverUrl: string, file: string, cliLoadMs: number) {
  const exec = join(__dirname, '..', 'dev', 'exec.js');
  const run = spawnSync(
    process.execPath,
    [exec, '--fresh-database', '--only', 'functions,firestore,storage,tasks', '--', process.execPath, join(__dirname, 'pipelineRun.js'), file],
    { env: { ...process.env, DATABASE_URL: serverUrl }, encoding: 'utf8', maxBuffer: 64 << 20 },
  );
  const line = run.stdout.split('\n').find((text) => text.startsWith('PIPELINE_RESULT '));
  if (run.status !== 0 || line === undefined) {
    throw new Error(`pipeline run failed (exit ${run.status}):\n${run.stdout.slice(-3000)}\n${run.stderr.slice(-3000)}`);
  }
  const measured = JSON.parse(line.slice('PIPELINE_RESULT '.length)) as { readings: number; chunks: number; ms: number; uploadMs: number; coldSmallFileMs: number; timeline: string[] };
  const result = {
    readings: measured.readings,
    chunks: measured.chunks,
    uploadToDoneMs: round(measured.ms),
    uploadMs: round(measured.uploadMs),
    timeline: measured.timeline,
    coldSmallFileMs: round(measured.coldSmallFileMs),
    cliLoadMs: round(cliLoadMs),
    vsCliLoad: round(measured.ms / cliLoadMs, 2),
    target: 'upload-to-done <= 2x the CLI load',
  };
  log(`pipeline upload-to-done ${result.uploadToDoneMs} ms (${result.chunks} chunks, upload ${result.uploadMs} ms) vs CLI load ${result.cliLoadMs} ms = ${result.vsCliLoad}x  [target <= 2x]`);
  log(`         status timeline: ${result.timeline.join(' | ')}; a first (cold) small upload took ${result.coldSmallFileMs} ms`);
  return result;
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

async function renderRowsFile(file: string, rowsFile: string): Promise<void> {
  const out = createWriteStream(rowsFile);
  const channelIds = new Map<string, number>();
  const { text } = renderDays(createReadStream(file, { highWaterMark: 1 << 16 }), (day) => {
    const key = `${day.channel.nmi},${day.channel.suffix}`;
    if (!channelIds.has(key)) channelIds.set(key, channelIds.size + 1);
    return readingRows(day, channelIds.get(key)!, 1);
  });
  for await (const part of text) if (!out.write(part)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
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
