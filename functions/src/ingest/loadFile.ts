import { createHash, type Hash } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { IssueLog, SummaryBuilder, type DayRecord, type FileSummary, type ParserInfo } from 'nem12';
import { LISTED_CHANNELS } from '../status/uploadStatus';
import { decompress, DEFAULT_EXPANSION, expansionOf } from '../source/decompress';
import { issueOf } from '../source/inspect';
import { FileChangedError } from '../source/localFile';
import { renderDays } from '../source/parseStream';
import { copyRows, fingerprint, VALIDATED_DAY_COLUMNS, VALIDATED_DAY_TABLE, validatedDayRow } from '../load/copyRows';
import { DAY_ROW_COLUMNS, dayRecordRow } from '../load/dayRows';
import { withClient } from '../load/database';
import { inTransaction } from '../load/migrate';
import { linesToLoad, lockedStreamIds, onlyNewDays, planLoad, type LoadPlan } from '../load/planLoad';
import { publishStaged, recordLoaded } from '../load/publish';
import { begin, loaded } from '../lifecycle';
import { DayRowDigester } from '../load/rowDigest';
import { ensureDayPartitions } from '../load/dayPartitions';
import { verifyInserted, writeMark } from '../load/verify';

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
 * Loads one NEM12 file in one transaction: all of it or, if anything is wrong, none of it. `pool`
 * must have two connections to give (the months of `days` the file needs are made on the second).
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
  return withClient(pool, (client) => inTransaction(client, () => load(client, pool, input, options.onProgress)));
}

/** `pool` gives a second connection, for the months of `days` the file needs (made and committed before this load writes). */
async function load(client: PoolClient, pool: Pool, input: LoadInput, onProgress?: (info: ParserInfo, pass: 1 | 2) => void): Promise<LoadResult> {
  const issues = new IssueLog();
  const summary = new SummaryBuilder({ listed: LISTED_CHANNELS });
  const firstHash = createHash('sha256');
  let rawBytes = 0;

  // Pass 1: validate everything, stage the days.
  await client.query(`CREATE TEMP TABLE load_days ${VALIDATED_DAY_TABLE} ON COMMIT DROP`);
  const limit = input.bytes === undefined ? DEFAULT_EXPANSION : expansionOf(input.bytes);
  // The months the file's days fall in (`YYYY-MM`), for the partitions of `days` the load needs.
  const months = new Set<string>();
  const first = renderDays(decompress(hashed(input.open(), firstHash, (n) => (rawBytes += n)), { limit }), (day) => {
    summary.addDay(day);
    months.add(day.date.slice(0, 7));
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
  const { uploadId } = await begin(client, { org: input.org, sourceKey: `sha256:${digest}`, fileName: input.fileName, owner: input.owner ?? null, bytes: rawBytes });

  await ensureDayPartitions(pool, [...months].map((month) => `${month}-01`));
  const plan = await planLoad(client, 'load_days', input.org, { published: true, repeats: (issues.warningCodes.DUPLICATE_DAY ?? 0) > 0 });
  let written = { inserted: 0, updated: 0 };
  if (plan.days.insert + plan.days.merge > 0) {
    try {
      written = await secondPass(client, input, { plan, uploadId, digest }, onProgress);
    } catch (error) {
      if (!(error instanceof FileChangedError)) throw error;
      issues.add(issueOf(error));
      return rollBack();
    }
  }
  result.summary = summary.result();
  await recordLoaded(client, plan, uploadId);

  result.ok = true;
  result.uploadId = uploadId;
  result.days = plan.days;
  result.new = written.inserted;
  result.updated = written.updated;
  result.unchanged = result.readings - written.inserted - written.updated;
  await loaded(client, uploadId, {
    readings: result.readings,
    new: result.new,
    updated: result.updated,
    unchanged: result.unchanged,
    warnings: issues.warningCount,
    issues: { warnings: issues.warnings, errors: [] },
    summary: result.summary,
  });
  return result;
}

/** Pass 2: the day rows of the days that load, written and then checked against pass 1; every day's total into the summary. */
async function secondPass(
  client: PoolClient,
  input: LoadInput,
  load: { plan: LoadPlan; uploadId: number; digest: string },
  onProgress?: (info: ParserInfo, pass: 1 | 2) => void,
): Promise<{ inserted: number; updated: number }> {
  const { plan, uploadId, digest } = load;
  const wanted = plan.days.skip > 0 || !onlyNewDays(plan) ? await linesToLoad(client) : null;
  const channelIds = await lockedStreamIds(client);
  const rendered = new DayRowDigester();
  // Rows that go straight into `days` are counted into the organisation's figures here; staged ones, from the staging table.
  const changes = onlyNewDays(plan) ? plan.changes : undefined;
  const render = (day: DayRecord) =>
    wanted === null || wanted.has(day.line)
      ? dayRecordRow(day, channelIds.get(`${day.channel.nmi},${day.channel.suffix}`)!, uploadId, fingerprint(day), rendered, changes)
      : '';
  const secondHash = createHash('sha256');
  const second = renderDays(decompress(hashed(input.open(), secondHash)), render, { duplicateDays: false });
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
  await client.query('ANALYZE load_rows (line, channel_id, day)');
  return publishStaged(client, 'load_rows', plan, rendered.digest);
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
