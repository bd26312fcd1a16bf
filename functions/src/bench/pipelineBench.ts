import { execFileSync, spawnSync } from 'node:child_process';
import { basename, join } from 'node:path';
import { FUNCTIONS } from '../config';

/** What the pipeline section reports with (main.ts's printer and rounding, the results folder). */
export interface BenchContext {
  log: (line: string) => void;
  round: (value: number, digits?: number) => number;
  outDir: string;
}

/**
 * The same file through the whole pipeline on the emulators (trigger, split, chunk tasks, Flo SQL
 * file, publish), into a fresh database on the same server, timed from upload to status done.
 */
export async function benchPipeline(serverUrl: string, file: string, cliLoadMs: number, { log, round, outDir }: BenchContext, projectTo?: { label: string; factor: number }) {
  const exec = join(__dirname, '..', 'dev', 'exec.js');
  const run = spawnSync(
    process.execPath,
    [exec, '--fresh-database', '--only', 'auth,functions,firestore,storage,tasks', '--', process.execPath, join(__dirname, 'pipelineRun.js'), file],
    { env: { ...process.env, DATABASE_URL: serverUrl }, encoding: 'utf8', maxBuffer: 64 << 20 },
  );
  const line = run.stdout.split('\n').find((text) => text.startsWith('PIPELINE_RESULT '));
  if (run.status !== 0 || line === undefined) {
    throw new Error(`pipeline run failed (exit ${run.status}):\n${run.stdout.slice(-3000)}\n${run.stderr.slice(-3000)}`);
  }
  const measured = JSON.parse(line.slice('PIPELINE_RESULT '.length)) as {
    readings: number;
    chunks: number;
    ms: number;
    uploadMs: number;
    publishMs: number;
    bytes: number;
    coldSmallFileMs: number;
    timeline: string[];
    steps: { splitMs: number; chunksMs: number; publishMs: number; floSqlMs: number | null; doneMs: number };
  };
  // The largest file the pipeline accepts (MAX_DECOMPRESSED_GB's default), projected from this one.
  const sqlStarted = performance.now();
  execFileSync(process.execPath, [join(__dirname, '..', '..', 'bin', 'nem12.js'), 'sql', file, '-o', join(outDir, 'bench.flo.sql.gz')]);
  const sqlMs = performance.now() - sqlStarted;
  const perMillion = (ms: number) => ms / (measured.readings / 1e6);
  const largestReadings = (measured.readings / measured.bytes) * 1024 ** 3;
  const projected = (ms: number) => round((perMillion(ms) * largestReadings) / 1e6 / 1000);
  // The Flo SQL file is written in parts of 8 chunks of 8 MiB (SQL_PART_CHUNKS, CHUNK_BYTES defaults)
  // by parallel tasks, then composed in Storage (server-side; the emulator has no compose: not timed).
  const partBytes = 8 * 8 * 1024 ** 2;
  const partReadings = (measured.readings / measured.bytes) * partBytes;
  const result = {
    readings: measured.readings,
    chunks: measured.chunks,
    uploadToDoneMs: round(measured.ms),
    uploadMs: round(measured.uploadMs),
    timeline: measured.timeline,
    steps: measured.steps,
    coldSmallFileMs: round(measured.coldSmallFileMs),
    cliLoadMs: round(cliLoadMs),
    vsCliLoad: round(measured.ms / cliLoadMs, 2),
    target: 'upload-to-done <= 1.5x the CLI load',
    publishMsPerMillionReadings: round(perMillion(measured.publishMs)),
    floSqlMsPerMillionReadings: round(perMillion(sqlMs)),
    largestFile: {
      gib: 1,
      readings: Math.round(largestReadings),
      publishSeconds: projected(measured.publishMs),
      floSqlParts: Math.ceil(1024 ** 3 / partBytes),
      floSqlSecondsPerPart: round((perMillion(sqlMs) * partReadings) / 1e6 / 1000, 2),
      floSqlSecondsInOneTask: projected(sqlMs),
      taskTimeoutSeconds: FUNCTIONS.exportFloSql.timeoutSeconds,
    },
  };
  const { steps } = measured;
  // A file `factor` times wider: the split (one task) and the publish (one transaction) grow with it;
  // chunk tasks and Flo SQL parts stay the same size (there are more of them, in parallel).
  const projection = projectTo && {
    label: projectTo.label,
    splitSeconds: round((steps.splitMs * projectTo.factor) / 1000),
    publishSeconds: round((steps.publishMs * projectTo.factor) / 1000),
    chunks: Math.ceil(measured.chunks * projectTo.factor),
    taskTimeoutSeconds: FUNCTIONS.publishUpload.timeoutSeconds,
  };
  log(`pipeline ${basename(file)}: upload-to-done ${result.uploadToDoneMs} ms (${result.chunks} chunks, upload ${result.uploadMs} ms) vs CLI load ${result.cliLoadMs} ms = ${result.vsCliLoad}x  [target <= 1.5x]`);
  log(`         status timeline: ${result.timeline.join(' | ')}; a first (cold) small upload took ${result.coldSmallFileMs} ms`);
  log(`         steps: split ${steps.splitMs} ms, chunks ${steps.chunksMs} ms, publish ${steps.publishMs} ms, Flo SQL file ${steps.floSqlMs ?? '-'} ms (beside the chunks), done at ${steps.doneMs} ms`);
  if (projection) log(`         ${projection.label}, projected: split ~${projection.splitSeconds} s, publish ~${projection.publishSeconds} s (each task's limit ${projection.taskTimeoutSeconds} s), ${projection.chunks} chunks`);
  const largest = result.largestFile;
  log(`         publish ${result.publishMsPerMillionReadings} ms per million readings, Flo SQL file ${result.floSqlMsPerMillionReadings} ms per million`);
  log(
    `         largest accepted file (1 GiB, ${largest.readings.toLocaleString('en')} readings): publish ~${largest.publishSeconds} s; Flo SQL ${largest.floSqlParts} parts of ~${largest.floSqlSecondsPerPart} s ` +
      `(~${largest.floSqlSecondsInOneTask} s if it were one task); each task's limit ${largest.taskTimeoutSeconds} s`,
  );
  return { ...result, projection };
}

