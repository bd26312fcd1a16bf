import type { PoolClient } from 'pg';
import { compareRevisions, countChanges, mergeDay, qualityCountsOf, type DayState } from '../days';
import { copyRows } from './copyRows';
import { DAY_ROW_COLUMNS, dayStateOf, dayStateRow, dayStateSelect, type DayStateRow } from './dayRows';
import { LoadVerificationError } from './loadErrors';
import type { RowDigest } from './rowDigest';
import { recordOrgDays, type OrgDayChanges } from './orgDays';
import { recordDayStreams } from './orgDayStreams';
import type { LoadPlan } from './planLoad';
import { stagedInserts, verifyInserted, verifyMerged, verifyStaged, writeMark } from './verify';

/**
 * The second half of publishing a file's days into `days` (one row per stream and day; planLoad.ts
 * is the first), the same way for the CLI (temporary tables) and the pipeline (per-upload staging
 * tables). The file's streams are locked by the plan (in id order, so overlapping publishes queue
 * instead of deadlocking): publishes of the same streams are serialised and the plan cannot go stale
 * before it is applied, while uploads of disjoint streams publish in parallel.
 *
 * Days new to the database are inserted as staged; a day already stored (or repeated in the file)
 * is merged by the revision rule (nem12/dayRevision.ts), a batch of days at a time; a day whose
 * fingerprint equals the stored one is skipped. What was written is checked before commit.
 */
const MERGE_BATCH = 5000;
/** NMIs of an upload kept for "the latest uploads' NMIs" (/nmis `recent`): the first, in natural order. */
export const FIRST_NMIS = 100;

/**
 * Writes staged rows (checked against `rendered`, their digest) into `days`: new days inserted as
 * they are and checked as stored, then stored or repeated days merged and checked.
 */
export async function publishStaged(client: PoolClient, stagedRows: string, plan: LoadPlan, rendered: RowDigest): Promise<{ inserted: number; updated: number }> {
  await client.query('CREATE INDEX ON load_plan (line)');
  await client.query('ANALYZE load_plan');
  await verifyStaged(client, stagedRows, rendered);
  plan.staged = stagedRows;
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
  // The staged revisions that merge, by key: each batch reads its own (a scan of every staged row
  // per batch made a revised daily file of 100,000 days quadratic).
  await client.query(
    `CREATE TEMP TABLE merge_in ON COMMIT DROP AS
     SELECT s.* FROM ${stagedRows} s JOIN load_plan p ON p.line = s.line WHERE p.action = 'merge'`,
  );
  await client.query('CREATE INDEX ON merge_in (channel_id, day)');
  await client.query('ANALYZE merge_in (channel_id, day)');
  let after: { channel: number; day: string } = { channel: -1, day: '0001-01-01' };
  for (;;) {
    const keys = await client.query<{ channel_id: number; day: string }>(
      `SELECT DISTINCT channel_id, day::text AS day FROM merge_in WHERE (channel_id, day) > ($1, $2::date)
       ORDER BY channel_id, day LIMIT ${MERGE_BATCH}`,
      [after.channel, after.day],
    );
    if (keys.rows.length === 0) break;
    const last = keys.rows.at(-1)!;
    after = { channel: last.channel_id, day: last.day };
    const range = [keys.rows[0].channel_id, keys.rows[0].day, last.channel_id, last.day];
    // Stored days by the batch's own keys (a range of keys would also read every day between them
    // that does not merge); the batch's revisions by its range of merge_in, which holds only those.
    const stored = await client.query<DayStateRow>(
      `SELECT ${dayStateSelect('d')} FROM unnest($1::integer[], $2::date[]) k(channel_id, day)
       JOIN days d ON d.channel_id = k.channel_id AND d.day = k.day ORDER BY d.channel_id, d.day FOR UPDATE OF d`,
      [keys.rows.map((row) => row.channel_id), keys.rows.map((row) => row.day)],
    );
    const incoming = await client.query<DayStateRow>(
      `SELECT ${dayStateSelect('s')} FROM merge_in s WHERE (s.channel_id, s.day) BETWEEN ($1, $2::date) AND ($3, $4::date)`,
      range,
    );
    const merged = mergeBatch(stored.rows, incoming.rows, plan.changes);
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
function mergeBatch(stored: DayStateRow[], incoming: DayStateRow[], changes: OrgDayChanges): { rows: string[]; inserted: number; updated: number } {
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
    // The organisation's figures: the day as merged, less the day it replaces.
    addState(changes, Number(channel), day, state, 1);
    if (before !== null) addState(changes, Number(channel), day, before, -1);
    rows.push(dayStateRow(Number(channel), day, state));
  }
  return { rows, inserted, updated };
}

function addState(changes: OrgDayChanges, channelId: number, day: string, state: DayState, sign: 1 | -1): void {
  const readings = state.values.reduce((n, value) => (value === null ? n : n + 1), 0);
  changes.add(channelId, day, readings, state.values.length, qualityCountsOf(state.runs, state.values), sign);
}

/**
 * What a load leaves beside the days, last in its transaction: the streams it publishes for the first
 * time are published and numbered in the organisation (their ordinals); the upload keeps its first
 * NMIs (the API's "latest uploads' NMIs"); and when anything changed, the organisation's data
 * version (every API cache key of the organisation) moves and its figures and stream bitmaps per
 * day take the load's days. Nothing is written per stream a publish has seen before: a daily file of
 * 100,000 streams costs the same few statements as a file of one. The organisation's rows are taken
 * just before commit and always in one order (org_data, then its days, then their bitmaps), so
 * concurrent publishes of one organisation queue only for that moment and never deadlock.
 */
export async function recordLoaded(client: PoolClient, plan: LoadPlan, uploadId: number): Promise<void> {
  const changed = plan.days.insert + plan.days.merge > 0;
  const first = await client.query(
    `UPDATE uploads SET first_nmis = (SELECT array_agg(nmi ORDER BY length(nmi), nmi) FROM (
       SELECT nmi FROM load_streams GROUP BY nmi ORDER BY length(nmi), nmi LIMIT ${FIRST_NMIS}) n)
     WHERE id = $1 AND first_nmis IS NULL`,
    [uploadId],
  );
  const [{ fresh }] = (await client.query<{ fresh: number }>('SELECT count(*)::integer AS fresh FROM load_streams WHERE ordinal IS NULL')).rows;
  if (!changed && first.rowCount === 0 && fresh === 0) return;
  const [{ base }] = (
    await client.query<{ base: number }>(
      `INSERT INTO org_data (org_id, version, streams) VALUES ($1, nextval('data_version'), $2)
       ON CONFLICT (org_id) DO UPDATE SET version = EXCLUDED.version, streams = org_data.streams + EXCLUDED.streams
       RETURNING streams - $2 AS base`,
      [plan.org, fresh],
    )
  ).rows;
  // A stream without an ordinal is one this load publishes first (one not published has none).
  if (fresh > 0) {
    await client.query(
      `UPDATE channels c SET published = true, ordinal = $1 + f.n - 1
       FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM load_streams WHERE ordinal IS NULL) f WHERE c.id = f.id`,
      [base],
    );
  }
  if (!changed) return;
  await recordOrgDays(client, plan.org, plan.changes, plan.staged);
  await recordDayStreams(client, plan.org, plan.changes, plan.staged);
}

function prefixed(alias: string, columns: string): string {
  return columns
    .split(', ')
    .map((column) => `${alias}.${column}`)
    .join(', ');
}
