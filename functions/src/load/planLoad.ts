import type { PoolClient } from 'pg';
import { OrgDayChanges } from './orgDays';

/**
 * The first half of publishing a file's days (publish.ts is the second): the file's streams exist
 * and are locked, and each of its days has an action. Everything is within one organisation: its
 * streams, its stored days and fingerprints; another organisation's data is never read or touched.
 *
 * Costs per stream and per day are kept to one pass over the file's streams for the locks (and
 * their ids), and none over stored days when the file is newer than everything stored (the daily
 * delivery): a file of 100,000 streams plans as fast per reading as one of 200 streams over a year.
 */
export type DayAction = 'insert' | 'merge' | 'skip';

export interface LoadPlan {
  org: string;
  /** Days by action: new to the database, changed (or repeated in the file), identical to what is stored. */
  days: Record<DayAction, number>;
  readings: Record<DayAction, number>;
  /**
   * What the load changes in the organisation's days, as far as it is known in JavaScript: the
   * merges, and the rows rendered straight into `days` (orgDays.ts).
   */
  changes: OrgDayChanges;
  /** The staging table whose rows the plan inserts, when they were staged (org_days counts them there). */
  staged: string | null;
}

/**
 * Adds the file's new streams to the organisation's `channels`, in (nmi, suffix) order, so that
 * concurrent loads of the same new streams queue instead of deadlocking. Only the missing ones are
 * inserted (a daily file's streams mostly exist, and an insert that conflicts costs as much as one
 * that does not). `published`: the CLI's streams are published by the same transaction; the
 * pipeline makes them at the split, before their readings are published.
 */
export async function ensureChannels(client: PoolClient, validatedDays: string, org: string, published: boolean): Promise<void> {
  // A hash anti-join, whatever the estimates of a fresh temporary table: not 100,000 index probes.
  await client.query('SET LOCAL enable_nestloop = off');
  await client.query(
    `INSERT INTO channels (org_id, nmi, suffix, published)
     SELECT $1::text, f.nmi, f.suffix, $2 FROM (SELECT DISTINCT nmi, suffix FROM ${validatedDays}) f
     WHERE NOT EXISTS (SELECT 1 FROM channels c WHERE c.org_id = $1 AND c.nmi = f.nmi AND c.suffix = f.suffix)
     ORDER BY f.nmi, f.suffix
     ON CONFLICT (org_id, nmi, suffix) DO NOTHING`,
    [org, published],
  );
  await client.query('SET LOCAL enable_nestloop = on');
}

/**
 * Waits for, and holds until commit, a row lock on each of the file's known streams, taken in id
 * order, and keeps them in the temporary table load_streams (id, nmi, suffix, published, ordinal), and the
 * file's days with their stream ids in load_file (line, channel_id, day, fingerprint, readings,
 * repeated). Row locks live in the rows themselves, not in PostgreSQL's shared lock table (100,000
 * advisory locks there: "out of shared memory"); only a waiter takes an entry there. NO KEY UPDATE:
 * what an update of the row takes (recordLoaded), and it does not block the key-share locks of the
 * days' foreign key.
 */
async function lockStreams(client: PoolClient, validatedDays: string, org: string, repeats: boolean): Promise<void> {
  await client.query(`DROP TABLE IF EXISTS load_streams, load_file`);
  // Hash joins whatever the estimates (the temporary tables have no statistics: a nested loop of
  // 100,000 x 100,000).
  await client.query('SET LOCAL enable_nestloop = off');
  await client.query(
    `CREATE TEMP TABLE load_streams ON COMMIT DROP AS
     SELECT c.id, c.nmi, c.suffix, c.published, c.ordinal FROM channels c
     WHERE c.org_id = $1 AND (c.nmi, c.suffix) IN (SELECT nmi, suffix FROM ${validatedDays})
     ORDER BY c.id FOR NO KEY UPDATE OF c`,
    [org],
  );
  // Whether a day is repeated in the file: only looked for when validation found one.
  const repeated = repeats ? 'count(*) OVER (PARTITION BY c.id, s.day) > 1' : 'false';
  await client.query(
    `CREATE TEMP TABLE load_file ON COMMIT DROP AS
     SELECT s.line, c.id AS channel_id, s.day, s.fingerprint, s.readings, ${repeated} AS repeated
     FROM ${validatedDays} s JOIN load_streams c ON c.nmi = s.nmi AND c.suffix = s.suffix`,
  );
  await client.query('SET LOCAL enable_nestloop = on');
}

