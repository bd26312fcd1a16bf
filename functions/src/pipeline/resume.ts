import { sqlPartsToDo } from '../load/sqlParts';
import { loadingWork } from '../load/uploadLedger';
import type { FileSummary, Nem12Issue } from 'nem12';
import type { PipelineContext } from './context';
import { afterChunk } from './progress';
import { enqueueUploadTasks, sqlPartTasks } from './enqueue';
import { splitDocument } from '../lifecycle';
import { chunkTask } from './taskPayloads';

/** gs://bucket/name#generation as an object reference. */
export function objectOfKey(key: string): { bucket: string; name: string; generation: string } {
  const match = /^gs:\/\/([^/]+)\/(.+)#(\d+)$/.exec(key);
  if (!match) throw new Error(`not an object key: ${key}`);
  return { bucket: match[1], name: match[2], generation: match[3] };
}

/**
 * Carries an upload that got as far as loading on from wherever it stopped: its status document
 * moved to loading (if that update was lost), the tasks of every chunk not staged and of every Flo
 * SQL part not written (or the last, to compose) enqueued again from the ledger, the publishing task if every chunk is in. Re-entrant: a
 * redelivered storage event and the hourly cleanup both call it. Returns the tasks enqueued, or null
 * when the upload is not loading.
 */
export async function resumeUpload(ctx: PipelineContext, uploadId: number, redrive?: string): Promise<number | null> {
  const work = await loadingWork(ctx.db, uploadId);
  if (work === null) return null;
  await splitDocument(ctx, work.statusId, { ...work, issues: work.issues as { warnings: Nem12Issue[]; warningCodes?: Record<string, number> }, summary: work.summary as FileSummary }, 'resume');
  const chunks = work.unstaged.map((task) => chunkTask.parse(task));
  const sql = work.sqlSettled ? [] : sqlPartTasks({ statusId: work.statusId, uploadId, upload: objectOfKey(work.sourceKey) }, await sqlPartsToDo(ctx.db, uploadId));
  await enqueueUploadTasks(ctx.queues, chunks, sql, redrive);
  const upload = { statusId: work.statusId, uploadId, bucket: objectOfKey(work.sourceKey).bucket };
  if (chunks.length === 0) await afterChunk(ctx, upload, redrive);
  return chunks.length + sql.length;
}
