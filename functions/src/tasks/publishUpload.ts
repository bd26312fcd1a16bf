import { onTaskDispatched } from 'firebase-functions/v2/tasks';
import { functionOptions, TASK_INVOKER, TASK_RETRY } from '../config';
import { publish } from '../lifecycle';
import { logs } from '../logs';
import { completeUpload } from '../pipeline/completion';
import type { PipelineContext } from '../pipeline/context';
import { taskHandler } from '../pipeline/failures';
import { publishTask, type PublishTask } from '../pipeline/taskPayloads';

/**
 * Publishes an upload once every chunk is staged: its readings appear in one transaction (the same
 * plan and merge as `nem12 load`); the upload is done as soon as its SQL file is in too. Retry-safe:
 * an upload already published is only finished.
 */
export async function handlePublish(ctx: PipelineContext, task: PublishTask): Promise<void> {
  const started = Date.now();
  // Every chunk is in: the page says the readings are being made visible, not "100% loaded".
  const result = await publish(ctx, task);
  if (result !== null) {
    logs.uploadPublished({ statusId: task.statusId, new: result.new, updated: result.updated, unchanged: result.unchanged, ms: Date.now() - started });
  }
  await completeUpload(ctx, task);
}

export const publishUpload = onTaskDispatched(
  {
    retryConfig: TASK_RETRY,
    invoker: TASK_INVOKER,
    // Publishes of the same streams are serialised by the database (a lock per stream).
    rateLimits: { maxConcurrentDispatches: 2 },
    memory: '512MiB',
    ...functionOptions('publishUpload'),
  },
  taskHandler('publishUpload', publishTask, handlePublish),
);
