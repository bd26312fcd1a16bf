import type { PoolClient } from 'pg';
import { READING_COLUMNS } from './copyRows';

/**
 * Publishing a file's staged days and readings into `readings`, the same way for the CLI (temporary
 * tables) and the pipeline (per-upload staging tables). Holds one advisory lock for the whole
 * transaction, so publishes are serialised and the plan cannot go stale before it is applied.
 *
 * Revision rule, per stream and interval: the reading with the newer UpdateDateTime wins (missing
 * counts as oldest); on a tie the later upload, then the later line of the file. A reading that
 * would change nothing is not written.
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

/** Adds the file's streams to `channels` (sorted, so concurrent loads cannot deadlock). */
export async function ensureChannels(client: PoolClient, daysTable: string): Promise<void> {
  await client.query(
    `INSERT INTO channels (nmi, suffix)
     SELECT DISTINCT nmi, suffix FROM ${daysTable} ORDER BY nmi, suffix
     ON CONFLICT (nmi, suffix) DO NOTHING`,
  );
}

/**
 * Compares the staged days with what is stored (by fingerprint) and writes the plan to the
 * temporary table load_plan (line of the 300 row -> action). Call inside the load's transaction.
 */
export async function planLoad(client: PoolClient, daysTable: string): Promise<LoadPlan> {
  await client.query('SELECT pg_advisory_xact_lock($1)', [PUBLISH_LOCK]);
  await ensureChannels(client, daysTable);
  await client.query(`DROP TABLE IF EXISTS load_plan`);
  await client.query(
    `CREATE TEMP TABLE load_plan ON COMMIT DROP AS
     SELECT s.line, c.id AS channel_id, s.day, s.fingerprint, s.readings, s.uom, s.interval_length,
            CASE WHEN count(*) OVER (PARTITION BY c.id, s.day) > 1 THEN 'merge'
                 WHEN d.channel_id IS NULL THEN 'insert'
                 WHEN d.fingerprint = s.fingerprint THEN 'skip'
                 ELSE 'merge' END AS action
     FROM ${daysTable} s
     JOIN channels c ON c.nmi = s.nmi AND c.suffix = s.suffix
     LEFT JOIN reading_days d ON d.channel_id = c.id AND d.day = s.day`,
  );
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

/** Lines of the 300 rows whose readings must be loaded (all but identical re-sends). */
export async function linesToLoad(client: PoolClient): Promise<Set<number>> {
  const result = await client.query<{ line: number }>(`SELECT line FROM load_plan WHERE action <> 'skip'`);
  return new Set(result.rows.map((row) => row.line));
}

/**
 * Applies the plan to staged readings: days new to the database are inserted as they are; changed
 * and repeated days are merged by the revision rule. Returns readings inserted and updated.
 */
export async function mergeStaged(client: PoolClient, readingsTable: string, plan: LoadPlan): Promise<{ inserted: number; updated: number }> {
  // Days new to the database: inserted as they are (without the join when every day is new).
  const fresh =
    plan.days.merge === 0 && plan.days.skip === 0
      ? await client.query(`INSERT INTO readings (${READING_COLUMNS}) SELECT ${READING_COLUMNS} FROM ${readingsTable}`)
      : await client.query(
          `INSERT INTO readings (${READING_COLUMNS})
           SELECT ${prefixed('r', READING_COLUMNS)} FROM ${readingsTable} r
           JOIN load_plan p ON p.line = r.line
           WHERE p.action = 'insert'`,
        );
  if (plan.days.merge === 0) return { inserted: fresh.rowCount ?? 0, updated: 0 };
  const merged = await client.query<{ inserted: string; updated: string }>(
    `WITH written AS (
       INSERT INTO readings AS cur (${READING_COLUMNS})
       SELECT DISTINCT ON (r.channel_id, r.interval_end) ${prefixed('r', READING_COLUMNS)}
       FROM ${readingsTable} r
       JOIN load_plan p ON p.line = r.line
       WHERE p.action = 'merge'
       ORDER BY r.channel_id, r.interval_end, r.updated_at DESC NULLS LAST, r.line DESC
       ON CONFLICT (channel_id, interval_end) DO UPDATE SET
         value = EXCLUDED.value, uom = EXCLUDED.uom, kwh = EXCLUDED.kwh, quality = EXCLUDED.quality,
         method = EXCLUDED.method, reason_code = EXCLUDED.reason_code, updated_at = EXCLUDED.updated_at,
         upload_id = EXCLUDED.upload_id, line = EXCLUDED.line
       WHERE (coalesce(EXCLUDED.updated_at, '-infinity'), EXCLUDED.upload_id, EXCLUDED.line)
           > (coalesce(cur.updated_at, '-infinity'), cur.upload_id, cur.line)
         AND (cur.value, cur.uom, cur.quality, cur.method, cur.reason_code, cur.updated_at)
             IS DISTINCT FROM
             (EXCLUDED.value, EXCLUDED.uom, EXCLUDED.quality, EXCLUDED.method, EXCLUDED.reason_code, EXCLUDED.updated_at)
       RETURNING (xmax = 0) AS inserted
     )
     SELECT count(*) FILTER (WHERE inserted) AS inserted, count(*) FILTER (WHERE NOT inserted) AS updated FROM written`,
  );
  return {
    inserted: (fresh.rowCount ?? 0) + Number(merged.rows[0].inserted),
    updated: Number(merged.rows[0].updated),
  };
}

/**
 * What a load leaves beside the readings, in its transaction: the fingerprints (and unit, interval
 * length) of the days just loaded, so their next re-send is skipped; which streams the upload
 * brought, for the readings API's access check; and a new data version for each of them, which
 * makes the API's cached results for those streams stale.
 */
export async function recordLoaded(client: PoolClient, uploadId: number): Promise<void> {
  await client.query(
    `INSERT INTO reading_days (channel_id, day, fingerprint, upload_id, uom, interval_length)
     SELECT DISTINCT ON (channel_id, day) channel_id, day, fingerprint, $1, uom, interval_length
     FROM load_plan WHERE action <> 'skip'
     ORDER BY channel_id, day, line DESC
     ON CONFLICT (channel_id, day) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, upload_id = EXCLUDED.upload_id,
       uom = EXCLUDED.uom, interval_length = EXCLUDED.interval_length`,
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
