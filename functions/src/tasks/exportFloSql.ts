import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip, gzipSync } from 'node:zlib';
import { onTaskDispatched } from 'firebase-functions/v2/tasks';
import { functionOptions, TASK_INVOKER, TASK_RETRY } from '../config';
import { recordSqlPart, sqlPartOf, sqlPartsToDo, sqlPartsWritten, type SqlPartsWritten } from '../load/sqlParts';
import { uploadProgress } from '../load/uploadLedger';
import { logs } from '../logs';
import { floSqlHead, floSqlTail, FloSqlWriter, type FloSqlCounts } from '../days';
import type { PipelineContext } from '../pipeline/context';
import { enqueueUploadTasks, sqlPartTasks } from '../pipeline/enqueue';
import { sqlGivenUp, sqlWritten } from '../lifecycle';
import { completeUpload } from '../pipeline/completion';
import { permanentFailureOf, taskHandler } from '../pipeline/failures';
import { PermanentFailure } from '../load/loadErrors';
import { floSqlPathOf, sqlPartPathOf } from '../pipeline/objects';
import { composeObjects, readObject, writeOutput } from '../pipeline/storageObjects';
import { chunkTask, sqlTask, type ChunkTask, type SqlTask } from '../pipeline/taskPayloads';
import { renderDays } from '../source/parseStream';

/**
 * The Flo deliverable (`nem12 sql` output, gzipped), written beside the upload while the chunks
 * load: in parts (a run of chunks each, SQL_PART_CHUNKS), in parallel, each a gzip member of its
 * chunks' INSERTs; the task that writes the last part composes head + parts + tail in Storage (one gzip file, one transaction when
 * run). The upload finishes when both the readings and the file are in.
 */
export async function handleSql(ctx: PipelineContext, task: SqlTask): Promise<void> {
  const { db } = ctx;
  const progress = await uploadProgress(db, task.uploadId);
  // The file is written while the chunks load and while the readings publish (every chunk is in then).
  if ((progress?.status === 'loading' || progress?.status === 'publishing') && !progress.sqlSettled) {
    if (task.part === undefined) {
      // A whole-file task queued before parts existed: its parts, from the ledger.
      await enqueueUploadTasks(ctx.queues, [], sqlPartTasks(task, await sqlPartsToDo(db, task.uploadId)));
      return;
    }
    try {
      const written = await writePart(ctx, task, task.part);
      if (written.written === written.parts) await composeFile(ctx, task, written);
    } catch (error) {
      // The readings load without it: a file that cannot be written is recorded, not fatal.
      const permanent = permanentFailureOf(error);
      if (permanent === null) throw error;
      logs.sqlFailed({ statusId: task.statusId, code: permanent.code, message: permanent.message });
      await sqlGivenUp(ctx, task, `${permanent.code}: ${permanent.message}`);
    }
  }
  await completeUpload(ctx, { statusId: task.statusId, uploadId: task.uploadId, bucket: task.upload.bucket });
}

export const exportFloSql = onTaskDispatched(
  {
    retryConfig: TASK_RETRY,
    invoker: TASK_INVOKER,
    rateLimits: { maxConcurrentDispatches: 4 },
    memory: '1GiB',
    ...functionOptions('exportFloSql'),
  },
  taskHandler('exportFloSql', sqlTask, handleSql),
);

/** Writes the part (unless a delivery already did) and returns how many of the file's parts are in. */
async function writePart(ctx: PipelineContext, task: SqlTask, part: number): Promise<SqlPartsWritten> {
  const known = await sqlPartOf(ctx.db, task.uploadId, part);
  if (known === null) throw new PermanentFailure('INVALID_TASK', `Upload ${task.uploadId} has no chunk ${part}.`);
  if (known.written) return sqlPartsWritten(ctx.db, task.uploadId);
  const started = Date.now();
  const counts = await writeSqlPart(ctx, task, part, known.chunkTasks.map((chunk) => chunkTask.parse(chunk)));
  logs.sqlPartWritten({ statusId: task.statusId, part, readings: counts.readings, ms: Date.now() - started });
  return recordSqlPart(ctx.db, task.uploadId, part, counts);
}

/** The days of a run of chunks (one byte range) as Flo INSERTs, no head or tail: one gzip member. */
async function writeSqlPart(ctx: PipelineContext, task: SqlTask, part: number, chunks: ChunkTask[]): Promise<FloSqlCounts> {
  const writer = new FloSqlWriter({ part: true });
  const [chunk, last] = [chunks[0], chunks[chunks.length - 1]];
  const { text } = renderDays(readObject(ctx.storage, chunk.data, { start: chunk.start, end: last.end }), (day) => {
    writer.addDay(day);
    return writer.drain();
  }, {
    fragment: { firstLine: chunk.firstLine, firstOffset: chunk.start, channel: chunk.channel },
    onIssue: (found) => {
      if (found.severity === 'error') throw new PermanentFailure(found.code, `Line ${found.line}: ${found.message}`);
    },
  });
  async function* sql(): AsyncGenerator<string> {
    yield* text;
    yield writer.finish();
  }
  const out = writeOutput(ctx.storage, { bucket: task.upload.bucket, name: sqlPartPathOf(task.statusId, part) }, 'tmp', 'application/gzip', task.statusId);
  await pipeline(Readable.from(sql()), createGzip({ level: 1 }), out);
  return writer.counts;
}

/** head + every part + tail, composed beside the upload; the path recorded in the ledger. */
async function composeFile(ctx: PipelineContext, task: SqlTask, written: SqlPartsWritten): Promise<void> {
  const started = Date.now();
  const { bucket } = task.upload;
  const save = async (name: string, text: string) => {
    const out = writeOutput(ctx.storage, { bucket, name }, 'tmp', 'application/gzip', task.statusId);
    await pipeline(Readable.from([gzipSync(text, { level: 1 })]), out);
  };
  await Promise.all([
    save(sqlPartPathOf(task.statusId, 'head'), floSqlHead(task.upload.name.split('/').pop())),
    save(sqlPartPathOf(task.statusId, 'tail'), floSqlTail(written)),
  ]);
  const parts = Array.from({ length: written.parts }, (_, part) => sqlPartPathOf(task.statusId, part));
  const path = floSqlPathOf(task.upload.name, task.statusId);
  await composeObjects(ctx.storage, bucket, [sqlPartPathOf(task.statusId, 'head'), ...parts, sqlPartPathOf(task.statusId, 'tail')], {
    name: path,
    kind: 'flo-sql',
    contentType: 'application/gzip',
    statusId: task.statusId,
    intermediate: (level, index) => sqlPartPathOf(task.statusId, `group-${level}-${index}`),
  });
  await sqlWritten(ctx, task, path);
  logs.sqlWritten({ statusId: task.statusId, path, parts: written.parts, ms: Date.now() - started });
}
