import type { Pool } from 'pg';

/**
 * The Flo SQL file's parts in the chunk ledger (upload_chunks): one per chunk, over the chunk's own
 * byte range, written in parallel and composed when the last is in.
 */
export interface SqlPart {
  /** The chunk's task as the split planned it (its range and 200 context). */
  chunkTask: unknown;
  written: boolean;
}

export async function sqlPartOf(pool: Pool, uploadId: number, part: number): Promise<SqlPart | null> {
  const result = await pool.query<{ task: unknown; written: boolean }>(
    'SELECT task, sql_written_at IS NOT NULL AS written FROM upload_chunks WHERE upload_id = $1 AND chunk = $2',
    [uploadId, part],
  );
  const row = result.rows[0];
  return row ? { chunkTask: row.task, written: row.written } : null;
}

export interface SqlPartsWritten {
  written: number;
  parts: number;
  days: number;
  readings: number;
}

/** Records a part as written (a rewrite of the same part keeps its first time) and returns the totals so far. */
export async function recordSqlPart(pool: Pool, uploadId: number, part: number, counts: { days: number; readings: number }): Promise<SqlPartsWritten> {
  await pool.query(
    `UPDATE upload_chunks SET sql_written_at = coalesce(sql_written_at, now()), sql_days = $3, sql_readings = $4
     WHERE upload_id = $1 AND chunk = $2`,
    [uploadId, part, counts.days, counts.readings],
  );
  return sqlPartsWritten(pool, uploadId);
}

export async function sqlPartsWritten(pool: Pool, uploadId: number): Promise<SqlPartsWritten> {
  const result = await pool.query<{ written: string; parts: string; days: string | null; readings: string | null }>(
    `SELECT count(sql_written_at) AS written, count(*) AS parts, sum(sql_days) AS days, sum(sql_readings) AS readings
     FROM upload_chunks WHERE upload_id = $1`,
    [uploadId],
  );
  const row = result.rows[0];
  return { written: Number(row.written), parts: Number(row.parts), days: Number(row.days ?? 0), readings: Number(row.readings ?? 0) };
}

/** The parts a resumed upload still needs: those not written or, when all are, the last (to compose). */
export async function sqlPartsToDo(pool: Pool, uploadId: number): Promise<number[]> {
  const result = await pool.query<{ chunk: number; written: boolean }>(
    'SELECT chunk, sql_written_at IS NOT NULL AS written FROM upload_chunks WHERE upload_id = $1 ORDER BY chunk',
    [uploadId],
  );
  const unwritten = result.rows.filter((row) => !row.written).map((row) => row.chunk);
  const last = result.rows.at(-1);
  return unwritten.length > 0 || last === undefined ? unwritten : [last.chunk];
}
