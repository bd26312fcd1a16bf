import { progress } from '../lifecycle';
import { enqueuePublish } from './enqueue';
import type { PipelineContext } from './context';
import type { UploadRef } from './completion';

/**
 * After a chunk task (new work or a duplicate delivery): report progress from the ledger and, when
 * every chunk is staged, enqueue the one publishing task. Several tasks may get here at once: the
 * finishing task's id makes that harmless.
 */
export async function afterChunk(ctx: PipelineContext, upload: UploadRef, redrive?: string): Promise<void> {
  if (await progress(ctx, upload)) await enqueuePublish(ctx.queues, upload, redrive);
}
