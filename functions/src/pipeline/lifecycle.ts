import { claimUpload, completeUpload, markFailed, type ClaimedUpload } from '../load/pipelineUploads';
import type { FileSummary, Nem12Issue } from '../nem12';
import { advanceStatus, statusSummary } from '../status/uploadStatus';
import type { PipelineContext } from './context';
import { tmpPrefixOf } from './objects';
import { deletePrefix } from './storageObjects';

/**
 * The upload lifecycle, one function per transition (the table is TRANSITIONS, statusDocument.ts):
 *
 *   pending -claim-> splitting -split-> loading -publish-> publishing -complete-> done
 *                        \-reject-> failed        any unfinished state -fail-> failed
 *
 * PostgreSQL is the truth: each transition applies its guarded update there (pipelineUploads.ts)
 * and then moves the status document, its projection. Where the update is part of a larger
 * transaction (the split's markSplit and markFailed, the publish), that transaction has committed
 * before the transition is called. Every transition is safe to repeat. Each takes the handler's
 * context (its pool, Firestore and Storage): no globals.
 */

/** An upload as the lifecycle knows it: its status document id and its row id. */
export interface UploadKey {
  statusId: string;
  uploadId: number;
}
/** ...and the bucket its objects are in. */
export type UploadRef = UploadKey & { bucket: string };

/** claim: the delivery is this function's to split (null: another delivery has it, or it went further). */
export async function claim(ctx: PipelineContext, upload: Parameters<typeof claimUpload>[1]): Promise<ClaimedUpload | null> {
  const claimed = await claimUpload(ctx.db, upload);
  if (claimed !== null) await advanceStatus(ctx.firestore, upload.statusId, 'claim', { uploadId: claimed.uploadId });
  return claimed;
}

/** reject: the split found errors (markFailed committed): the file, its issues and summary. */
export async function reject(
  ctx: PipelineContext,
  statusId: string,
  found: { issues: { warningCount: number; errorCount: number; warnings: Nem12Issue[]; errors: Nem12Issue[]; warningCodes: Record<string, number>; errorCodes: Record<string, number> }; summary: FileSummary },
) {
  await advanceStatus(ctx.firestore, statusId, 'reject', {
    warnings: { count: found.issues.warningCount, items: found.issues.warnings.map(plainIssue), byCode: found.issues.warningCodes },
    errors: { count: found.issues.errorCount, items: found.issues.errors.map(plainIssue), byCode: found.issues.errorCodes },
    summary: statusSummary(found.summary),
  });
}

/** split: the file is validated and cut into chunks (markSplit committed); re-applied by a resume. */
export async function split(
  ctx: PipelineContext,
  statusId: string,
  found: { chunks: number; readings: number; warnings: number; issues: { warnings: Nem12Issue[]; warningCodes?: Record<string, number> }; summary: FileSummary },
) {
  await advanceStatus(ctx.firestore, statusId, 'split', {
    // byCode: uploads split before it was kept have none (a resume re-applies what the ledger holds).
    warnings: { count: found.warnings, items: found.issues.warnings.map(plainIssue), ...(found.issues.warningCodes ? { byCode: found.issues.warningCodes } : {}) },
    errors: { count: 0, items: [] },
    summary: statusSummary(found.summary),
    'chunks.total': found.chunks,
    'readings.total': found.readings,
  });
}

/** publish: every chunk is staged; the readings are being made visible. */
export async function publish(ctx: PipelineContext, statusId: string): Promise<void> {
  await advanceStatus(ctx.firestore, statusId, 'publish');
}

/**
 * complete: the readings are published and the SQL file is in (both tasks end here, in either
 * order). Temporary objects go first, then the status says done.
 */
export async function complete(ctx: PipelineContext, upload: UploadRef): Promise<void> {
  const done = await completeUpload(ctx.db, upload.uploadId);
  if (done === null) return;
  await deletePrefix(ctx.storage, upload.bucket, tmpPrefixOf(upload.statusId));
  await advanceStatus(ctx.firestore, upload.statusId, 'complete', {
    'readings.new': done.new,
    'readings.updated': done.updated,
    'readings.unchanged': done.unchanged,
    sqlPath: done.sqlPath,
    ...(done.sqlError ? { sqlError: done.sqlError } : {}),
  });
}

/**
 * fail: for one reason (status failed, staging dropped: nothing published). One already published
 * cannot fail any more (it only lacks its SQL file): nothing changes.
 */
export async function fail(ctx: PipelineContext, upload: UploadKey, reason: { code: string; line: number; message: string }): Promise<void> {
  if (await markFailed(ctx.db, upload.uploadId, { errors: 1, warnings: 0, issues: { errors: [reason], warnings: [] } })) {
    await advanceStatus(ctx.firestore, upload.statusId, 'fail', { errors: { count: 1, items: [reason], byCode: { [reason.code]: 1 } } });
  }
}

function plainIssue(issue: Nem12Issue) {
  return { code: issue.code, line: issue.line, message: issue.message };
}
