import type { PoolClient } from 'pg';
import { READING_COLUMNS } from './copyRows';
import { LoadVerificationError } from './loadErrors';

/**
 * Publishing a file's staged days and readings into `readings`, the same way for the CLI (temporary
 * tables) and the pipeline (per-upload staging tables). Everything is within one organisation: its
 * streams, its stored days and fingerprints; another organisation's data is never read or touched. Holds one advisory lock for the whole
 * transaction, so publishes are serialised and the plan cannot go stale before it is applied.
 *
 * Revision rule. Per stream and day, the revision with the newest UpdateDateTime wins the day
 * (missing counts as oldest); on a tie the later upload, then the later line of the file. Per
 * interval, a reading is replaced only by one of a newer revision, so an interval that the winner
 * leaves empty keeps an older value; a winner with another interval length replaces the day whole,
 * and revisions with another interval length than the day's winner take no part. A reading that
 * would change nothing is not written. The stored day keeps the winner's fingerprint: a re-send of
 * it is skipped, and a revision that lost never blocks a later one.
 */
const PUBLISH_LOCK = 0x4e454d13;

export type DayAction = 'insert' | 'merge' | 'skip';

export interface LoadPlan {
  /** Days by action: new to the database, changed (or repeated in the file), identical to what is stored. */
  days: Record<DayAction, number>;
  readings: Record<DayAction, number>;
  /** Channel ids of the file's streams, keyed `nmi,suffix`. */
  channelIds: Map<string, number>;
}

/** Adds the file's streams to the organisation's `channels` (sorted, so concurrent loads cannot deadlock). */
export async function ensureChannels(client: PoolClient, daysTable: string, org: string): Promise<void> {
  await client.query(
    `INSERT INTO channels (org_id, nmi, suffix)
     SELECT DISTINCT $1::text, nmi, suffix FROM ${daysTable} ORDER BY nmi, suffix
     ON CONFLICT (org_id, nmi, suffix) DO NOTHING`,
    [org],
  );
}

const DAY_START = (day: string) => `nem_instant(${day}::timestamp)`;
const DAY_END = (day: string) => `nem_instant(${day}::timestamp + interval '1 day')`;
/** Orders revisions: newer UpdateDateTime, then later upload, then later line. */
const KEY = (updated: string, upload: string, line: string) => `(coalesce(${updated}, '-infinity'::timestamptz), ${upload}, ${line})`;

/**
 * Compares the staged days with what is stored and writes the plan to the temporary table load_plan,
 * one row per 300 row of the file: its action, whether it wins its day (`wins`), whether its
 * readings take part at all (`loads`: not identical to what is stored, and of the winner's interval
 * length), and whether it replaces the stored day whole (`replaces`). Call inside the load's transaction.
 */
export async function planLoad(client: PoolClient, daysTable: string, uploadId: number, org: string): Promise<LoadPlan> {
  await client.query('SELECT pg_advisory_xact_lock($1)', [PUBLISH_LOCK]);
  await ensureChannels(client, daysTable, org);
  await client.query(`DROP TABLE IF EXISTS load_plan`);
  await client.query(
    `CREATE TEMP TABLE load_plan ON COMMIT DROP AS
     WITH staged AS (
       SELECT s.*, c.id AS channel_id FROM ${daysTable} s JOIN channels c ON c.org_id = $2 AND c.nmi = s.nmi AND c.suffix = s.suffix
     ), top AS (
       -- The file's own newest revision of each stream and day.
       SELECT DISTINCT ON (channel_id, day) channel_id, day, line, updated_at, interval_length
       FROM staged ORDER BY channel_id, day, coalesce(updated_at, '-infinity'::timestamptz) DESC, line DESC
     ), outcome AS (
       SELECT t.channel_id, t.day, t.line AS top_line, d.channel_id IS NOT NULL AS stored, d.fingerprint AS stored_fingerprint,
              d.channel_id IS NULL OR ${KEY('t.updated_at', '$1::bigint', 't.line')} > ${KEY('d.updated_at', 'd.upload_id', 'd.line')} AS file_wins,
              d.interval_length AS stored_length, t.interval_length AS top_length
       FROM top t LEFT JOIN reading_days d ON d.channel_id = t.channel_id AND d.day = t.day
     )
     SELECT s.line, s.channel_id, s.day, s.fingerprint, s.readings, s.total, s.uom, s.interval_length, s.updated_at,
            CASE WHEN count(*) OVER (PARTITION BY s.channel_id, s.day) > 1 THEN 'merge'
                 WHEN NOT o.stored THEN 'insert'
                 WHEN o.stored_fingerprint = s.fingerprint THEN 'skip'
                 ELSE 'merge' END AS action,
            o.file_wins AND s.line = o.top_line AS wins,
            s.interval_length IS NOT DISTINCT FROM (CASE WHEN o.file_wins THEN o.top_length ELSE coalesce(o.stored_length, s.interval_length) END) AS same_length,
            o.file_wins AND s.line = o.top_line AND o.stored AND o.stored_length IS DISTINCT FROM o.top_length AS replaces
     FROM staged s JOIN outcome o ON o.channel_id = s.channel_id AND o.day = s.day`,
    [uploadId, org],
  );
  await client.query(`ALTER TABLE load_plan ADD COLUMN loads boolean`);
  await client.query(`UPDATE load_plan SET loads = action <> 'skip' AND same_length`);
  await client.query('CREATE INDEX ON load_plan (line)');
  await client.query('ANALYZE load_plan');
  const plan: LoadPlan = {
    days: { insert: 0, merge: 0, skip: 0 },
    readings: { insert: 0, merge: 0, skip: 0 },
    channelIds: new Map(),
  };
  const actions = await client.query<{ action: DayAction; days: string; readings: string }>(
    'SELECT action, count(*) AS days, coalesce(sum(readings), 0) AS readings FROM load_plan GROUP BY action',
  );
  for (const row of actions.rows) {
    plan.days[row.action] = Number(row.days);
    plan.readings[row.action] = Number(row.readings);
  }
  const channels = await client.query<{ id: number; nmi: string; suffix: string }>(
    `SELECT c.id, c.nmi, c.suffix FROM channels c
     WHERE c.id IN (SELECT DISTINCT channel_id FROM load_plan)`,
  );
  for (const row of channels.rows) plan.channelIds.set(`${row.nmi},${row.suffix}`, row.id);
  return plan;
}

