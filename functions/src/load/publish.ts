import type { PoolClient } from 'pg';
import { compareRevisions, countChanges, mergeDay, type DayState } from '../nem12';
import { copyRows } from './copyRows';
import { DAY_ROW_COLUMNS, dayStateOf, dayStateRow, dayStateSelect, type DayStateRow } from './dayRows';
import { LoadVerificationError } from './loadErrors';
import type { RowDigest } from './rowDigest';
import { stagedInserts, verifyInserted, verifyMerged, verifyStaged, writeMark } from './verify';

/**
 * Publishing a file's days into `days` (one row per stream and day), the same way for the CLI
 * (temporary tables) and the pipeline (per-upload staging tables). Everything is within one
 * organisation: its streams, its stored days and fingerprints; another organisation's data is never
 * read or touched. Holds an advisory lock per stream it touches for the whole transaction (taken in
 * channel id order, so overlapping publishes queue instead of deadlocking): publishes of the same
 * streams are serialised and the plan cannot go stale before it is applied, while uploads of
 * disjoint streams publish in parallel.
 *
 * Days new to the database are inserted as staged; a day already stored (or repeated in the file)
 * is merged by the revision rule (nem12/dayRevision.ts), a batch of days at a time; a day whose
 * fingerprint equals the stored one is skipped. What was written is checked before commit.
 */
/** The advisory locks' first key; the second is the channel id. */
export const PUBLISH_LOCK = 0x4e454d13;
const MERGE_BATCH = 2000;

export type DayAction = 'insert' | 'merge' | 'skip';

export interface LoadPlan {
  /** Days by action: new to the database, changed (or repeated in the file), identical to what is stored. */
  days: Record<DayAction, number>;
  readings: Record<DayAction, number>;
  /** Channel ids of the file's streams, keyed `nmi,suffix`. */
  channelIds: Map<string, number>;
}

/** Adds the file's streams to the organisation's `channels` (sorted, so concurrent loads cannot deadlock). */
export async function ensureChannels(client: PoolClient, validatedDays: string, org: string): Promise<void> {
  await client.query(
    `INSERT INTO channels (org_id, nmi, suffix)
     SELECT DISTINCT $1::text, nmi, suffix FROM ${validatedDays} ORDER BY nmi, suffix
     ON CONFLICT (org_id, nmi, suffix) DO NOTHING`,
    [org],
  );
}

/** Waits for, and holds until commit, the publish lock of each of the file's streams, in id order. */
async function lockStreams(client: PoolClient, validatedDays: string, org: string): Promise<void> {
  await client.query(
    `SELECT pg_advisory_xact_lock($2, ids.id) FROM (
       SELECT c.id FROM channels c WHERE c.org_id = $1 AND (c.nmi, c.suffix) IN (SELECT nmi, suffix FROM ${validatedDays})
       ORDER BY c.id OFFSET 0
     ) ids`,
    [org, PUBLISH_LOCK],
  );
}

/**
 * Compares the validated days with what is stored and writes the plan to the temporary table
 * load_plan, one row per 300 row of the file (line, stream, day, what validation found, action).
 * Call inside the load's transaction.
 */
