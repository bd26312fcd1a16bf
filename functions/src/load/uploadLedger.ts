import type { Pool } from 'pg';

/**
 * What is left to do of an upload that got as far as loading: the chunk tasks whose chunks are not
 * staged (the ledger holds their payloads), whether its SQL file is in, and what the split found
 * (for its status document). Null for an upload in any other state (not split yet, published,
 * done or failed).
 */
export interface LoadingWork {
  uploadId: number;
  statusId: string;
  sourceKey: string;
  chunks: number;
  readings: number;
  warnings: number;
  issues: { warnings: unknown[]; errors: unknown[] };
  summary: unknown;
  unstaged: unknown[];
  sqlSettled: boolean;
}

export async function loadingWork(pool: Pool, uploadId: number): Promise<LoadingWork | null> {
  const result = await pool.query<{
    status_id: string;
    source_key: string;
    chunks: number;
    readings: string;
    warnings: number;
    issues: LoadingWork['issues'];
    summary: unknown;
    unstaged: unknown[];
    sql_settled: boolean;
  }>(
    `SELECT u.status_id, u.source_key, u.chunks, u.readings, u.warnings, u.issues, u.summary,
            (u.sql_path IS NOT NULL OR u.sql_error IS NOT NULL) AS sql_settled,
            coalesce(jsonb_agg(c.task ORDER BY c.chunk) FILTER (WHERE c.staged_at IS NULL), '[]') AS unstaged
     FROM uploads u LEFT JOIN upload_chunks c ON c.upload_id = u.id
     WHERE u.id = $1 AND u.status IN ('loading', 'publishing') AND u.published_at IS NULL AND u.status_id IS NOT NULL
     GROUP BY u.id`,
    [uploadId],
  );
  const row = result.rows[0];
  if (!row) return null;
  return {
    uploadId,
    statusId: row.status_id,
    sourceKey: row.source_key,
    chunks: row.chunks,
    readings: Number(row.readings),
    warnings: row.warnings,
    issues: row.issues,
    summary: row.summary,
    unstaged: row.unstaged,
    sqlSettled: row.sql_settled,
  };
}

/** The upload of an organisation's delivery, by its source key (the row a redelivered event finds). */
export async function uploadOfSource(pool: Pool, org: string, sourceKey: string): Promise<number | null> {
  const result = await pool.query<{ id: string }>('SELECT id FROM uploads WHERE org_id = $1 AND source_key = $2', [org, sourceKey]);
  return result.rows.length === 0 ? null : Number(result.rows[0].id);
}

export interface UploadProgress {
  status: string;
  chunks: number;
  chunksStaged: number;
  readingsStaged: number;
  published: boolean;
  /** The Flo SQL file is written (or could not be: then the upload completes without it). */
  sqlSettled: boolean;
}

/** Absolute progress from the ledger: writing it is retry-safe (a retried chunk never double-counts). */
export async function uploadProgress(pool: Pool, uploadId: number): Promise<UploadProgress | null> {
  const result = await pool.query<{ status: string; chunks: number | null; staged: string; readings: string | null; published: boolean; sql_settled: boolean }>(
    `SELECT u.status, u.chunks, u.published_at IS NOT NULL AS published, (u.sql_path IS NOT NULL OR u.sql_error IS NOT NULL) AS sql_settled,
            count(c.staged_at) AS staged, sum(c.readings) AS readings
     FROM uploads u LEFT JOIN upload_chunks c ON c.upload_id = u.id
     WHERE u.id = $1 GROUP BY u.id`,
    [uploadId],
  );
  const row = result.rows[0];
  if (!row) return null;
  return {
    status: row.status,
    chunks: row.chunks ?? 0,
    chunksStaged: Number(row.staged),
    readingsStaged: Number(row.readings ?? 0),
    published: row.published,
    sqlSettled: row.sql_settled,
  };
}

/** Every chunk is staged and nothing is published yet. */
export function readyToPublish(progress: UploadProgress | null): boolean {
  return progress !== null && progress.status === 'loading' && !progress.published && progress.chunksStaged === progress.chunks;
}
