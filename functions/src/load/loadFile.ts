import { createHash, type Hash } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { IssueLog, SummaryBuilder, type DayRecord, type FileSummary, type ParserInfo } from '../nem12';
import { decompress, DEFAULT_EXPANSION, expansionOf } from '../source/decompress';
import { issueOf } from '../source/inspect';
import { FileChangedError } from '../source/localFile';
import { renderDays } from '../source/parseStream';
import { copyRows, fingerprint, VALIDATED_DAY_COLUMNS, VALIDATED_DAY_TABLE, validatedDayRow } from './copyRows';
import { DAY_ROW_COLUMNS, dayRecordRow } from './dayRows';
import { withClient } from './database';
import { inTransaction } from './migrate';
import { linesToLoad, onlyNewDays, planLoad, publishStaged, recordLoaded, type LoadPlan } from './publish';
import { DayRowDigester } from './rowDigest';
import { verifyInserted, writeMark } from './verify';

export interface LoadInput {
  /** Opens the file's bytes (raw: plain, gzip or zip). Called up to twice: the loader reads in two passes. */
  open: () => AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
  fileName: string;
  /** The organisation the data belongs to. */
  org: string;
  /** The input's own size, when known: a zip or gzip may expand to at most 50 times it (and 10 GB). */
  bytes?: number;
  owner?: string | null;
}

export interface LoadResult {
  ok: boolean;
  uploadId: number | null;
  fileName: string;
  /** Readings in the file (non-empty intervals). */
  readings: number;
  /** Readings written as new rows, readings that replaced an older revision, and the rest. */
  new: number;
  updated: number;
  unchanged: number;
  days: LoadPlan['days'] | null;
  issues: IssueLog;
  /** The file's figures (null when it is rejected). */
  summary: FileSummary | null;
  info: ParserInfo;
}

/**
 * Loads one NEM12 file in one transaction: all of it or, if anything is wrong, none of it.
 *
 * Pass 1 parses and validates the whole file, staging one small row per day (fingerprint, readings
 * and their exact total) in a temporary table. The plan compares those days with what is stored.
 * Pass 2 reads the file again and writes only days that are new or changed, one row per stream and
 * day: straight into `days` with COPY when every one is new (the common case, as fast as a plain
 * COPY), otherwise through a staging table and a merge. Pass 2 must read the very bytes pass 1 validated (same SHA-256), and what was
 * written is compared, day by day, with what validation found before the transaction commits.
 * Re-loading an unchanged file therefore costs one parse and touches no reading.
 */
export async function loadFile(pool: Pool, input: LoadInput, options: { onProgress?: (info: ParserInfo, pass: 1 | 2) => void } = {}): Promise<LoadResult> {
  return withClient(pool, (client) => inTransaction(client, () => load(client, input, options.onProgress)));
}

async function load(client: PoolClient, input: LoadInput, onProgress?: (info: ParserInfo, pass: 1 | 2) => void): Promise<LoadResult> {
  const issues = new IssueLog();
  const summary = new SummaryBuilder();
  const firstHash = createHash('sha256');
  let rawBytes = 0;

  // Pass 1: validate everything, stage the days.
  await client.query(`CREATE TEMP TABLE load_days ${VALIDATED_DAY_TABLE} ON COMMIT DROP`);
  const limit = input.bytes === undefined ? DEFAULT_EXPANSION : expansionOf(input.bytes);
  const first = renderDays(decompress(hashed(input.open(), firstHash, (n) => (rawBytes += n)), { limit }), (day) => {
    // The totals come with pass 2, which sums every day's values anyway.
    summary.addDay(day, { total: false });
    return validatedDayRow(day);
  }, { onIssue: issues.add });
  await copyRows(client, `COPY load_days (${VALIDATED_DAY_COLUMNS}) FROM STDIN`, withProgress(first.text, () => onProgress?.(first.parser.info, 1))).catch(
    (error: unknown) => issues.add(issueOf(error)),
  );
  const result: LoadResult = {
    ok: false,
    uploadId: null,
    fileName: input.fileName,
    readings: first.parser.info.readings,
    new: 0,
    updated: 0,
    unchanged: 0,
    days: null,
    issues,
    summary: null,
    info: first.parser.info,
  };
  const rollBack = async () => {
    await client.query('ROLLBACK');
    await client.query('BEGIN'); // inTransaction's COMMIT then commits nothing
    return result;
  };
  if (!issues.ok) return rollBack();

  const digest = firstHash.digest('hex');
  const upload = await client.query<{ id: string; summary: FileSummary | null; done: boolean }>(
    `INSERT INTO uploads (org_id, source_key, file_name, owner, bytes, status) VALUES ($1, $2, $3, $4, $5, 'loading')
     ON CONFLICT (org_id, source_key) DO UPDATE SET file_name = EXCLUDED.file_name, status = 'loading'
     RETURNING id, summary, finished_at IS NOT NULL AS done`,
    [input.org, `sha256:${digest}`, input.fileName, input.owner ?? null, rawBytes],
  );
  const uploadId = Number(upload.rows[0].id);

  const plan = await planLoad(client, 'load_days', input.org);
  let written = { inserted: 0, updated: 0 };
  if (plan.days.insert + plan.days.merge > 0) {
    try {
      written = await secondPass(client, input, { plan, uploadId, digest, summary }, onProgress);
    } catch (error) {
      if (!(error instanceof FileChangedError)) throw error;
      issues.add(issueOf(error));
      return rollBack();
    }
  }
  // Nothing to write (a re-load): the totals of the same bytes loaded before, else one more read.
  const stored = upload.rows[0];
  if (!summary.totalsComplete && !(stored.done && stored.summary !== null && summary.takeTotals(stored.summary))) {
    try {
      await totalsPass(input, digest, summary);
    } catch (error) {
      if (!(error instanceof FileChangedError)) throw error;
      issues.add(issueOf(error));
      return rollBack();
    }
  }
  result.summary = summary.result();
  await recordLoaded(client, uploadId);

  result.ok = true;
  result.uploadId = uploadId;
  result.days = plan.days;
  result.new = written.inserted;
  result.updated = written.updated;
  result.unchanged = result.readings - written.inserted - written.updated;
  await client.query(
    `UPDATE uploads SET status = 'done', readings = $2, readings_new = $3, readings_updated = $4, readings_unchanged = $5,
       warnings = $6, errors = 0, issues = $7, summary = $8, finished_at = now()
     WHERE id = $1`,
    [
      uploadId,
      result.readings,
      result.new,
      result.updated,
      result.unchanged,
      issues.warningCount,
      JSON.stringify({ warnings: issues.warnings, errors: [] }),
      JSON.stringify(result.summary),
    ],
  );
  return result;
}

