import type { Pool, PoolClient } from 'pg';
import { copyRows, VALIDATED_DAY_COLUMNS, VALIDATED_DAY_TABLE } from './copyRows';
import { DAY_ROW_COLUMNS } from './dayRows';
import { withClient } from './database';
import { inTransaction } from './migrate';
import { PermanentFailure } from '../pipeline/permanentFailure';
import { ensureChannels, planLoad, publishStaged, recordLoaded, type LoadPlan } from './publish';
import { combineDigests, type RowDigest } from './rowDigest';

/**
 * The pipeline's side of PostgreSQL: an upload is claimed, split (its days staged), loaded chunk by
 * chunk into its own staging tables with a ledger, then published in one transaction. Nothing is
 * visible in `readings` before that transaction commits; a failure drops the staging tables.
 */

/** Tables of one upload in the staging schema (ids are bigserial integers: safe in identifiers). */
export function stagingTables(uploadId: number): { days: string; rows: string } {
  const id = Math.trunc(uploadId);
  return { days: `nem12_staging.days_${id}`, rows: `nem12_staging.rows_${id}` };
}

export interface ClaimedUpload {
  uploadId: number;
}

/**
 * Records an upload as being split, once per delivery: a redelivered event finds the row taken and
 * gets null. A split that started long ago and never finished (a crashed instance) may be taken over.
 */
export async function claimUpload(
  pool: Pool,
  upload: { org: string; sourceKey: string; statusId: string; fileName: string; owner: string | null; bytes: number },
): Promise<ClaimedUpload | null> {
  const result = await pool.query<{ id: string }>(
    `INSERT INTO uploads (org_id, source_key, status_id, file_name, owner, bytes, status, started_at)
     VALUES ($6, $1, $2, $3, $4, $5, 'splitting', now())
     ON CONFLICT (org_id, source_key) DO UPDATE SET status = 'splitting', started_at = now()
       WHERE uploads.status = 'pending' OR (uploads.status = 'splitting' AND uploads.started_at < now() - interval '15 minutes')
     RETURNING id`,
    [upload.sourceKey, upload.statusId, upload.fileName, upload.owner, upload.bytes, upload.org],
  );
  return result.rows.length === 0 ? null : { uploadId: Number(result.rows[0].id) };
}

/** Gives a claim back after a transient failure, so the retried event can take it at once. */
export async function releaseClaim(pool: Pool, uploadId: number): Promise<void> {
  await pool.query(`UPDATE uploads SET status = 'pending' WHERE id = $1 AND status = 'splitting'`, [uploadId]);
}

/** Fresh staging tables for a (possibly retried) split. */
export async function createStaging(pool: Pool, uploadId: number): Promise<void> {
  const tables = stagingTables(uploadId);
  await pool.query(`DROP TABLE IF EXISTS ${tables.days}, ${tables.rows}`);
  await pool.query('DELETE FROM upload_chunks WHERE upload_id = $1', [uploadId]);
  // Logged (migration 0002 made them unlogged): what a chunk staged survives a database crash and
  // restart, as its ledger row does, so the upload goes on instead of failing STAGING_LOST.
  await pool.query(`CREATE TABLE ${tables.days} ${VALIDATED_DAY_TABLE}`);
  await pool.query(`CREATE TABLE ${tables.rows} (LIKE days)`);
}

/** COPY the split's day rows into the upload's staging table. */
export async function stageDays(client: PoolClient, uploadId: number, rows: AsyncIterable<string>): Promise<number> {
  return copyRows(client, `COPY ${stagingTables(uploadId).days} (${VALIDATED_DAY_COLUMNS}) FROM STDIN`, rows);
}

/**
 * After a good split: channels exist (chunks need their ids), the chunk plan is the ledger, and the
 * upload is loading.
 */
export async function markSplit(
  pool: Pool,
  uploadId: number,
  split: { chunks: { chunk: number }[]; sqlPartChunks: number; dataObject: string; readings: number; warnings: number; issues: unknown; summary: unknown },
): Promise<void> {
  await withClient(pool, (client) =>
    inTransaction(client, async () => {
      await ensureChannels(client, stagingTables(uploadId).days, await orgOf(client, uploadId));
      await client.query(
        `INSERT INTO upload_chunks (upload_id, chunk, task, sql_part)
         SELECT $1, (t->>'chunk')::integer, t, (t->>'chunk')::integer / $3 FROM jsonb_array_elements($2::jsonb) t`,
        [uploadId, JSON.stringify(split.chunks), split.sqlPartChunks],
      );
      await client.query(
        `UPDATE uploads SET status = 'loading', chunks = $2, data_object = $3, readings = $4, warnings = $5, errors = 0,
           issues = $6, summary = $7 WHERE id = $1`,
        [uploadId, split.chunks.length, split.dataObject, split.readings, split.warnings, JSON.stringify(split.issues), JSON.stringify(split.summary)],
      );
    }),
  );
}

