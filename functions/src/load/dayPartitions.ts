import type { Pool, PoolClient } from 'pg';

/**
 * `days` is partitioned by month (migration 0010). A load makes the months its days need before its
 * own transaction writes to `days`, in a transaction of its own (ensure_day_partitions: CREATE TABLE
 * and ATTACH PARTITION, a SHARE UPDATE EXCLUSIVE lock on `days` for a moment): made inside a long
 * load, a month would lock out every other load that needs it until that load commits.
 */

/** The first day of each month the days of `table` (a column `day`) fall in, as `YYYY-MM-DD` (none if there is no such table). */
export async function monthsOf(db: Pool | PoolClient, table: string): Promise<string[]> {
  if (!(await db.query<{ found: boolean }>('SELECT to_regclass($1) IS NOT NULL AS found', [table])).rows[0].found) return [];
  const result = await db.query<{ months: string[] | null }>(`SELECT array_agg(DISTINCT date_trunc('month', day)::date::text) AS months FROM ${table}`);
  return result.rows[0].months ?? [];
}

/**
 * Makes the month partitions of these months that do not exist yet. `pool` must be free to give a
 * connection other than any the caller holds in a transaction: the months must be committed before
 * that transaction writes to them.
 */
export async function ensureDayPartitions(pool: Pool, months: string[]): Promise<number> {
  if (months.length === 0) return 0;
  const result = await pool.query<{ made: number }>('SELECT ensure_day_partitions($1::date[]) AS made', [months]);
  return result.rows[0].made;
}