/**
 * Makes sure the file's streams exist, locks them, compares the validated days with what is stored
 * and writes the plan to the temporary table load_plan, one row per 300 row of the file (line,
 * stream, day, what validation found, action). Call inside the load's transaction. `repeats`: the
 * file has days repeated in it (DUPLICATE_DAY), found by validation.
 */
export async function planLoad(client: PoolClient, validatedDays: string, org: string, options: { published: boolean; repeats: boolean }): Promise<LoadPlan> {
  // The plan's sorts and hashes hold a file's days (100,000 for a daily file): in memory, not on disk.
  await client.query(`SET LOCAL work_mem = '64MB'`);
  // Usually every stream is known (the daily delivery, a pipeline upload): locked in one pass. If
  // some are new, the locks are given back and taken again after the new ones are made, so that
  // every load takes its locks in the same order.
  await client.query('SAVEPOINT plan_streams');
  await lockStreams(client, validatedDays, org, options.repeats);
  const [{ known }] = (await client.query<{ known: boolean }>(`SELECT (SELECT count(*) FROM load_file) = (SELECT count(*) FROM ${validatedDays}) AS known`)).rows;
  if (!known) {
    await client.query('ROLLBACK TO SAVEPOINT plan_streams');
    await ensureChannels(client, validatedDays, org, options.published);
    await lockStreams(client, validatedDays, org, options.repeats);
  }
  await client.query('RELEASE SAVEPOINT plan_streams');
  await client.query(`DROP TABLE IF EXISTS load_plan`);
  // Nothing of the organisation is stored after its latest day: the file's later days are new without
  // a look (a daily delivery's one day, every time). The others, one index probe each.
  const latest = await client.query<{ day: string | null }>(`SELECT max(day)::text AS day FROM org_days WHERE org_id = $1`, [org]);
  await client.query('SET LOCAL enable_hashjoin = off');
  await client.query('SET LOCAL enable_mergejoin = off');
  await client.query(
    `CREATE TEMP TABLE load_plan ON COMMIT DROP AS
     SELECT f.line, f.channel_id, f.day, f.fingerprint, f.readings, CASE WHEN f.repeated THEN 'merge' ELSE 'insert' END AS action
     FROM load_file f WHERE $1::date IS NULL OR f.day > $1::date
     UNION ALL
     SELECT f.line, f.channel_id, f.day, f.fingerprint, f.readings,
            CASE WHEN f.repeated THEN 'merge' WHEN d.day IS NULL THEN 'insert' WHEN d.fingerprint = f.fingerprint THEN 'skip' ELSE 'merge' END
     FROM load_file f LEFT JOIN days d ON d.channel_id = f.channel_id AND d.day = f.day
     WHERE f.day <= $1::date`,
    [latest.rows[0].day],
  );
  await client.query('SET LOCAL enable_hashjoin = on');
  await client.query('SET LOCAL enable_mergejoin = on');
  const plan: LoadPlan = { org, days: { insert: 0, merge: 0, skip: 0 }, readings: { insert: 0, merge: 0, skip: 0 }, changes: new OrgDayChanges(), staged: null };
  const actions = await client.query<{ action: DayAction; days: string; readings: string }>(
    'SELECT action, count(*) AS days, coalesce(sum(readings), 0) AS readings FROM load_plan GROUP BY action',
  );
  for (const row of actions.rows) {
    plan.days[row.action] = Number(row.days);
    plan.readings[row.action] = Number(row.readings);
  }
  return plan;
}

/** The ids of the streams the plan locked (load_streams), keyed `nmi,suffix`. */
export async function lockedStreamIds(client: PoolClient): Promise<Map<string, number>> {
  const streams = await client.query<{ ids: string | null }>(`SELECT ${STREAM_IDS} AS ids FROM load_streams c`);
  return streamIdsOf(streams.rows[0].ids);
}

/** Stream ids of rows `c` (id, nmi, suffix) as one text value, not a row per stream: a daily file has 100,000. */
export const STREAM_IDS = `string_agg(c.id || ',' || c.nmi || ',' || c.suffix, E'\\n')`;

/** The ids of STREAM_IDS, keyed `nmi,suffix`. */
export function streamIdsOf(text: string | null): Map<string, number> {
  const ids = new Map<string, number>();
  for (const line of text?.split('\n') ?? []) {
    const comma = line.indexOf(',');
    ids.set(line.slice(comma + 1), Number(line.slice(0, comma)));
  }
  return ids;
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
