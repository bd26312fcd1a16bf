import { onSchedule } from 'firebase-functions/v2/scheduler';
import { FUNCTIONS, functionOptions } from '../config';
import { sweepUploads } from '../pipeline/sweep';
import { handleUpload } from '../trigger/onUpload';
import { fail, sqlGivenUp } from '../lifecycle';
import { completeUpload } from '../pipeline/completion';
import { resumeUpload } from '../pipeline/resume';
import { logs } from '../logs';
import { TMP_PREFIX } from '../pipeline/objects';
import { contextOf, type PipelineContext } from '../pipeline/context';

/** Every 10 minutes: uploads whose event never came, then what a crash left behind. */
export const cleanup = onSchedule({ schedule: 'every 10 minutes', ...functionOptions('cleanup') }, async () => {
  const ctx = await contextOf('cleanup');
  const bucket = ctx.storage.bucket().name;
  // Processed here, one at a time, through the trigger's own handler (its claim makes a late event harmless).
  const deadline = Date.now() + (FUNCTIONS.cleanup.timeoutSeconds - 120) * 1000;
  await sweepUploads(ctx, bucket, { olderThanMs: 10 * 60_000, limit: 50, deadline, process: (object) => handleUpload(ctx, object) });
  await cleanupOnce(ctx, bucket);
});

export interface CleanupOptions {
  /** An upload still splitting or loading after this long has stalled: it fails (nothing was published). */
  stalledAfterMinutes: number;
  /** A loading upload this old is re-driven first: its missing tasks enqueued again from the ledger. */
  redriveAfterMinutes: number;
  /** Temporary objects are kept at least this long. */
  tmpAfterMinutes: number;
}

export async function cleanupOnce(ctx: PipelineContext, bucket: string, options: CleanupOptions = { stalledAfterMinutes: 360, redriveAfterMinutes: 30, tmpAfterMinutes: 60 }) {
  const { db } = ctx;
  // 0. Loading uploads that stopped moving (tasks lost or given up on): re-driven before they fail.
  const slow = await db.query<{ id: string }>(
    `SELECT id FROM uploads WHERE status IN ('loading', 'publishing') AND published_at IS NULL AND status_id IS NOT NULL
       AND coalesce(started_at, created_at) < now() - make_interval(mins => $1)
       AND coalesce(started_at, created_at) >= now() - make_interval(mins => $2)`,
    [options.redriveAfterMinutes, options.stalledAfterMinutes],
  );
  // A name per hour: tasks that ran (or gave up) keep their names in Cloud Tasks for a while, and a
  // re-drive within the hour (this runs every 10 minutes) is then no new task.
  const round = `r${Math.floor(Date.now() / 3_600_000)}`;
  let redriven = 0;
  for (const row of slow.rows) if ((await resumeUpload(ctx, Number(row.id), round)) !== null) redriven++;

  // 1. Stalled uploads fail (their staging goes with them); one already published only lacks its
  //    SQL file: it completes without it.
  const stalled = await db.query<{ id: string; status_id: string; bucket: string; published: boolean }>(
    `SELECT id, status_id, substring(source_key FROM '^gs://([^/]+)/') AS bucket, published_at IS NOT NULL AS published FROM uploads
     WHERE status IN ('pending', 'splitting', 'loading', 'publishing') AND status_id IS NOT NULL
       AND coalesce(started_at, created_at) < now() - make_interval(mins => $1)`,
    [options.stalledAfterMinutes],
  );
  for (const row of stalled.rows) {
    const message = `The upload did not finish within ${options.stalledAfterMinutes} minutes (re-driven every hour after ${options.redriveAfterMinutes})`;
    if (row.published) {
      const upload = { statusId: row.status_id, uploadId: Number(row.id), bucket: row.bucket ?? bucket };
      await sqlGivenUp(ctx, upload, `STALLED: ${message}; the Flo SQL file was not written.`);
      await completeUpload(ctx, upload);
      continue;
    }
    await fail(ctx, { statusId: row.status_id, uploadId: Number(row.id) }, { code: 'STALLED', line: 0, message: `${message}; nothing was published. Upload the file again.` });
  }

  // 2. Staging tables whose upload is over (or gone).
  const orphans = await db.query<{ table_name: string }>(
    `SELECT t.table_name FROM information_schema.tables t
     LEFT JOIN uploads u ON u.id = substring(t.table_name FROM '_(\\d+)$')::bigint
     WHERE t.table_schema = 'nem12_staging' AND (u.id IS NULL OR u.status IN ('done', 'failed'))`,
  );
  for (const row of orphans.rows) await db.query(`DROP TABLE IF EXISTS nem12_staging.${row.table_name.replace(/[^a-z0-9_]/g, '')}`);

  // 3. Temporary objects of uploads that are over (or unknown), once old enough.
  const [files] = await ctx.storage.bucket(bucket).getFiles({ prefix: TMP_PREFIX });
  let tmpDeleted = 0;
  for (const file of files) {
    const statusId = file.name.slice(TMP_PREFIX.length).split('/')[0];
    const age = Date.now() - Date.parse(String(file.metadata.updated ?? file.metadata.timeCreated ?? 0));
    if (age < options.tmpAfterMinutes * 60_000) continue;
    const upload = await db.query<{ status: string }>('SELECT status FROM uploads WHERE status_id = $1', [statusId]);
    const status = upload.rows[0]?.status;
    if (status === undefined || status === 'done' || status === 'failed') {
      await file.delete({ ignoreNotFound: true });
      tmpDeleted++;
    }
  }
  const result = { redriven, stalled: stalled.rows.length, stagingDropped: orphans.rows.length, tmpDeleted };
  logs.cleanup(result);
  return result;
}
