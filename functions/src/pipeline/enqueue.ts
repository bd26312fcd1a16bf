import { FUNCTIONS, REGION } from '../config';
import type { Functions } from 'firebase-admin/functions';
import { taskIdOf } from './objects';
import type { ChunkTask, PublishTask, SqlTask } from './taskPayloads';

/**
 * The only caller of the task queues (firebase-admin's Cloud Tasks API, which also reaches the
 * tasks emulator). Ids derive from the upload, so enqueueing twice is harmless.
 */
type QueueName = 'processChunk' | 'exportFloSql' | 'publishUpload';
const queue = (queues: Functions, name: QueueName) => queues.taskQueue(`locations/${REGION}/functions/${name}`);

/** A task's dispatch deadline: its function's timeout. */
export function dispatchDeadlineOf(name: QueueName): number {
  return FUNCTIONS[name].timeoutSeconds;
}

async function enqueueOnce(queues: Functions, name: QueueName, payload: object, id: string): Promise<void> {
  try {
    // Cloud Tasks waits for the handler as long as the function may run, not its default 10 minutes.
    await queue(queues, name).enqueue(payload as Record<string, unknown>, { id, dispatchDeadlineSeconds: dispatchDeadlineOf(name) });
  } catch (error) {
    if ((error as { code?: string }).code !== 'functions/task-already-exists') throw error;
  }
}

/**
 * Fan-out: one task per chunk to load and one per part of the Flo SQL file (a run of chunks). `redrive` names a later
 * round of the same tasks: Cloud Tasks keeps a task's name for a while after it ran (or gave up), so
 * a re-drive needs names of its own; duplicates are harmless (the ledger).
 */
export async function enqueueUploadTasks(queues: Functions, chunks: ChunkTask[], sqlParts: SqlTask[], redrive?: string): Promise<void> {
  const named = (id: string) => (redrive === undefined ? id : `${id}-${redrive}`);
  await Promise.all([
    ...chunks.map((task) => enqueueOnce(queues, 'processChunk', task, named(taskIdOf(task.statusId, 'chunk', task.chunk)))),
    ...sqlParts.map((task) => enqueueOnce(queues, 'exportFloSql', task, named(taskIdOf(task.statusId, 'sql', task.part)))),
  ]);
}

/** The tasks of the Flo SQL file's `parts` of an upload. */
export function sqlPartTasks(upload: Pick<SqlTask, 'statusId' | 'uploadId' | 'upload'>, parts: number[]): SqlTask[] {
  const { bucket, name, generation } = upload.upload;
  return parts.map((part) => ({ statusId: upload.statusId, uploadId: upload.uploadId, upload: { bucket, name, generation }, part }));
}

export async function enqueuePublish(queues: Functions, task: PublishTask, redrive?: string): Promise<void> {
  const id = taskIdOf(task.statusId, 'publish');
  await enqueueOnce(queues, 'publishUpload', task, redrive === undefined ? id : `${id}-${redrive}`);
}
