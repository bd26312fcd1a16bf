import { execFileSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startDatabase } from '../dev/database';
import { benchBrowser } from './browserBench';
import { benchCompleteness } from './completenessBench';
import { benchGrowth } from './growthBench';
import { benchLoad } from './loadBench';
import { floorPass, parsePass } from './parseRun';
import { benchPipeline } from './pipelineBench';
import { benchQueries } from './queryRun';
import { log, mb, ratio, round, timed } from './report';
import { DEFAULT_SYNTHETIC, syntheticNem12, type SyntheticOptions } from './synthetic';

/**
 * `npm run bench`: figures and ratios against baselines measured in the same run.
 *   parse     NEM12 parser vs a floor that only reads and splits lines and fields (target >= 0.8x)
 *   memory    peak RSS of each, in its own process, on a ~245 MB file (target < 300 MB)
 *   load      the history file (200 NMIs x 365 days): `nem12 load` vs a plain COPY of the same day
 *             rows into `days` (target <= 2.5x) and of the same readings as one row each (target >= 5x
 *             slower than the load); the unchanged file again (target <= 0.3x); bytes per reading (<= 16)
 *   wide      the daily file (100,000 NMIs x 1 day): the same, into an empty database and as the next
 *             day's delivery (streams known); readings per second within 1.25x of the history file's
 *   growth    the daily file into an organisation holding a year of days (target <= 1.3x the next-day
 *             load above); /nmis search and /overview with 100,000 NMIs (p95 < 50 ms, < 100 ms)
 *   completeness  /completeness and /completeness/streams over 90 days of the growth organisation
 *             (p95 < 100 ms each); its daily bitmaps' share of the daily load (target <= +10%)
 *   pipeline  upload-to-done through the emulated pipeline, of each file, vs the CLI load (target <= 1.5x)
 *   browser   the page's pre-check of the ~245 MB file in headless Chromium (a Web Worker) vs `nem12
 *             check` of it (target <= 2x), and the page's longest pause meanwhile
 *   query     readings API latency on a 35 M-reading table: an NMI-month of readings, a year of daily
 *             stats (targets p95 < 15 ms and < 10 ms), against the bare SQL of the same answer and the cache
 */
