import type { Pool, PoolClient } from 'pg';
import { withClient } from '../load/database';
import { inTransaction } from '../load/migrate';
import { ensureStagedMonths, publishStagedUpload, writeChunkLedger, type PublishResult } from '../load/pipelineUploads';
import { fromStates, TRANSITIONS } from './transitions';

/**
 * The PostgreSQL side of the upload lifecycle: every statement that writes an upload's state
 * (`uploads.status`, and what decides its moves: published_at, sql_path, sql_error, finished_at).
 * Each is guarded by the transition's `from` states and says whether it moved the row. Nothing else
 * in the code writes these columns (a test reads the sources to keep it so).
 */
type Db = Pool | PoolClient;

export interface Failure {
  errors: number;
  warnings: number;
  issues: unknown;
}

/** claim: a new row, or one pending, or a split that started long ago and never finished (a crashed instance). */
export async function claimRow(
  db: Db,
  upload: { org: string; sourceKey: string; statusId: string; fileName: string; owner: string | null; bytes: number },
): Promise<number | null> {
  const result = await db.query<{ id: string }>(
    `INSERT INTO uploads (org_id, source_key, status_id, file_name, owner, bytes, status, started_at)
     VALUES ($6, $1, $2, $3, $4, $5, '${TRANSITIONS.claim.to}', now())
     ON CONFLICT (org_id, source_key) DO UPDATE SET status = '${TRANSITIONS.claim.to}', started_at = now()
       WHERE uploads.status = 'pending' OR (uploads.status = 'splitting' AND uploads.started_at < now() - interval '15 minutes')
     RETURNING id`,
    [upload.sourceKey, upload.statusId, upload.fileName, upload.owner, upload.bytes, upload.org],
  );
  return result.rows.length === 0 ? null : Number(result.rows[0].id);
}

export async function releaseRow(db: Db, uploadId: number): Promise<boolean> {
  const result = await db.query(`UPDATE uploads SET status = '${TRANSITIONS.release.to}' WHERE id = $1 AND status IN (${fromStates('release')})`, [uploadId]);
  return result.rowCount === 1;
}

/** reject or fail: the row keeps its issues; nothing of it was published (one that was cannot fail). */
export async function failRow(db: Db, uploadId: number, transition: 'reject' | 'fail', failure: Failure): Promise<boolean> {
  const result = await db.query(
    `UPDATE uploads SET status = '${TRANSITIONS[transition].to}', errors = $2, warnings = $3, issues = $4, finished_at = now()
     WHERE id = $1 AND status IN (${fromStates(transition)}) AND published_at IS NULL`,
    [uploadId, failure.errors, failure.warnings, JSON.stringify(failure.issues)],
  );
  return result.rowCount === 1;
}

/** split: the chunk ledger and the row, in one transaction (the months of `days` made first). */
export async function splitRows(
  pool: Pool,
  uploadId: number,
  found: { chunks: { chunk: number }[]; sqlPartChunks: number } & Parameters<typeof splitRow>[2],
): Promise<boolean> {
  await ensureStagedMonths(pool, uploadId);
  return withClient(pool, (client) =>
    inTransaction(client, async () => {
      await writeChunkLedger(client, uploadId, found.chunks, found.sqlPartChunks);
      return splitRow(client, uploadId, found);
    }),
  );
}

async function splitRow(
  client: PoolClient,
  uploadId: number,
  split: { dataObject: string; readings: number; warnings: number; issues: unknown; summary: unknown; chunks: unknown[] },
): Promise<boolean> {
  const result = await client.query(
    `UPDATE uploads SET status = '${TRANSITIONS.split.to}', chunks = $2, data_object = $3, readings = $4, warnings = $5, errors = 0, issues = $6, summary = $7
     WHERE id = $1 AND status = 'splitting'`,
    [uploadId, split.chunks.length, split.dataObject, split.readings, split.warnings, JSON.stringify(split.issues), JSON.stringify(split.summary)],
  );
  return result.rowCount === 1;
}

/**
 * After publishRow: one transaction makes the readings visible and marks them published. Null when
 * there was nothing to publish (published already, or not publishing).
 */
export async function publishReadings(pool: Pool, uploadId: number): Promise<PublishResult | null> {
  await ensureStagedMonths(pool, uploadId);
  return withClient(pool, (client) =>
    inTransaction(client, async () => {
      const locked = await lockForPublish(client, uploadId);
      if (locked === null) return null;
      const published = await publishStagedUpload(client, uploadId, locked);
      await publishedRow(client, uploadId, published);
      return published;
    }),
  );
}

/** publish: the row says publishing, only once every chunk of the ledger is staged. */
export async function publishRow(db: Db, uploadId: number): Promise<boolean> {
  const result = await db.query(
    `UPDATE uploads u SET status = '${TRANSITIONS.publish.to}'
     WHERE u.id = $1 AND u.status IN (${fromStates('publish')})
       AND u.chunks = (SELECT count(*) FROM upload_chunks c WHERE c.upload_id = u.id AND c.staged_at IS NOT NULL)`,
    [uploadId],
  );
  return result.rowCount === 1;
}

