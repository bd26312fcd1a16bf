import { onObjectFinalized } from 'firebase-functions/v2/storage';
import { CHUNK_BYTES, functionOptions, MAX_DECOMPRESSED_GB, SQL_PART_CHUNKS } from '../config';
import { contextOf, type PipelineContext } from '../pipeline/context';
import { claim, create, fail, reject, release, split } from '../lifecycle';
import { logs } from '../logs';
import { getOrganisation, uploaderRefusal } from '../orgs/organisations';
import { enqueueUploadTasks, sqlPartTasks } from '../pipeline/enqueue';
import { admit, sourceKeyOf, statusIdOf } from '../pipeline/objects';
import { splitUpload } from '../split/splitUpload';
import { resumeUpload } from '../pipeline/resume';
import { uploadOfSource } from '../load/uploadLedger';

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
  // Objects the pipeline does not load (its own outputs, parts, folders) never open the database.
  if (admitted(object) === null) return;
  await handleUpload(await contextOf('onUpload'), object);
});

type FinalizedObject = Parameters<typeof admit>[0] & { generation: string; size: number };

/** The path's organisation and uploader, or null (logged) for an object the pipeline does not load. */
function admitted(object: FinalizedObject): { org: string; uploader: string } | null {
  const admission = admit(object);
  if (admission.accept) return admission;
  logs.uploadSkipped({ name: object.name, reason: admission.reason });
  return null;
}

/** The trigger's work for one finalized object version (its size and metadata as Storage reports them). */
export async function handleUpload(ctx: PipelineContext, object: FinalizedObject): Promise<void> {
  const admission = admitted(object);
  if (admission === null) return;
  const { org, uploader } = admission;
  const { db } = ctx;
  if ((await getOrganisation(ctx, org)) === null) {
    logs.uploadSkipped({ name: object.name, reason: `no organisation ${org}` });
    return;
  }
  const statusId = statusIdOf(object);
  const fileName = object.name.split('/').pop()!;
  await create(ctx, statusId, { fileName, path: object.name, bucket: object.bucket, generation: object.generation, org, owner: uploader, bytes: object.size });
  const uploadId = await claim(ctx, { org, sourceKey: sourceKeyOf(object), statusId: statusId, fileName, owner: uploader, bytes: object.size });
  // Membership is checked where data enters, from Auth now: a member removed since they were given a
  // token can still write (their token's claims last up to an hour) but gets nothing loaded.
  const refusal = uploadId === null ? null : await uploaderRefusal(ctx, org, uploader);
  if (uploadId !== null && refusal !== null) {
    logs.uploadRefused({ statusId, name: object.name, reason: refusal });
    await fail(ctx, { statusId, uploadId }, { code: 'NOT_A_MEMBER', line: 0, message: `Not loaded: ${refusal} (checked when the file was processed).` });
    return;
  }
  if (uploadId === null) {
    // A redelivered event: the upload is done, failed or being split, or it stopped after its split
    // (a lost status update, a failed enqueue): then it goes on from the ledger.
    const known = await uploadOfSource(db, org, sourceKeyOf(object));
    const enqueued = known === null ? null : await resumeUpload(ctx, known);
    logs.uploadAlreadyClaimed({ statusId, name: object.name, resumedTasks: enqueued });
    return;
  }
  logs.uploadClaimed({ statusId, uploadId, name: object.name, bytes: object.size });

  const started = Date.now();
  const ids = { statusId, uploadId };
  const sqlPartChunks = SQL_PART_CHUNKS.value();
  let found: Awaited<ReturnType<typeof splitUpload>>;
  try {
    found = await splitUpload(ctx, { statusId, uploadId, object, chunkBytes: CHUNK_BYTES.value(), sqlPartChunks, maxDecompressedBytes: MAX_DECOMPRESSED_GB.value() * 1024 ** 3 });
    if (!found.ok) {
      logs.uploadRejected({ statusId, errors: found.issues.errorCount, firstCode: found.issues.errors[0]?.code });
      await reject(ctx, ids, found);
      return;
    }
    await split(ctx, ids, { chunks: found.chunks, sqlPartChunks, dataObject: found.dataObject, issues: found.issues, summary: found.summary });
  } catch (error) {
    // Transient (the database, Storage): the claim goes back and the event is delivered again.
    await release(ctx, ids).catch(() => {});
    throw error;
  }
  logs.uploadSplit({ statusId, chunks: found.chunks.length, readings: found.summary.readings, warnings: found.issues.warningCount, compressed: found.compressed, ms: Date.now() - started });
  await enqueueUploadTasks(ctx.queues, found.chunks, sqlPartTasks({ statusId, uploadId, upload: object }, Array.from({ length: found.sqlParts }, (_, part) => part)));
}
