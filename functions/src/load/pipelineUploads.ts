import type { Pool, PoolClient } from 'pg';
import { copyRows, VALIDATED_DAY_COLUMNS, VALIDATED_DAY_TABLE } from './copyRows';
import { DAY_ROW_COLUMNS } from './dayRows';
import { withClient } from './database';
import { inTransaction } from './migrate';
import { PermanentFailure } from './loadErrors';
import { ensureChannels, planLoad, STREAM_IDS, streamIdsOf, type LoadPlan } from './planLoad';
import { publishStaged, recordLoaded } from './publish';
import { combineDigests, type RowDigest } from './rowDigest';
import { ensureDayPartitions, monthsOf } from './dayPartitions';

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
 * Inside the split's transaction (lifecycle): the upload's streams exist (chunks need their ids) and
 * the chunk plan is the ledger, each chunk's Flo SQL part planned (a run of `sqlPartChunks`).
 */
export async function writeChunkLedger(client: PoolClient, uploadId: number, chunks: { chunk: number }[], sqlPartChunks: number): Promise<void> {
  await ensureChannels(client, stagingTables(uploadId).days, await orgOf(client, uploadId), false);
  await client.query(
    `INSERT INTO upload_chunks (upload_id, chunk, task, sql_part)
     SELECT $1, (t->>'chunk')::integer, t, (t->>'chunk')::integer / $3 FROM jsonb_array_elements($2::jsonb) t`,
    [uploadId, JSON.stringify(chunks), sqlPartChunks],
  );
}

/** Everything an upload staged goes (it failed, or it is published). */
export async function dropStaging(db: Pool | PoolClient, uploadId: number): Promise<void> {
  const tables = stagingTables(uploadId);
  await db.query(`DROP TABLE IF EXISTS ${tables.days}, ${tables.rows}`);
}

/** The months of `days` the upload's days need, made before it is published (dayPartitions.ts). */
export async function ensureStagedMonths(pool: Pool, uploadId: number): Promise<void> {
  await ensureDayPartitions(pool, await monthsOf(pool, stagingTables(uploadId).days));
}

/** The organisation an upload belongs to. */
async function orgOf(client: PoolClient, uploadId: number): Promise<string> {
  const result = await client.query<{ org_id: string }>('SELECT org_id FROM uploads WHERE id = $1', [uploadId]);
  if (result.rows.length === 0) throw new Error(`upload ${uploadId} does not exist`);
  return result.rows[0].org_id;
}

/**
 * Channel ids of the streams of one chunk (its days' lines, from the chunk's first line to the next
 * chunk's), made at split time, keyed `nmi,suffix`: a chunk of a daily file holds a fifth of its
 * 100,000 streams, and fetches only those, as one text value.
 */
async function chunkChannelIds(client: PoolClient, uploadId: number, chunk: number): Promise<Map<string, number>> {
  const result = await client.query<{ ids: string | null }>(
    `WITH lines AS (
       SELECT (t.task->>'firstLine')::integer AS first,
              coalesce((SELECT min((n.task->>'firstLine')::integer) - 1 FROM upload_chunks n WHERE n.upload_id = $1 AND n.chunk > $2), 2147483647) AS last
       FROM upload_chunks t WHERE t.upload_id = $1 AND t.chunk = $2
     )
     SELECT ${STREAM_IDS} AS ids FROM channels c
     JOIN (SELECT DISTINCT d.nmi, d.suffix FROM ${stagingTables(uploadId).days} d, lines WHERE d.line BETWEEN lines.first AND lines.last) d
       ON d.nmi = c.nmi AND d.suffix = c.suffix
     WHERE c.org_id = (SELECT org_id FROM uploads WHERE id = $1)`,
    [uploadId, chunk],
  );
  return streamIdsOf(result.rows[0].ids);
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
      const ids = await chunkChannelIds(client, uploadId, chunk);
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

export interface PublishResult {
  new: number;
  updated: number;
  unchanged: number;
  days: LoadPlan['days'];
}

/**
 * Inside the publish transaction (lifecycle, which locked the upload): the staged days checked
 * against the ledger, then the same plan and merge as `nem12 load`, then the staging tables go.
 * The staged row count is checked against the ledger first (a restore or a bug could lose rows).
 */
export async function publishStagedUpload(
  client: PoolClient,
  uploadId: number,
  ledger: { readings: string | null; staged: string | null; digests: unknown[] | null; repeats: boolean },
): Promise<PublishResult> {
  const tables = stagingTables(uploadId);
  const staged = await client.query<{ n: string | null }>(`SELECT sum(readings) AS n FROM ${tables.rows}`);
  if (Number(staged.rows[0].n ?? 0) !== Number(ledger.staged ?? 0)) {
    throw new PermanentFailure('STAGING_LOST', `Staged readings were lost (${staged.rows[0].n ?? 0} of ${ledger.staged}), probably in a database restart; upload the file again.`);
  }
  const plan = await planLoad(client, tables.days, await orgOf(client, uploadId), { published: false, repeats: ledger.repeats });
  await client.query(`ANALYZE ${tables.rows} (line, channel_id, day)`);
  const written = await publishStaged(client, tables.rows, plan, combineDigests((ledger.digests ?? []) as RowDigest[]));
  await recordLoaded(client, plan, uploadId);
  await dropStaging(client, uploadId);
  const readings = Number(ledger.readings ?? 0);
  return { new: written.inserted, updated: written.updated, unchanged: readings - written.inserted - written.updated, days: plan.days };
}
