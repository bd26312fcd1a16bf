import type { Pool } from 'pg';
import { readyToPublish, uploadProgress } from '../load/uploadLedger';
import { reportProgress } from '../status/uploadStatus';
import { enqueueFinish } from './enqueue';
import type { UploadRef } from './lifecycle';

/**
 * After a chunk task (new work or a duplicate delivery): report progress from the ledger and, when
 * every chunk is staged, enqueue the one publishing task. Several tasks may get here at once: the
 * finishing task's id makes that harmless.
 */
export async function afterChunk(pool: Pool, upload: UploadRef, redrive?: string): Promise<void> {
  const progress = await uploadProgress(pool, upload.uploadId);
  if (progress === null || progress.status !== 'loading') return;
  await reportProgress(upload.statusId, { chunksDone: progress.chunksStaged, readingsLoaded: progress.readingsStaged });
  if (readyToPublish(progress)) await enqueueFinish(upload, redrive);
}
