import { FUNCTIONS, REGION } from '../config';
import { taskQueues } from '../firebase';
import { taskIdOf } from './objects';
import type { ChunkTask, FinishTask, SqlTask } from './taskPayloads';

/**
 * The only caller of the task queues (firebase-admin's Cloud Tasks API, which also reaches the
 * tasks emulator). Ids derive from the upload, so enqueueing twice is harmless.
 */
const queue = (name: 'processChunk' | 'exportFloSql' | 'finishUpload') => taskQueues().taskQueue(`locations/${REGION}/functions/${name}`);

/** A task's dispatch deadline: its function's timeout. */
export function dispatchDeadlineOf(name: Parameters<typeof queue>[0]): number {
  return FUNCTIONS[name].timeoutSeconds;
}

async function enqueueOnce(name: Parameters<typeof queue>[0], payload: object, id: string): Promise<void> {
  try {
    // Cloud Tasks waits for the handler as long as the function may run, not its default 10 minutes.
    await queue(name).enqueue(payload as Record<string, unknown>, { id, dispatchDeadlineSeconds: dispatchDeadlineOf(name) });
  } catch (error) {
    if ((error as { code?: string }).code !== 'functions/task-already-exists') throw error;
  }
}

/** Fan-out: one task per chunk and one for the Flo SQL file, enqueued together. */
export async function enqueueUploadTasks(chunks: ChunkTask[], sql: SqlTask): Promise<void> {
  await Promise.all([
    ...chunks.map((task) => enqueueOnce('processChunk', task, taskIdOf(task.uploadId, 'chunk', task.chunk))),
    enqueueOnce('exportFloSql', sql, taskIdOf(sql.uploadId, 'sql')),
  ]);
}

export async function enqueueFinish(task: FinishTask): Promise<void> {
  await enqueueOnce('finishUpload', task, taskIdOf(task.uploadId, 'finish'));
}