/** Lines of the 300 rows whose readings take part in the load. */
export async function linesToLoad(client: PoolClient): Promise<Set<number>> {
  const result = await client.query<{ line: number }>(`SELECT line FROM load_plan WHERE loads`);
  return new Set(result.rows.map((row) => row.line));
}

/** Every day that the plan loads straight in (nothing stored, no repeat in the file)? Then COPY can write `readings` directly. */
export function onlyNewDays(plan: LoadPlan): boolean {
  return plan.days.merge === 0;
}

/**
 * Applies the plan to staged readings: days new to the database are inserted as they are; a day
 * replaced whole loses its stored readings first; changed and repeated days are merged by the
 * revision rule. Returns readings inserted and updated (those of a replaced day count as updated).
 */
export async function mergeStaged(client: PoolClient, readingsTable: string, plan: LoadPlan): Promise<{ inserted: number; updated: number }> {
  const fresh =
    plan.days.merge === 0 && plan.days.skip === 0
      ? await client.query(`INSERT INTO readings (${READING_COLUMNS}) SELECT ${READING_COLUMNS} FROM ${readingsTable}`)
      : await client.query(
          `INSERT INTO readings (${READING_COLUMNS})
           SELECT ${prefixed('r', READING_COLUMNS)} FROM ${readingsTable} r
           JOIN load_plan p ON p.line = r.line
           WHERE p.action = 'insert'`,
        );
  // The staged rows of new days were checked day by day (verifyStaged): all of them must have gone in.
  if (fresh.rowCount !== plan.readings.insert) {
    throw new LoadVerificationError(`${plan.readings.insert} readings of new days were validated but ${fresh.rowCount} were inserted`);
  }
  if (plan.days.merge === 0) return { inserted: fresh.rowCount ?? 0, updated: 0 };
  await client.query(
    `DELETE FROM readings r USING load_plan p
     WHERE p.replaces AND r.channel_id = p.channel_id AND r.interval_end > ${DAY_START('p.day')} AND r.interval_end <= ${DAY_END('p.day')}`,
  );
  const merged = await client.query<{ inserted: string; updated: string }>(
    `WITH written AS (
       INSERT INTO readings AS cur (${READING_COLUMNS})
       SELECT DISTINCT ON (r.channel_id, r.interval_end) ${prefixed('r', READING_COLUMNS)}
       FROM ${readingsTable} r
       JOIN load_plan p ON p.line = r.line
       WHERE p.action = 'merge' AND p.loads
       ORDER BY r.channel_id, r.interval_end, r.updated_at DESC NULLS LAST, r.line DESC
       ON CONFLICT (channel_id, interval_end) DO UPDATE SET
         value = EXCLUDED.value, uom = EXCLUDED.uom, kwh = EXCLUDED.kwh, quality = EXCLUDED.quality,
         method = EXCLUDED.method, reason_code = EXCLUDED.reason_code, updated_at = EXCLUDED.updated_at,
         upload_id = EXCLUDED.upload_id, line = EXCLUDED.line
       WHERE ${KEY('EXCLUDED.updated_at', 'EXCLUDED.upload_id', 'EXCLUDED.line')} > ${KEY('cur.updated_at', 'cur.upload_id', 'cur.line')}
         AND (cur.value, cur.uom, cur.quality, cur.method, cur.reason_code, cur.updated_at)
             IS DISTINCT FROM
             (EXCLUDED.value, EXCLUDED.uom, EXCLUDED.quality, EXCLUDED.method, EXCLUDED.reason_code, EXCLUDED.updated_at)
       RETURNING (xmax = 0) AS inserted, channel_id, interval_end
     )
     SELECT count(*) FILTER (WHERE inserted AND p.line IS NULL) AS inserted, count(*) FILTER (WHERE NOT inserted OR p.line IS NOT NULL) AS updated
     FROM written w LEFT JOIN load_plan p ON p.replaces AND p.channel_id = w.channel_id AND p.day = nem_day(w.interval_end)`,
  );
  return {
    inserted: (fresh.rowCount ?? 0) + Number(merged.rows[0].inserted),
    updated: Number(merged.rows[0].updated),
  };
}

