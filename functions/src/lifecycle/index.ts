import type { Firestore } from 'firebase-admin/firestore';
import type { Pool } from 'pg';
import { dropStaging, type PublishResult } from '../load/pipelineUploads';
import { readyToPublish, uploadProgress } from '../load/uploadLedger';
import type { FileSummary, Nem12Issue } from 'nem12';
import { statusSummary, type UploadStatus } from '../status/uploadStatus';
import { advanceDocument, createDocument, progressDocument } from './documents';
import * as rows from './rows';

/**
 * The upload lifecycle: the one module that moves an upload's state (lifecycle/transitions.ts is
 * the table). Each transition applies its guarded SQL (rows.ts) and then moves the status document
 * (documents.ts), its projection: PostgreSQL first, always, so a document never says more than
 * the database holds. Every transition is safe to repeat; done and failed never move.
 */
export { TRANSITIONS, type Transition } from './transitions';
export type { CompletedUpload } from './rows';
export { beginRow as begin, loadedRow as loaded } from './rows';

/** What the lifecycle works with: the function's pool and Firestore (a handler's PipelineContext has them). */
export interface LifecycleContext {
  db: Pool;
  firestore: Firestore;
}

/** An upload by its two ids: the status document's and the row's. */
export interface UploadIds {
  statusId: string;
  uploadId: number;
}

type Issues = { warningCount: number; errorCount: number; warnings: Nem12Issue[]; errors: Nem12Issue[]; warningCodes: Record<string, number>; errorCodes: Record<string, number> };

/** create: a finalized object is recorded (its document, pending). */
export async function create(ctx: LifecycleContext, statusId: string, fields: Pick<UploadStatus, 'fileName' | 'path' | 'bucket' | 'generation' | 'org' | 'owner' | 'bytes'>): Promise<void> {
  await createDocument(ctx.firestore, statusId, fields);
}

/** claim: the delivery is this function's to split (null: another delivery has it, or it went further). */
export async function claim(ctx: LifecycleContext, upload: Parameters<typeof rows.claimRow>[1]): Promise<number | null> {
  const uploadId = await rows.claimRow(ctx.db, upload);
  if (uploadId !== null) await advanceDocument(ctx.firestore, upload.statusId, 'claim', { uploadId });
  return uploadId;
}

/** release: the split failed on something transient; the retried event takes the claim again. */
export async function release(ctx: LifecycleContext, upload: UploadIds): Promise<void> {
  if (await rows.releaseRow(ctx.db, upload.uploadId)) await advanceDocument(ctx.firestore, upload.statusId, 'release');
}

/** reject: the split found errors: the file, its issues and summary; nothing of it staged is kept. */
export async function reject(ctx: LifecycleContext, upload: UploadIds, found: { issues: Issues; summary: FileSummary }): Promise<void> {
  const { issues } = found;
  if (!(await rows.failRow(ctx.db, upload.uploadId, 'reject', { errors: issues.errorCount, warnings: issues.warningCount, issues: plainIssues(issues) }))) return;
  await dropStaging(ctx.db, upload.uploadId);
  await advanceDocument(ctx.firestore, upload.statusId, 'reject', {
    warnings: { count: issues.warningCount, items: issues.warnings.map(plainIssue), byCode: issues.warningCodes },
    errors: { count: issues.errorCount, items: issues.errors.map(plainIssue), byCode: issues.errorCodes },
    summary: statusSummary(found.summary),
  });
}

export interface SplitFound {
  chunks: { chunk: number }[];
  sqlPartChunks: number;
  dataObject: string;
  issues: Issues;
  summary: FileSummary;
}

/** split: the file is validated and cut into chunks: the ledger and the row in one transaction, then the document. */
export async function split(ctx: LifecycleContext, upload: UploadIds, found: SplitFound): Promise<void> {
  const moved = await rows.splitRows(ctx.db, upload.uploadId, {
    chunks: found.chunks,
    sqlPartChunks: found.sqlPartChunks,
    dataObject: found.dataObject,
    readings: found.summary.readings,
    warnings: found.issues.warningCount,
    issues: plainIssues(found.issues),
    summary: found.summary,
  });
  if (moved) await splitDocument(ctx, upload.statusId, { chunks: found.chunks.length, readings: found.summary.readings, warnings: found.issues.warningCount, issues: found.issues, summary: found.summary });
}