const OUT_DIR = resolve(__dirname, '..', '..', '..', 'bench-results');
const SECTIONS = 'parse,memory,browser,load,wide,growth,completeness,pipeline,query';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      nmis: { type: 'string', default: String(DEFAULT_SYNTHETIC.nmis) },
      days: { type: 'string', default: String(DEFAULT_SYNTHETIC.days) },
      interval: { type: 'string', default: String(DEFAULT_SYNTHETIC.intervalLength) },
      'wide-nmis': { type: 'string', default: '100000' },
      'growth-days': { type: 'string', default: '365' },
      'memory-nmis': { type: 'string', default: '2000' },
      'query-nmis': { type: 'string', default: '2000' },
      'query-days': { type: 'string', default: '365' },
      repeat: { type: 'string', default: '2' },
      only: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    log(`npm run bench [-- --only ${SECTIONS}] [--nmis N --days N --interval M] [--wide-nmis N] [--growth-days N] [--repeat N]`);
    return;
  }
  const sections = new Set((values.only ?? SECTIONS).split(','));
  mkdirSync(OUT_DIR, { recursive: true });
  const options: SyntheticOptions = { nmis: +values.nmis!, days: +values.days!, intervalLength: +values.interval! };
  const wide: SyntheticOptions = { nmis: +values['wide-nmis']!, days: 1, intervalLength: options.intervalLength, startDate: '2024-01-01' };
  const repeat = +values.repeat!;
  const file = await synthetic(options);
  const report: Record<string, unknown> = { file: { ...options, bytes: statSync(file).size, readings: readingsOf(options) } };
  log(`history file: ${describe(options)}, ${mb(statSync(file).size)}`);

  if (sections.has('parse')) report.parse = await benchParse(file);
  if (sections.has('memory')) report.memory = await benchMemory({ ...options, nmis: +values['memory-nmis']! });
  if (sections.has('browser')) report.browser = await benchBrowser(await synthetic({ ...options, nmis: +values['memory-nmis']! }), log);
  if (['load', 'wide', 'growth', 'completeness', 'pipeline', 'query'].some((section) => sections.has(section))) {
    const server = await startDatabase();
    try {
      const needHistory = sections.has('load') || sections.has('pipeline') || sections.has('wide');
      const history = needHistory ? await benchLoad(server.url, { first: file }, { outDir: OUT_DIR, readingRows: sections.has('load'), repeat }) : null;
      if (history && sections.has('load')) report.load = history;
      if (history && sections.has('load')) printLoad('load   ', history);
      let daily: Awaited<ReturnType<typeof benchLoad>> | null = null;
      const wideFile = await synthetic(wide);
      if (sections.has('wide') || sections.has('growth') || sections.has('pipeline')) {
        log(`\ndaily file: ${describe(wide)}, ${mb(statSync(wideFile).size)}`);
        daily = await benchLoad(server.url, { first: wideFile, next: await synthetic({ ...wide, startDate: '2024-01-02' }) }, { outDir: OUT_DIR, readingRows: false, repeat });
        const perReading = history ? ratio(history.readingsPerSecond, daily.readingsPerSecond) : null;
        report.wide = { ...daily, historyReadingsPerSecond: history?.readingsPerSecond ?? null, historyVsDailyReadingsPerSecond: perReading };
        printLoad('wide   ', daily);
        if (perReading !== null) log(`        readings per second: the history file's ${history!.readingsPerSecond.toLocaleString()} = ${perReading}x the daily file's  [target <= 1.25x]`);
      }
      let growth: Awaited<ReturnType<typeof benchGrowth>> | null = null;
      if (sections.has('growth')) {
        report.growth = growth = await benchGrowth(
          server.url,
          { nmis: wide.nmis, days: +values['growth-days']! },
          { dailyFile: (date) => synthetic({ ...wide, startDate: date }), keep: [wideFile], earlyLoadMs: daily?.nextLoadMs ?? null, log },
        );
      }
      if (sections.has('completeness')) {
        report.completeness = await benchCompleteness(server.url, { nmis: wide.nmis, days: +values['growth-days']! }, { dailyLoadMs: growth?.dailyLoadMs ?? null, log });
      }
      if (sections.has('pipeline')) {
        const context = { log, round, outDir: OUT_DIR };
        report.pipeline = {
          history: await benchPipeline(server.url, file, history!.loadMs, context),
          daily: await benchPipeline(server.url, wideFile, daily!.firstLoadMs, context, { label: 'a daily file of 500,000 NMIs', factor: 500_000 / wide.nmis }),
        };
      }
      if (sections.has('query')) report.query = await benchQueries(server.url, { nmis: +values['query-nmis']!, days: +values['query-days']! }, log);
    } finally {
      await server.stop();
    }
  }

  writeFileSync(join(OUT_DIR, 'latest.json'), `${JSON.stringify({ at: new Date().toISOString(), node: process.version, ...report }, null, 2)}\n`);
  log(`\nfigures written to ${join(OUT_DIR, 'latest.json')}`);
}

const readingsOf = (options: SyntheticOptions) => options.nmis * options.days * (1440 / options.intervalLength);
const describe = (options: SyntheticOptions) => `${options.nmis.toLocaleString()} NMIs x ${options.days} days x ${1440 / options.intervalLength} = ${readingsOf(options).toLocaleString()} readings`;

function printLoad(label: string, result: Awaited<ReturnType<typeof benchLoad>>): void {
  const next = result.nextLoadMs === null ? '' : `; first into an empty database ${result.firstLoadMs} ms = ${result.firstLoadVsDayCopy}x`;
  log(`${label} ${result.readingsPerSecond.toLocaleString()} readings/s: ${result.loadMs} ms${result.nextLoadMs === null ? '' : ' (the next day)'} vs COPY of the same day rows ${result.dayCopyMs} ms = ${result.loadVsDayCopy}x  [target <= 2.5x]${next}`);
  if (result.readingCopyMs !== null) log(`        COPY of the same readings as one row each: ${result.readingCopyMs} ms = ${result.readingCopyVsLoad}x the load's time  [target >= 5x]`);
  log(`        re-load of the unchanged file: ${result.reloadMs} ms = ${result.reloadVsLoad}x the load  [target <= 0.3x]; ${result.bytesPerReading} bytes per reading stored  [target <= 16]`);
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

/** The synthetic file for these options, generated once into bench-results/. */
async function synthetic(options: SyntheticOptions): Promise<string> {
  const from = options.startDate ? `-from-${options.startDate}` : '';
  const path = join(OUT_DIR, `synthetic-${options.nmis}x${options.days}x${options.intervalLength}${from}.csv`);
  if (existsSync(path)) return path;
  const out = createWriteStream(`${path}.partial`);
  for (const text of syntheticNem12(options)) if (!out.write(text)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
  execFileSync('mv', [`${path}.partial`, path]);
  return path;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