/**
 * A failed upload keeps its row (status, issues) and loses everything staged. Only an upload whose
 * readings are not published can fail: returns false (and changes nothing) for one that is.
 */
export async function markFailed(pool: Pool, uploadId: number, failure: { errors: number; warnings: number; issues: unknown }): Promise<boolean> {
  const result = await pool.query(
    `UPDATE uploads SET status = 'failed', errors = $2, warnings = $3, issues = $4, finished_at = now()
     WHERE id = $1 AND status <> 'done' AND published_at IS NULL`,
    [uploadId, failure.errors, failure.warnings, JSON.stringify(failure.issues)],
  );
  if (result.rowCount === 0) return false;
  const tables = stagingTables(uploadId);
  await pool.query(`DROP TABLE IF EXISTS ${tables.days}, ${tables.rows}`);
  return true;
}

export async function uploadStatus(pool: Pool, uploadId: number): Promise<string | null> {
  const result = await pool.query<{ status: string }>('SELECT status FROM uploads WHERE id = $1', [uploadId]);
  return result.rows[0]?.status ?? null;
}

/** The organisation an upload belongs to. */
async function orgOf(client: PoolClient, uploadId: number): Promise<string> {
  const result = await client.query<{ org_id: string }>('SELECT org_id FROM uploads WHERE id = $1', [uploadId]);
  if (result.rows.length === 0) throw new Error(`upload ${uploadId} does not exist`);
  return result.rows[0].org_id;
}

/** Channel ids of the upload's streams in its organisation (created at split time), keyed `nmi,suffix`. */
async function channelIds(client: PoolClient, uploadId: number): Promise<Map<string, number>> {
  const result = await client.query<{ id: number; nmi: string; suffix: string }>(
    `SELECT c.id, c.nmi, c.suffix FROM channels c
     JOIN (SELECT DISTINCT nmi, suffix FROM ${stagingTables(uploadId).days}) d ON d.nmi = c.nmi AND d.suffix = c.suffix
     WHERE c.org_id = (SELECT org_id FROM uploads WHERE id = $1)`,
    [uploadId],
  );
  return new Map(result.rows.map((row) => [`${row.nmi},${row.suffix}`, row.id]));
}

/** A chunk's COPY rows; once they are read, the readings they hold and their digest. */
export interface ChunkRows {
  text: AsyncIterable<string>;
  readings(): number;
  digest(): RowDigest;
}

export type ChunkOutcome = { staged: true; readings: number } | { staged: false; reason: 'already staged' | 'upload not loading' | 'no such chunk' };

/**
 * Stages one chunk's readings and marks its ledger row in one transaction. The row is claimed first:
 * a concurrent duplicate delivery waits on its lock, then finds it staged and does nothing.
 */
export async function stageChunk(
  pool: Pool,
  uploadId: number,
  chunk: number,
  rows: (channelIds: Map<string, number>) => ChunkRows,
): Promise<ChunkOutcome> {
  return withClient(pool, (client) =>
    inTransaction(client, async () => {
      // Shared lock: chunks stage side by side; publishing or failing the upload waits for them.
      const status = await client.query<{ status: string; published: boolean }>(
        'SELECT status, published_at IS NOT NULL AS published FROM uploads WHERE id = $1 FOR SHARE',
        [uploadId],
      );
      if (status.rows[0]?.status !== 'loading' || status.rows[0].published) return { staged: false, reason: 'upload not loading' } as const;
      const ledger = await client.query<{ staged_at: Date | null }>(
        'SELECT staged_at FROM upload_chunks WHERE upload_id = $1 AND chunk = $2 FOR UPDATE',
        [uploadId, chunk],
      );
      if (ledger.rows.length === 0) return { staged: false, reason: 'no such chunk' } as const;
      if (ledger.rows[0].staged_at !== null) return { staged: false, reason: 'already staged' } as const;
      const ids = await channelIds(client, uploadId);
      const chunkRows = rows(ids);
      await copyRows(client, `COPY ${stagingTables(uploadId).rows} (${DAY_ROW_COLUMNS}) FROM STDIN`, chunkRows.text);
      const readings = chunkRows.readings();
      await client.query('UPDATE upload_chunks SET readings = $3, digest = $4, staged_at = now() WHERE upload_id = $1 AND chunk = $2', [
        uploadId,
        chunk,
        readings,
        JSON.stringify(chunkRows.digest()),
      ]);
      return { staged: true, readings } as const;
    }),
  );
}

