import { onObjectFinalized } from 'firebase-functions/v2/storage';
import { CHUNK_BYTES, functionOptions, MAX_DECOMPRESSED_GB, pool } from '../config';
import { orgAdmin } from '../firebase';
import { claimUpload, releaseClaim } from '../load/pipelineUploads';
import { logs } from '../logs';
import { getOrganisation } from '../orgs/organisations';
import { enqueueUploadTasks } from '../pipeline/enqueue';
import { admit, sourceKeyOf, uploadIdOf } from '../pipeline/objects';
import { splitUpload } from '../split/splitUpload';
import { loadingPatch, resumeUpload } from '../pipeline/resume';
import { uploadOfSource } from '../load/uploadLedger';
import { advanceStatus, createStatus, statusSummary } from '../status/uploadStatus';

/**
 * Every object finalized in the bucket: guards first (the organisation comes from the path and must
 * exist), then record the upload (PostgreSQL and its status document), split it and fan out one
 * task per chunk. A redelivered event is a no-op.
 */
// retry: a transient failure (database unreachable) throws, and the event is delivered again.
export const onUpload = onObjectFinalized({ memory: '1GiB', retry: true, ...functionOptions('onUpload') }, async (event) => {
  const object = {
    bucket: event.data.bucket,
    name: event.data.name,
    generation: String(event.data.generation),
    size: Number(event.data.size),
    metadata: event.data.metadata ?? null,
  };
  const admission = admit(object);
  if (!admission.accept) {
    logs.uploadSkipped({ name: object.name, reason: admission.reason });
    return;
  }
  const { org, uploader } = admission;
  if ((await getOrganisation(orgAdmin(), org)) === null) {
    logs.uploadSkipped({ name: object.name, reason: `no organisation ${org}` });
    return;
  }
  const uploadId = uploadIdOf(object);
  const fileName = object.name.split('/').pop()!;
  await createStatus(uploadId, { fileName, path: object.name, bucket: object.bucket, generation: object.generation, org, owner: uploader, bytes: object.size });
  const db = await pool('onUpload');
  const claimed = await claimUpload(db, { org, sourceKey: sourceKeyOf(object), statusId: uploadId, fileName, owner: uploader, bytes: object.size });
  if (claimed === null) {
    // A redelivered event: the upload is done, failed or being split, or it stopped after its split
    // (a lost status update, a failed enqueue): then it goes on from the ledger.
    const known = await uploadOfSource(db, org, sourceKeyOf(object));
    const enqueued = known === null ? null : await resumeUpload(db, known);
    logs.uploadAlreadyClaimed({ uploadId, name: object.name, resumedTasks: enqueued });
    return;
  }
  const { dbId } = claimed;
  logs.uploadClaimed({ uploadId, dbId, name: object.name, bytes: object.size });
  await advanceStatus(uploadId, 'splitting', { dbId });

  const started = Date.now();
  let split: Awaited<ReturnType<typeof splitUpload>>;
  try {
    split = await splitUpload(db, { uploadId, dbId, object, chunkBytes: CHUNK_BYTES.value(), maxDecompressedBytes: MAX_DECOMPRESSED_GB.value() * 1024 ** 3 });
  } catch (error) {
    await releaseClaim(db, dbId).catch(() => {});
    throw error;
  }
  const issues = {
    warnings: { count: split.issues.warningCount, items: split.issues.warnings },
    errors: { count: split.issues.errorCount, items: split.issues.errors },
  };
  if (!split.ok) {
    logs.uploadRejected({ uploadId, errors: split.issues.errorCount, firstCode: split.issues.errors[0]?.code });
    await advanceStatus(uploadId, 'failed', { ...issues, summary: statusSummary(split.summary) });
    return;
  }
  logs.uploadSplit({ uploadId, chunks: split.chunks.length, readings: split.summary.readings, warnings: split.issues.warningCount, compressed: split.compressed, ms: Date.now() - started });
  await advanceStatus(
    uploadId,
    'loading',
    loadingPatch({ chunks: split.chunks.length, readings: split.summary.readings, warnings: split.issues.warningCount, issues: split.issues, summary: split.summary }),
  );
  await enqueueUploadTasks(split.chunks, { uploadId, dbId, data: split.data, upload: object });
});
