import type { Pool } from 'pg';

/**
 * The Flo SQL file's parts in the chunk ledger (upload_chunks.sql_part, planned at the split): each
 * a run of chunks, written by a task of its own over their byte ranges, in parallel; the file is
 * composed when the last is in. A part's counts sit on its first chunk's row.
 */
export interface SqlPart {
  /** The tasks of the part's chunks as the split planned them (ranges and 200 context), in order. */
  chunkTasks: unknown[];
  written: boolean;
}

export async function sqlPartOf(pool: Pool, uploadId: number, part: number): Promise<SqlPart | null> {
  const result = await pool.query<{ task: unknown; written: boolean }>(
    'SELECT task, sql_written_at IS NOT NULL AS written FROM upload_chunks WHERE upload_id = $1 AND sql_part = $2 ORDER BY chunk',
    [uploadId, part],
  );
  if (result.rows.length === 0) return null;
  return { chunkTasks: result.rows.map((row) => row.task), written: result.rows.every((row) => row.written) };
}

export interface SqlPartsWritten {
  written: number;
  parts: number;
  days: number;
  readings: number;
}

/** Records a part as written (a rewrite keeps its first time) and returns the totals so far. */
export async function recordSqlPart(pool: Pool, uploadId: number, part: number, counts: { days: number; readings: number }): Promise<SqlPartsWritten> {
  await pool.query(
    `UPDATE upload_chunks c SET sql_written_at = coalesce(c.sql_written_at, now()),
       sql_days = CASE WHEN c.chunk = first.chunk THEN $3::integer END, sql_readings = CASE WHEN c.chunk = first.chunk THEN $4::bigint END
     FROM (SELECT min(chunk) AS chunk FROM upload_chunks WHERE upload_id = $1 AND sql_part = $2) first
     WHERE c.upload_id = $1 AND c.sql_part = $2`,
    [uploadId, part, counts.days, counts.readings],
  );
  return sqlPartsWritten(pool, uploadId);
}

export async function sqlPartsWritten(pool: Pool, uploadId: number): Promise<SqlPartsWritten> {
  const result = await pool.query<{ written: string; parts: string; days: string | null; readings: string | null }>(
    `SELECT count(DISTINCT sql_part) FILTER (WHERE sql_written_at IS NOT NULL) AS written, count(DISTINCT sql_part) AS parts,
            sum(sql_days) AS days, sum(sql_readings) AS readings
     FROM upload_chunks WHERE upload_id = $1`,
    [uploadId],
  );
  const row = result.rows[0];
  return { written: Number(row.written), parts: Number(row.parts), days: Number(row.days ?? 0), readings: Number(row.readings ?? 0) };
}

/** The parts a resumed upload still needs: those not written or, when all are, the last (to compose). */
export async function sqlPartsToDo(pool: Pool, uploadId: number): Promise<number[]> {
  const result = await pool.query<{ part: number; written: boolean }>(
    `SELECT sql_part AS part, bool_and(sql_written_at IS NOT NULL) AS written FROM upload_chunks
     WHERE upload_id = $1 GROUP BY sql_part ORDER BY sql_part`,
    [uploadId],
  );
  const unwritten = result.rows.filter((row) => !row.written).map((row) => row.part);
  const last = result.rows.at(-1);
  return unwritten.length > 0 || last === undefined ? unwritten : [last.part];
}