/** Pass 2: the day rows of the days that load, written and then checked against pass 1; every day's total into the summary. */
async function secondPass(
  client: PoolClient,
  input: LoadInput,
  load: { plan: LoadPlan; uploadId: number; digest: string; summary: SummaryBuilder },
  onProgress?: (info: ParserInfo, pass: 1 | 2) => void,
): Promise<{ inserted: number; updated: number }> {
  const { plan, uploadId, digest, summary } = load;
  const wanted = plan.days.skip > 0 || !onlyNewDays(plan) ? await linesToLoad(client) : null;
  const rendered = new DayRowDigester();
  const render = (day: DayRecord) => {
    summary.addTotal(day);
    return wanted === null || wanted.has(day.line)
      ? dayRecordRow(day, plan.channelIds.get(`${day.channel.nmi},${day.channel.suffix}`)!, uploadId, fingerprint(day), rendered)
      : '';
  };
  const secondHash = createHash('sha256');
  const second = renderDays(decompress(hashed(input.open(), secondHash)), render);
  const progress = withProgress(second.text, () => onProgress?.(second.parser.info, 2));
  const sameBytes = () => {
    if (secondHash.digest('hex') !== digest) throw new FileChangedError('its content is not what was validated');
  };
  if (onlyNewDays(plan)) {
    // Every day to load is new: nothing can conflict, COPY straight into the table.
    const mark = await writeMark(client);
    await copyRows(client, `COPY days (${DAY_ROW_COLUMNS}) FROM STDIN`, progress);
    sameBytes();
    await verifyInserted(client, plan, rendered.digest, mark);
    return { inserted: plan.readings.insert, updated: 0 };
  }
  await client.query(`CREATE TEMP TABLE load_rows (LIKE days) ON COMMIT DROP`);
  await copyRows(client, `COPY load_rows (${DAY_ROW_COLUMNS}) FROM STDIN`, progress);
  sameBytes();
  await client.query('ANALYZE load_rows');
  return publishStaged(client, 'load_rows', plan, rendered.digest);
}

/** Every day's total into the summary, from the bytes validated. */
async function totalsPass(input: LoadInput, digest: string, summary: SummaryBuilder): Promise<void> {
  const hash = createHash('sha256');
  const pass = renderDays(decompress(hashed(input.open(), hash)), (day) => {
    summary.addTotal(day);
    return '';
  });
  for await (const _ of pass.text);
  if (hash.digest('hex') !== digest) throw new FileChangedError('its content is not what was validated');
}

/** The raw bytes as they pass, into a hash (and a byte count). */
async function* hashed(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, hash: Hash, count?: (bytes: number) => void): AsyncGenerator<Uint8Array> {
  for await (const chunk of source) {
    hash.update(chunk);
    count?.(chunk.length);
    yield chunk;
  }
}

async function* withProgress(text: AsyncIterable<string>, tick: () => void): AsyncGenerator<string> {
  for await (const part of text) {
    tick();
    yield part;
  }
  tick();
}
