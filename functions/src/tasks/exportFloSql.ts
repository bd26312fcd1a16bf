import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { onTaskDispatched } from 'firebase-functions/v2/tasks';
import { functionOptions, TASK_INVOKER, TASK_RETRY } from '../config';
import { recordSqlError, recordSqlPath } from '../load/pipelineUploads';
import { uploadProgress } from '../load/uploadLedger';
import { logs } from '../logs';
import { FloSqlWriter } from '../nem12';
import type { PipelineContext } from '../pipeline/context';
import { complete } from '../pipeline/lifecycle';
import { permanentFailureOf, taskHandler } from '../pipeline/failures';
import { PermanentFailure } from '../pipeline/permanentFailure';
import { floSqlPathOf } from '../pipeline/objects';
import { readObject, writeOutput } from '../pipeline/storageObjects';
import { sqlTask, type SqlTask } from '../pipeline/taskPayloads';
import type { Storage } from 'firebase-admin/storage';
import { renderDays } from '../source/parseStream';

/**
 * The Flo deliverable (`nem12 sql` output, gzipped), written beside the upload while the chunks
 * load. Runs in parallel with them; the upload finishes when both are in.
 */
export async function handleSql(ctx: PipelineContext, task: SqlTask): Promise<void> {
  const { db } = ctx;
  const progress = await uploadProgress(db, task.uploadId);
  if (progress?.status === 'loading' && !progress.sqlDone) {
    const started = Date.now();
    const path = floSqlPathOf(task.upload.name, task.statusId);
    try {
      await writeFloSql(ctx.storage, task, path);
      await recordSqlPath(db, task.uploadId, path);
      logs.sqlWritten({ statusId: task.statusId, path, ms: Date.now() - started });
    } catch (error) {
      // The readings load without it: a file that cannot be written is recorded, not fatal.
      const permanent = permanentFailureOf(error);
      if (permanent === null) throw error;
      logs.sqlFailed({ statusId: task.statusId, code: permanent.code, message: permanent.message });
      await recordSqlError(db, task.uploadId, `${permanent.code}: ${permanent.message}`);
    }
  }
  await complete(ctx, { statusId: task.statusId, uploadId: task.uploadId, bucket: task.upload.bucket });
}

export const exportFloSql = onTaskDispatched(
  {
    retryConfig: TASK_RETRY,
    invoker: TASK_INVOKER,
    rateLimits: { maxConcurrentDispatches: 2 },
    memory: '1GiB',
    ...functionOptions('exportFloSql'),
  },
  taskHandler('exportFloSql', sqlTask, handleSql),
);

async function writeFloSql(storage: Storage, task: SqlTask, path: string): Promise<void> {
  const writer = new FloSqlWriter({ sourceName: task.upload.name.split('/').pop() });
  const { text } = renderDays(readObject(storage, task.data), (day) => {
    writer.addDay(day);
    return writer.drain();
  }, {
    onIssue: (found) => {
      if (found.severity === 'error') throw new PermanentFailure(found.code, `Line ${found.line}: ${found.message}`);
    },
  });
  async function* sql(): AsyncGenerator<string> {
    yield writer.drain();
    yield* text;
    yield writer.finish();
  }
  const out = writeOutput(storage, { bucket: task.upload.bucket, name: path }, 'flo-sql', 'application/gzip', task.statusId);
  await pipeline(Readable.from(sql()), createGzip({ level: 1 }), out);
}