/**
 * Before anything is merged: the staged readings of every day that loads are exactly what
 * validation counted and summed. Catches a second pass that read other bytes than the first.
 */
export async function verifyStaged(client: PoolClient, readingsTable: string): Promise<void> {
  const bad = await client.query<{ line: number; readings: number; staged: string; total: string | null; staged_total: string | null }>(
    `SELECT p.line, p.readings, coalesce(s.n, 0) AS staged, p.total::text, s.total::text AS staged_total
     FROM load_plan p LEFT JOIN (SELECT line, count(*) AS n, sum(value) AS total FROM ${readingsTable} GROUP BY line) s ON s.line = p.line
     WHERE p.loads AND (coalesce(s.n, 0) <> p.readings OR (p.total IS NOT NULL AND s.total IS DISTINCT FROM p.total AND p.readings > 0))
     ORDER BY p.line LIMIT 1`,
  );
  if (bad.rows.length > 0) {
    const row = bad.rows[0];
    throw new LoadVerificationError(`the day at line ${row.line} was validated with ${row.readings} readings (total ${row.total}) but ${row.staged} were staged (total ${row.staged_total})`);
  }
}

/** After a COPY straight into `readings`: every new day holds exactly its validated readings and total. */
export async function verifyNewDays(client: PoolClient): Promise<void> {
  const days = await client.query<{ line: number; readings: number; stored: string; total: string | null; stored_total: string | null }>(
    `SELECT p.line, p.readings, w.n AS stored, p.total::text, w.total::text AS stored_total
     FROM load_plan p CROSS JOIN LATERAL (
       SELECT count(*) AS n, sum(r.value) AS total FROM readings r
       WHERE r.channel_id = p.channel_id AND r.interval_end > ${DAY_START('p.day')} AND r.interval_end <= ${DAY_END('p.day')}
     ) w
     WHERE p.action = 'insert' AND (w.n <> p.readings OR (p.total IS NOT NULL AND p.readings > 0 AND w.total IS DISTINCT FROM p.total))
     ORDER BY p.line LIMIT 1`,
  );
  if (days.rows.length > 0) {
    const row = days.rows[0];
    throw new LoadVerificationError(`the new day at line ${row.line} was validated with ${row.readings} readings (total ${row.total}) but ${row.stored} are stored (total ${row.stored_total})`);
  }
}

/**
 * After a merge: every reading of every changed day that won is stored as validated (value, unit,
 * quality, revision time). The winner is newer than anything stored for its day, so all of it must be in.
 */
export async function verifyMergedDays(client: PoolClient, readingsTable: string): Promise<void> {
  const readings = await client.query<{ line: number; interval_end: Date }>(
    `SELECT s.line, s.interval_end FROM ${readingsTable} s
     JOIN load_plan p ON p.line = s.line AND p.wins AND p.loads AND p.action = 'merge'
     LEFT JOIN readings r ON r.channel_id = s.channel_id AND r.interval_end = s.interval_end
     WHERE r.channel_id IS NULL OR (r.value, r.uom, r.quality, r.method, r.reason_code, r.updated_at)
           IS DISTINCT FROM (s.value, s.uom, s.quality, s.method, s.reason_code, s.updated_at)
     LIMIT 1`,
  );
  if (readings.rows.length > 0) {
    const row = readings.rows[0];
    throw new LoadVerificationError(`the reading ending ${row.interval_end.toISOString()} of the winning day at line ${row.line} is not stored as validated`);
  }
}

/**
 * What a load leaves beside the readings, in its transaction: the fingerprints (and revision key,
 * unit, interval length) of the days it won, so their next re-send is skipped; which streams the
 * upload brought, for the readings API's access check; and a new data version for each of them,
 * which makes the API's cached results for those streams stale.
 */
export async function recordLoaded(client: PoolClient, uploadId: number): Promise<void> {
  await client.query(
    `INSERT INTO reading_days (channel_id, day, fingerprint, upload_id, uom, interval_length, updated_at, line)
     SELECT channel_id, day, fingerprint, $1, uom, interval_length, updated_at, line
     FROM load_plan WHERE wins AND action <> 'skip'
     ON CONFLICT (channel_id, day) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, upload_id = EXCLUDED.upload_id,
       uom = EXCLUDED.uom, interval_length = EXCLUDED.interval_length, updated_at = EXCLUDED.updated_at, line = EXCLUDED.line`,
    [uploadId],
  );
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
