import type { Pool } from 'pg';
import { completeUpload, readyToPublish, uploadProgress } from '../load/pipelineUploads';
import { advanceStatus, reportProgress } from '../status/uploadStatus';
import { enqueueFinish } from './enqueue';
import { tmpDataPathOf } from './objects';
import { deleteObject } from './storageObjects';

export interface UploadRef {
  uploadId: string;
  dbId: number;
  bucket: string;
}

/**
 * After a chunk task (new work or a duplicate delivery): report progress from the ledger and, when
 * every chunk is staged, enqueue the one publishing task. Several tasks may get here at once: the
 * finishing task's id makes that harmless.
 */
export async function afterChunk(pool: Pool, upload: UploadRef, redrive?: string): Promise<void> {
  const progress = await uploadProgress(pool, upload.dbId);
  if (progress === null || progress.status !== 'loading') return;
  await reportProgress(upload.uploadId, { chunksDone: progress.chunksStaged, readingsLoaded: progress.readingsStaged });
  if (readyToPublish(progress)) await enqueueFinish(upload, redrive);
}

/**
 * The upload is done when its readings are published and its SQL file is in; the publishing task
 * and the SQL task both end here, in either order. Temporary objects go first, then the status says
 * done. Safe to repeat.
 */
export async function finishIfComplete(pool: Pool, upload: UploadRef): Promise<void> {
  const done = await completeUpload(pool, upload.dbId);
  if (done === null) return;
  await deleteObject({ bucket: upload.bucket, name: tmpDataPathOf(upload.uploadId) });
  await advanceStatus(upload.uploadId, 'done', {
    'readings.new': done.new,
    'readings.updated': done.updated,
    'readings.unchanged': done.unchanged,
    sqlPath: done.sqlPath,
    ...(done.sqlError ? { sqlError: done.sqlError } : {}),
  });
}