/** Inside the publish transaction: the upload being published, locked, or null (published already, or not publishing). */
async function lockForPublish(client: PoolClient, uploadId: number) {
  const result = await client.query<{ readings: string | null; staged: string | null; digests: unknown[] | null; repeats: boolean }>(
    `SELECT readings,
            (SELECT sum(readings) FROM upload_chunks WHERE upload_id = $1) AS staged,
            (SELECT jsonb_agg(digest) FROM upload_chunks WHERE upload_id = $1) AS digests,
            -- Repeated days, as the split counted them (an upload split before counts were kept: look).
            coalesce((issues->'warningCodes'->>'DUPLICATE_DAY')::integer > 0, NOT coalesce(issues ? 'warningCodes', false)) AS repeats
     FROM uploads WHERE id = $1 AND status = 'publishing' AND published_at IS NULL FOR UPDATE`,
    [uploadId],
  );
  return result.rows[0] ?? null;
}

/** Inside the publish transaction, last: the readings are published, with their counts. */
async function publishedRow(client: PoolClient, uploadId: number, counts: { new: number; updated: number; unchanged: number }): Promise<void> {
  await client.query(`UPDATE uploads SET published_at = now(), readings_new = $2, readings_updated = $3, readings_unchanged = $4 WHERE id = $1`, [
    uploadId,
    counts.new,
    counts.updated,
    counts.unchanged,
  ]);
}

/** The Flo SQL file is in. */
export async function sqlWrittenRow(db: Db, uploadId: number, path: string): Promise<void> {
  await db.query('UPDATE uploads SET sql_path = $2 WHERE id = $1', [uploadId, path]);
}

/** The Flo SQL file cannot be written: the upload completes without it. */
export async function sqlGivenUpRow(db: Db, uploadId: number, message: string): Promise<void> {
  await db.query('UPDATE uploads SET sql_error = $2 WHERE id = $1 AND sql_path IS NULL', [uploadId, message]);
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
 * complete: the readings published and the Flo SQL file settled (written or given up). Called by
 * whichever finishes last (both call it): one guarded UPDATE decides. Returns the final figures once
 * the upload is done (also to a later caller, so a retried task can finish reporting), else null.
 */
export async function completeRow(db: Db, uploadId: number): Promise<CompletedUpload | null> {
  await db.query(
    `UPDATE uploads SET status = '${TRANSITIONS.complete.to}', finished_at = now()
     WHERE id = $1 AND status IN (${fromStates('complete')}) AND published_at IS NOT NULL AND (sql_path IS NOT NULL OR sql_error IS NOT NULL)`,
    [uploadId],
  );
  const result = await db.query<{ status: string; readings: string; readings_new: string; readings_updated: string; readings_unchanged: string; sql_path: string | null; sql_error: string | null }>(
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

/**
 * begin (`nem12 load`, inside its transaction): the row of the file's bytes, new and loading, or
 * the one a load of the same bytes left (done: it stays done, a terminal state never moves).
 */
export async function beginRow(client: PoolClient, load: { org: string; sourceKey: string; fileName: string; owner: string | null; bytes: number }): Promise<{ uploadId: number; fresh: boolean }> {
  const result = await client.query<{ id: string; fresh: boolean }>(
    `INSERT INTO uploads (org_id, source_key, file_name, owner, bytes, status) VALUES ($1, $2, $3, $4, $5, '${TRANSITIONS.begin.to}')
     ON CONFLICT (org_id, source_key) DO UPDATE SET file_name = EXCLUDED.file_name
     RETURNING id, xmax = 0 AS fresh`,
    [load.org, load.sourceKey, load.fileName, load.owner, load.bytes],
  );
  return { uploadId: Number(result.rows[0].id), fresh: result.rows[0].fresh };
}

/** loaded (`nem12 load`, last in its transaction): done with its figures (a row already done keeps its state and takes the figures). */
export async function loadedRow(
  client: PoolClient,
  uploadId: number,
  figures: { readings: number; new: number; updated: number; unchanged: number; warnings: number; issues: unknown; summary: unknown },
): Promise<void> {
  await client.query(
    `UPDATE uploads SET status = CASE WHEN status IN (${fromStates('loaded')}) THEN '${TRANSITIONS.loaded.to}' ELSE status END,
       readings = $2, readings_new = $3, readings_updated = $4, readings_unchanged = $5,
       warnings = $6, errors = 0, issues = $7, summary = $8, finished_at = now(), published_at = now()
     WHERE id = $1`,
    [uploadId, figures.readings, figures.new, figures.updated, figures.unchanged, figures.warnings, JSON.stringify(figures.issues), JSON.stringify(figures.summary)],
  );
}