export async function planLoad(client: PoolClient, validatedDays: string, org: string): Promise<LoadPlan> {
  // The plan's sorts and hashes hold a file's days (73,000 for 3.5 M readings): in memory, not on disk.
  await client.query(`SET LOCAL work_mem = '64MB'`);
  await ensureChannels(client, validatedDays, org);
  await lockStreams(client, validatedDays, org);
  await client.query(`DROP TABLE IF EXISTS load_plan`);
  // The temp table and fresh channels have no statistics: estimated at a few rows, the file's days
  // would be joined to what is stored by a nested loop, 73,000 x 73,000 (minutes). Hash joins
  // whatever the estimates; the per-stream range scans stay nested loops, the only way to run them.
  await client.query('SET LOCAL enable_nestloop = off');
  await client.query(
    `CREATE TEMP TABLE load_plan ON COMMIT DROP AS
     WITH file AS (
       SELECT s.line, c.id AS channel_id, s.day, s.fingerprint, s.readings
       FROM ${validatedDays} s JOIN channels c ON c.org_id = $1 AND c.nmi = s.nmi AND c.suffix = s.suffix
     ),
     spans AS (SELECT channel_id, min(day) AS first, max(day) AS last FROM file GROUP BY channel_id),
     -- What is stored of the file's streams over the file's days: one index range per stream.
     stored AS (
       SELECT d.channel_id, d.day, d.fingerprint FROM spans
       CROSS JOIN LATERAL (SELECT channel_id, day, fingerprint FROM days d
                           WHERE d.channel_id = spans.channel_id AND d.day BETWEEN spans.first AND spans.last OFFSET 0) d
     ),
     repeated AS (SELECT channel_id, day FROM file GROUP BY channel_id, day HAVING count(*) > 1)
     SELECT f.*, CASE WHEN r.day IS NOT NULL THEN 'merge'
                      WHEN d.day IS NULL THEN 'insert'
                      WHEN d.fingerprint = f.fingerprint THEN 'skip'
                      ELSE 'merge' END AS action
     FROM file f
     LEFT JOIN stored d ON d.channel_id = f.channel_id AND d.day = f.day
     LEFT JOIN repeated r ON r.channel_id = f.channel_id AND r.day = f.day`,
    [org],
  );
  await client.query('SET LOCAL enable_nestloop = on');
  const plan: LoadPlan = { days: { insert: 0, merge: 0, skip: 0 }, readings: { insert: 0, merge: 0, skip: 0 }, channelIds: new Map() };
  const actions = await client.query<{ action: DayAction; days: string; readings: string }>(
    'SELECT action, count(*) AS days, coalesce(sum(readings), 0) AS readings FROM load_plan GROUP BY action',
  );
  for (const row of actions.rows) {
    plan.days[row.action] = Number(row.days);
    plan.readings[row.action] = Number(row.readings);
  }
  const channels = await client.query<{ id: number; nmi: string; suffix: string }>(
    `SELECT c.id, c.nmi, c.suffix FROM channels c WHERE c.id IN (SELECT DISTINCT channel_id FROM load_plan)`,
  );
  for (const row of channels.rows) plan.channelIds.set(`${row.nmi},${row.suffix}`, row.id);
  return plan;
}

/** Lines of the 300 rows whose days take part in the load (all but identical re-sends). */
export async function linesToLoad(client: PoolClient): Promise<Set<number>> {
  const result = await client.query<{ line: number }>(`SELECT line FROM load_plan WHERE action <> 'skip'`);
  return new Set(result.rows.map((row) => row.line));
}

/** Every day that loads is new (nothing stored, no repeat in the file)? Then COPY can write `days` directly. */
export function onlyNewDays(plan: LoadPlan): boolean {
  return plan.days.merge === 0;
}

/**
 * Writes staged rows (checked against `rendered`, their digest) into `days`: new days inserted as
 * they are and checked as stored, then stored or repeated days merged and checked.
 */
export async function publishStaged(client: PoolClient, stagedRows: string, plan: LoadPlan, rendered: RowDigest): Promise<{ inserted: number; updated: number }> {
  await client.query('CREATE INDEX ON load_plan (line)');
  await client.query('ANALYZE load_plan');
  await verifyStaged(client, stagedRows, rendered);
  // Every staged row new to the database (the usual upload): the new days are the rendered ones.
  const expected = plan.days.insert === rendered.rows ? rendered : await stagedInserts(client, stagedRows);
  const mark = await writeMark(client);
  await insertStaged(client, stagedRows, plan);
  await verifyInserted(client, plan, expected, mark);
  const merged = await mergeStaged(client, stagedRows, plan);
  if (plan.days.merge > 0) await verifyMerged(client);
  return { inserted: plan.readings.insert + merged.inserted, updated: merged.updated };
}

/** Writes the staged days new to the database, as they are. */
async function insertStaged(client: PoolClient, stagedRows: string, plan: LoadPlan): Promise<void> {
  const fresh = await client.query(
    `INSERT INTO days (${DAY_ROW_COLUMNS})
     SELECT ${prefixed('s', DAY_ROW_COLUMNS)} FROM ${stagedRows} s JOIN load_plan p ON p.line = s.line
     WHERE p.action = 'insert'`,
  );
  // The staged rows were checked day by day (verifyStaged): all of them must have gone in.
  if (fresh.rowCount !== plan.days.insert) {
    throw new LoadVerificationError(`${plan.days.insert} new days were validated but ${fresh.rowCount} were inserted`);
  }
}

/**
 * Merges stored or repeated days with their staged revisions by the revision rule (merged_days
 * holds what the merge computed, for verifyMerged). Returns readings new to the table and readings
 * that replaced an older value.
 */
