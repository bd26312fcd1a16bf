import { readyToPublish, uploadProgress } from '../load/uploadLedger';
import { reportProgress } from '../status/uploadStatus';
import { enqueueFinish } from './enqueue';
import type { PipelineContext } from './context';
import type { UploadRef } from './lifecycle';

/**
 * After a chunk task (new work or a duplicate delivery): report progress from the ledger and, when
 * every chunk is staged, enqueue the one publishing task. Several tasks may get here at once: the
 * finishing task's id makes that harmless.
 */
export async function afterChunk(ctx: PipelineContext, upload: UploadRef, redrive?: string): Promise<void> {
  const progress = await uploadProgress(ctx.db, upload.uploadId);
  if (progress === null || progress.status !== 'loading') return;
  await reportProgress(ctx.firestore, upload.statusId, { chunksDone: progress.chunksStaged, readingsLoaded: progress.readingsStaged });
  if (readyToPublish(progress)) await enqueueFinish(ctx.queues, upload, redrive);
}
