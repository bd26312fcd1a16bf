import { onTaskDispatched } from 'firebase-functions/v2/tasks';
import { functionOptions, TASK_INVOKER, TASK_RETRY } from '../config';
import { stageChunk } from '../load/pipelineUploads';
import { logs } from '../logs';
import type { PipelineContext } from '../pipeline/context';
import { afterChunk } from '../pipeline/progress';
import { chunkRows } from '../pipeline/chunkRows';
import { taskHandler } from '../pipeline/failures';
import { readObject } from '../pipeline/storageObjects';
import { chunkTask, type ChunkTask } from '../pipeline/taskPayloads';

/**
 * One chunk: read its byte range of the split object version, parse it (with the 200 context it
 * starts in), and stage its readings with the chunk's ledger row in one transaction.
 */
export async function handleChunk(ctx: PipelineContext, task: ChunkTask): Promise<void> {
  const started = Date.now();
  const outcome = await stageChunk(ctx.db, task.uploadId, task.chunk, (channelIds) => chunkRows(readObject(ctx.storage, task.data, { start: task.start, end: task.end }), task, channelIds));
  if (outcome.staged) logs.chunkStaged({ statusId: task.statusId, chunk: task.chunk, readings: outcome.readings, ms: Date.now() - started });
  else logs.chunkSkipped({ statusId: task.statusId, chunk: task.chunk, reason: outcome.reason });
  await afterChunk(ctx, { statusId: task.statusId, uploadId: task.uploadId, bucket: task.data.bucket });
}

export const processChunk = onTaskDispatched(
  {
    retryConfig: TASK_RETRY,
    invoker: TASK_INVOKER,
    // Bounded by the database: each running chunk holds one connection and one COPY.
    rateLimits: { maxConcurrentDispatches: 4, maxDispatchesPerSecond: 20 },
    memory: '1GiB',
    ...functionOptions('processChunk'),
  },
  taskHandler('processChunk', chunkTask, handleChunk),
);