async function mergeStaged(client: PoolClient, stagedRows: string, plan: LoadPlan): Promise<{ inserted: number; updated: number }> {
  const written = { inserted: 0, updated: 0 };
  if (plan.days.merge === 0) return written;

  await client.query(`CREATE TEMP TABLE merged_days (LIKE days) ON COMMIT DROP`);
  let after: { channel: number; day: string } = { channel: -1, day: '0001-01-01' };
  for (;;) {
    const keys = await client.query<{ channel_id: number; day: string }>(
      `SELECT DISTINCT channel_id, day::text AS day FROM load_plan WHERE action = 'merge' AND (channel_id, day) > ($1, $2::date)
       ORDER BY channel_id, day LIMIT ${MERGE_BATCH}`,
      [after.channel, after.day],
    );
    if (keys.rows.length === 0) break;
    const last = keys.rows.at(-1)!;
    after = { channel: last.channel_id, day: last.day };
    const range = [keys.rows[0].channel_id, keys.rows[0].day, last.channel_id, last.day];
    const inBatch = (t: string) => `(${t}.channel_id, ${t}.day) >= ($1, $2::date) AND (${t}.channel_id, ${t}.day) <= ($3, $4::date)`;
    const stored = await client.query<DayStateRow>(`SELECT ${dayStateSelect('d')} FROM days d WHERE ${inBatch('d')} FOR UPDATE`, range);
    const incoming = await client.query<DayStateRow>(
      `SELECT ${dayStateSelect('s')} FROM ${stagedRows} s JOIN load_plan p ON p.line = s.line
       WHERE p.action = 'merge' AND ${inBatch('s')}`,
      range,
    );
    const merged = mergeBatch(stored.rows, incoming.rows);
    written.inserted += merged.inserted;
    written.updated += merged.updated;
    await copyRows(client, `COPY merged_days (${DAY_ROW_COLUMNS}) FROM STDIN`, (async function* () {
      yield merged.rows.join('');
    })());
  }
  await client.query(
    `INSERT INTO days (${DAY_ROW_COLUMNS}) SELECT ${DAY_ROW_COLUMNS} FROM merged_days
     ON CONFLICT (channel_id, day) DO UPDATE SET ${DAY_ROW_COLUMNS.split(', ')
       .filter((column) => column !== 'channel_id' && column !== 'day')
       .map((column) => `${column} = EXCLUDED.${column}`)
       .join(', ')}`,
  );
  return written;
}

/** Merges the incoming revisions of a batch of days into what is stored; the rows of the days that change. */
function mergeBatch(stored: DayStateRow[], incoming: DayStateRow[]): { rows: string[]; inserted: number; updated: number } {
  const current = new Map<string, DayState>();
  for (const row of stored) current.set(`${row.channel_id}|${row.day}`, dayStateOf(row));
  const arriving = new Map<string, DayState[]>();
  for (const row of incoming) {
    const key = `${row.channel_id}|${row.day}`;
    const list = arriving.get(key) ?? [];
    list.push(dayStateOf(row));
    arriving.set(key, list);
  }
  const rows: string[] = [];
  let inserted = 0;
  let updated = 0;
  for (const [key, states] of arriving) {
    // Oldest first (the result is the same in any order); the counts compare the day before and after.
    states.sort((a, b) => compareRevisions(a.revision, b.revision));
    const before = current.get(key) ?? null;
    let state = before;
    let changed = false;
    for (const next of states) {
      const outcome = mergeDay(state, next);
      state = outcome.state;
      changed ||= outcome.changed;
    }
    const [channel, day] = key.split('|');
    if (!changed || state === null) continue;
    const counts = countChanges(before, state, states[0].revision.uploadId);
    inserted += counts.new;
    updated += counts.updated;
    rows.push(dayStateRow(Number(channel), day, state));
  }
  return { rows, inserted, updated };
}

/**
 * What a load leaves beside the days, in its transaction: which streams the upload brought, and a
 * new data version for each of them, which makes the API's cached results for those streams stale.
 */
export async function recordLoaded(client: PoolClient, uploadId: number): Promise<void> {
  await client.query(
    `INSERT INTO upload_channels (upload_id, channel_id)
     SELECT DISTINCT $1::bigint, channel_id FROM load_plan
     ON CONFLICT DO NOTHING`,
    [uploadId],
  );
  // Every stream of the file, changed or not: a load is rare next to queries, and a version that
  // moves too often only costs a cache miss.
  await client.query(
    `UPDATE channels SET data_version = nextval('channel_data_version')
     WHERE id IN (SELECT DISTINCT channel_id FROM load_plan)`,
  );
}

function prefixed(alias: string, columns: string): string {
  return columns
    .split(', ')
    .map((column) => `${alias}.${column}`)
    .join(', ');
}