export async function recordSqlPath(pool: Pool, uploadId: number, path: string): Promise<void> {
  await pool.query('UPDATE uploads SET sql_path = $2 WHERE id = $1', [uploadId, path]);
}

export async function recordSqlError(pool: Pool, uploadId: number, message: string): Promise<void> {
  await pool.query('UPDATE uploads SET sql_error = $2 WHERE id = $1 AND sql_path IS NULL', [uploadId, message]);
}

export interface CompletedUpload {
  readings: number;
  new: number;
  updated: number;
  unchanged: number;
  sqlPath: string | null;
  sqlError: string | null;
}

/**
 * Done = readings published and the SQL file in. Called by whichever of the two finishes last (both
 * call it): one atomic UPDATE decides. Returns the final figures once the upload is done (also to a
 * later caller, so a retried task can finish reporting), else null.
 */
export async function completeUpload(pool: Pool, uploadId: number): Promise<CompletedUpload | null> {
  await pool.query(
    `UPDATE uploads SET status = 'done', finished_at = now()
     WHERE id = $1 AND status = 'loading' AND published_at IS NOT NULL AND (sql_path IS NOT NULL OR sql_error IS NOT NULL)`,
    [uploadId],
  );
  const result = await pool.query<{ status: string; readings: string; readings_new: string; readings_updated: string; readings_unchanged: string; sql_path: string | null; sql_error: string | null }>(
    'SELECT status, readings, readings_new, readings_updated, readings_unchanged, sql_path, sql_error FROM uploads WHERE id = $1',
    [uploadId],
  );
  const row = result.rows[0];
  if (row?.status !== 'done') return null;
  return {
    readings: Number(row.readings),
    new: Number(row.readings_new),
    updated: Number(row.readings_updated),
    unchanged: Number(row.readings_unchanged),
    sqlPath: row.sql_path,
    sqlError: row.sql_error,
  };
}

export interface PublishResult {
  /** False when there was nothing to do: already published (a retried task), or the upload failed. */
  published: boolean;
  new: number;
  updated: number;
  unchanged: number;
  days: LoadPlan['days'] | null;
}

/**
 * Publishes an upload whose chunks are all staged: the same plan and merge as `nem12 load`, then the
 * staging tables go. One transaction: readings appear all at once, or (on error) not at all. The
 * staged row count is checked against the ledger first (staging tables are unlogged).
 */
export async function publishUpload(pool: Pool, uploadId: number): Promise<PublishResult> {
  return withClient(pool, (client) =>
    inTransaction(client, async () => {
      const upload = await client.query<{ status: string; published: boolean; readings: string | null; staged: string | null; digests: RowDigest[] | null }>(
        `SELECT status, published_at IS NOT NULL AS published, readings,
                (SELECT sum(readings) FROM upload_chunks WHERE upload_id = $1) AS staged,
                (SELECT jsonb_agg(digest) FROM upload_chunks WHERE upload_id = $1) AS digests
         FROM uploads WHERE id = $1 FOR UPDATE`,
        [uploadId],
      );
      const row = upload.rows[0];
      if (!row) throw new Error(`upload ${uploadId} does not exist`);
      if (row.status !== 'loading' || row.published) return { published: false, new: 0, updated: 0, unchanged: 0, days: null };
      const tables = stagingTables(uploadId);
      const staged = await client.query<{ n: string | null }>(`SELECT sum(readings) AS n FROM ${tables.rows}`);
      if (Number(staged.rows[0].n ?? 0) !== Number(row.staged ?? 0)) {
        throw new PermanentFailure('STAGING_LOST', `Staged readings were lost (${staged.rows[0].n ?? 0} of ${row.staged}), probably in a database restart; upload the file again.`);
      }
      const plan = await planLoad(client, tables.days, await orgOf(client, uploadId));
      await client.query(`ANALYZE ${tables.rows}`);
      const written = await publishStaged(client, tables.rows, plan, combineDigests(row.digests ?? []));
      await recordLoaded(client, uploadId);
      const readings = Number(row.readings ?? 0);
      const result = { published: true, new: written.inserted, updated: written.updated, unchanged: readings - written.inserted - written.updated, days: plan.days };
      await client.query(
        `UPDATE uploads SET published_at = now(), readings_new = $2, readings_updated = $3, readings_unchanged = $4 WHERE id = $1`,
        [uploadId, result.new, result.updated, result.unchanged],
      );
      await client.query(`DROP TABLE ${tables.days}, ${tables.rows}`);
      return result;
    }),
  );
}
