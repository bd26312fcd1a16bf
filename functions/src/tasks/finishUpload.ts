import { onTaskDispatched } from 'firebase-functions/v2/tasks';
import { functionOptions, TASK_INVOKER, TASK_RETRY } from '../config';
import { publishUpload } from '../load/pipelineUploads';
import { logs } from '../logs';
import type { PipelineContext } from '../pipeline/context';
import { complete, publish } from '../pipeline/lifecycle';
import { taskHandler } from '../pipeline/failures';
import { finishTask, type FinishTask } from '../pipeline/taskPayloads';

/**
 * Publishes an upload once every chunk is staged: its readings appear in one transaction (the same
 * plan and merge as `nem12 load`); the upload is done as soon as its SQL file is in too. Retry-safe:
 * an upload already published is only finished.
 */
export async function handleFinish(ctx: PipelineContext, task: FinishTask): Promise<void> {
  const started = Date.now();
  // Every chunk is in: the page says the readings are being made visible, not "100% loaded".
  await publish(ctx, task.statusId);
  const result = await publishUpload(ctx.db, task.uploadId);
  if (result.published) {
    logs.uploadPublished({ statusId: task.statusId, new: result.new, updated: result.updated, unchanged: result.unchanged, ms: Date.now() - started });
  }
  await complete(ctx, task);
}

export const finishUpload = onTaskDispatched(
  {
    retryConfig: TASK_RETRY,
    invoker: TASK_INVOKER,
    // Publishes of the same streams are serialised by the database (a lock per stream).
    rateLimits: { maxConcurrentDispatches: 2 },
    memory: '512MiB',
    ...functionOptions('finishUpload'),
  },
  taskHandler('finishUpload', finishTask, handleFinish),
);
