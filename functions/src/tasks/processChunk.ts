import { onTaskDispatched } from 'firebase-functions/v2/tasks';
import { functionOptions, pool, TASK_INVOKER, TASK_RETRY } from '../config';
import { stageChunk } from '../load/pipelineUploads';
import { logs } from '../logs';
import { afterChunk } from '../pipeline/completion';
import { chunkRows } from '../pipeline/chunkRows';
import { handleTaskError } from '../pipeline/failures';
import { readObject } from '../pipeline/storageObjects';
import { chunkTask, type ChunkTask } from '../pipeline/taskPayloads';

/**
 * One chunk: read its byte range of the split object version, parse it (with the 200 context it
 * starts in), and stage its readings with the chunk's ledger row in one transaction.
 */
export const processChunk = onTaskDispatched(
  {
    retryConfig: TASK_RETRY,
    invoker: TASK_INVOKER,
    // Bounded by the database: each running chunk holds one connection and one COPY.
    rateLimits: { maxConcurrentDispatches: 4, maxDispatchesPerSecond: 20 },
    memory: '1GiB',
    ...functionOptions('processChunk'),
  },
  async (request) => {
    let task: ChunkTask | null = null;
    try {
      task = chunkTask.parse(request.data);
      const current = task;
      const db = await pool('processChunk');
      const started = Date.now();
      const outcome = await stageChunk(db, current.dbId, current.chunk, (channelIds) => chunkRows(readObject(current.data, { start: current.start, end: current.end }), current, channelIds));
      if (outcome.staged) logs.chunkStaged({ uploadId: current.uploadId, chunk: current.chunk, readings: outcome.readings, ms: Date.now() - started });
      else logs.chunkSkipped({ uploadId: current.uploadId, chunk: current.chunk, reason: outcome.reason });
      await afterChunk(db, { uploadId: current.uploadId, dbId: current.dbId, bucket: current.data.bucket });
    } catch (error) {
      await handleTaskError(() => pool('processChunk'), 'processChunk', task, error);
    }
  },
);
