import { ZodError, type ZodType } from 'zod';
import type { FunctionName } from '../config';
import { logs } from '../logs';
import { contextOf, type PipelineContext } from './context';
import { fail } from '../lifecycle';
import { PermanentFailure } from '../load/loadErrors';
import { isNotFound } from './storageObjects';

export { PermanentFailure };

export function permanentFailureOf(error: unknown): PermanentFailure | null {
  if (error instanceof PermanentFailure) return error;
  if (error instanceof ZodError) return new PermanentFailure('INVALID_TASK', `Malformed task payload: ${error.issues[0]?.message ?? error.message}`);
  if (isNotFound(error)) return new PermanentFailure('OBJECT_GONE', 'The uploaded object (or its decompressed copy) no longer exists.');
  return null;
}

/**
 * Records a permanent failure (status failed, staging dropped: nothing published) and acknowledges
 * the task; anything else (a database down, a schema behind the code) is logged with its stack and
 * rethrown so Cloud Tasks retries it. The context is made only to record a permanent failure.
 */
export async function handleTaskError(context: () => Promise<PipelineContext>, task: string, upload: { statusId: string; uploadId: number } | null, error: unknown): Promise<void> {
  const permanent = permanentFailureOf(error);
  if (permanent === null) {
    logs.taskRetrying({ task, statusId: upload?.statusId ?? 'unknown' }, error);
    throw error;
  }
  logs.uploadFailed({ statusId: upload?.statusId ?? 'unknown', code: permanent.code, message: permanent.message });
  if (upload === null) return;
  await fail(await context(), upload, { code: permanent.code, line: 0, message: permanent.message });
}

/**
 * A task queue function's handler: the payload parsed (a malformed one is a permanent failure), the
 * work given the function's context (contextOf), and the one rule for what fails: permanent failures
 * recorded and acknowledged, transient ones retried (handleTaskError).
 */
export function taskHandler<T extends { statusId: string; uploadId: number }>(name: FunctionName, payload: ZodType<T>, work: (ctx: PipelineContext, task: T) => Promise<void>) {
  return async (request: { data: unknown }): Promise<void> => {
    let task: T | null = null;
    try {
      task = payload.parse(request.data);
      await work(await contextOf(name), task);
    } catch (error) {
      await handleTaskError(() => contextOf(name), name, task, error);
    }
  };
}