/** The document of an upload that is loading (its row moved): after the split, and again by a resume (its update may have been lost). */
export async function splitDocument(
  ctx: LifecycleContext,
  statusId: string,
  found: { chunks: number; readings: number; warnings: number; issues: { warnings: Nem12Issue[]; warningCodes?: Record<string, number> }; summary: FileSummary },
  transition: 'split' | 'resume' = 'split',
): Promise<void> {
  await advanceDocument(ctx.firestore, statusId, transition, {
    // byCode: uploads split before it was kept have none (a resume re-applies what the ledger holds).
    warnings: { count: found.warnings, items: found.issues.warnings.map(plainIssue), ...(found.issues.warningCodes ? { byCode: found.issues.warningCodes } : {}) },
    errors: { count: 0, items: [] },
    summary: statusSummary(found.summary),
    'chunks.total': found.chunks,
    'readings.total': found.readings,
  });
}

/** Stage progress, from the ledger (absolute: retry-safe). True when every chunk is in (then publish). */
export async function progress(ctx: LifecycleContext, upload: UploadIds): Promise<boolean> {
  const ledger = await uploadProgress(ctx.db, upload.uploadId);
  if (ledger === null || ledger.status !== 'loading') return ledger?.status === 'publishing' && !ledger.published;
  await progressDocument(ctx.firestore, upload.statusId, { chunksDone: ledger.chunksStaged, readingsLoaded: ledger.readingsStaged });
  return readyToPublish(ledger);
}

/**
 * publish: every chunk is staged. The row and the document say publishing, then one transaction
 * makes the readings visible (the same plan and merge as `nem12 load`) and marks them published.
 * Null when there was nothing to do (published already, or not publishing).
 */
export async function publish(ctx: LifecycleContext, upload: UploadIds): Promise<PublishResult | null> {
  if (await rows.publishRow(ctx.db, upload.uploadId)) await advanceDocument(ctx.firestore, upload.statusId, 'publish');
  return rows.publishReadings(ctx.db, upload.uploadId);
}

/** The Flo SQL file is in (a part task composed it). */
export async function sqlWritten(ctx: LifecycleContext, upload: UploadIds, path: string): Promise<void> {
  await rows.sqlWrittenRow(ctx.db, upload.uploadId, path);
}

/** The Flo SQL file cannot be written: the upload completes without it, saying why. */
export async function sqlGivenUp(ctx: LifecycleContext, upload: UploadIds, message: string): Promise<void> {
  await rows.sqlGivenUpRow(ctx.db, upload.uploadId, message);
}

/**
 * complete: the readings are published and the SQL file settled (both tasks end here, in either
 * order). `cleanup` (the upload's temporary objects) runs between the row and the document.
 */
export async function complete(ctx: LifecycleContext, upload: UploadIds, cleanup: () => Promise<void>): Promise<boolean> {
  const done = await rows.completeRow(ctx.db, upload.uploadId);
  if (done === null) return false;
  await cleanup();
  await advanceDocument(ctx.firestore, upload.statusId, 'complete', {
    'readings.new': done.new,
    'readings.updated': done.updated,
    'readings.unchanged': done.unchanged,
    sqlPath: done.sqlPath,
    ...(done.sqlError ? { sqlError: done.sqlError } : {}),
  });
  return true;
}

/** fail: for one reason (staging dropped: nothing published). One already published cannot fail (it only lacks its SQL file). */
export async function fail(ctx: LifecycleContext, upload: UploadIds, reason: { code: string; line: number; message: string }): Promise<boolean> {
  const moved = await rows.failRow(ctx.db, upload.uploadId, 'fail', { errors: 1, warnings: 0, issues: { errors: [reason], warnings: [] } });
  if (!moved) return false;
  await dropStaging(ctx.db, upload.uploadId);
  await advanceDocument(ctx.firestore, upload.statusId, 'fail', { errors: { count: 1, items: [reason], byCode: { [reason.code]: 1 } } });
  return true;
}

/** A document whose row is gone or never was (an object refused before it was claimed): failed, with the reason. */
export async function failDocument(ctx: LifecycleContext, statusId: string, reason: { code: string; line: number; message: string }): Promise<boolean> {
  return advanceDocument(ctx.firestore, statusId, 'fail', { errors: { count: 1, items: [reason], byCode: { [reason.code]: 1 } } });
}

export function plainIssues(issues: Issues) {
  return { warnings: issues.warnings.map(plainIssue), errors: issues.errors.map(plainIssue), warningCodes: issues.warningCodes, errorCodes: issues.errorCodes };
}

function plainIssue(issue: Nem12Issue) {
  return { code: issue.code, line: issue.line, message: issue.message };
}
