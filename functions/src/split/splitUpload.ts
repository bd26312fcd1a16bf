import { withClient } from '../load/database';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { validatedDayRow } from '../load/copyRows';
import { createStaging, stageDays } from '../load/pipelineUploads';
import { IssueLog, SummaryBuilder, type FileSummary } from 'nem12';
import { LISTED_CHANNELS } from '../status/uploadStatus';
import { ChunkPlanner } from '../pipeline/chunkPlanner';
import type { PipelineContext } from '../pipeline/context';
import { tmpDataPathOf } from '../pipeline/objects';
import { generationOf, readObject, writeOutput, type ObjectRef } from '../pipeline/storageObjects';
import type { ChunkTask } from '../pipeline/taskPayloads';
import { decompress, expansionOf } from '../source/decompress';
import { issueOf } from '../source/inspect';
import { renderDays } from '../source/parseStream';

export type SplitResult =
  | { ok: true; chunks: ChunkTask[]; sqlParts: number; data: ObjectRef; dataObject: string; compressed: boolean; summary: FileSummary; issues: IssueLog }
  | { ok: false; issues: IssueLog; summary: FileSummary };

/**
 * Reads the uploaded object once: decompresses it if need be (keeping a decompressed copy under tmp/
 * for the chunk tasks), validates the whole file, stages its days (with fingerprints), and cuts it
 * into chunks at record boundaries. A file with any error is rejected here, before anything loads.
 * What it found is for the lifecycle to record (reject or split): it writes no state itself.
 */
export async function splitUpload(
  ctx: PipelineContext,
  upload: { statusId: string; uploadId: number; object: ObjectRef & { size: number }; chunkBytes: number; sqlPartChunks: number; maxDecompressedBytes: number },
): Promise<SplitResult> {
  const { db: pool, storage } = ctx;
  const { statusId, uploadId, object } = upload;
  const issues = new IssueLog();
  const summary = new SummaryBuilder({ listed: LISTED_CHANNELS });
  const planner = new ChunkPlanner(upload.chunkBytes);
  const tmp = { bucket: object.bucket, name: tmpDataPathOf(statusId) };
  let compressed = false;
  let size = 0;

  // Decompressed bytes go to the parser and, for a zip or gzip upload, to the tmp copy too. The
  // expansion is bounded by the object's real size (from Storage, not from the archive's headers).
  const limit = expansionOf(object.size, upload.maxDecompressedBytes);
  async function* data(): AsyncGenerator<Uint8Array> {
    let copy: ReturnType<typeof writeOutput> | null = null;
    try {
      for await (const chunk of decompress(readObject(storage, object), { onDetect: (kind) => (compressed = kind !== 'none'), limit })) {
        if (compressed && copy === null) copy = writeOutput(storage, tmp, 'tmp', 'text/csv', statusId);
        size += chunk.length;
        if (copy !== null && !copy.write(chunk)) await once(copy, 'drain');
        yield chunk;
      }
    } catch (error) {
      // A refused or broken archive leaves no half copy behind (a single-request upload is never finalized).
      copy?.destroy();
      throw error;
    }
    if (copy !== null) {
      copy.end();
      await finished(copy);
    }
  }

  await createStaging(pool, uploadId);
  const { text } = renderDays(data(), validatedDayRow, {
    onIssue: issues.add,
    onEvent: (event) => {
      planner.onEvent(event);
      if (event.type === 'day') summary.addDay(event);
    },
  });
  await withClient(pool, (client) => stageDays(client, uploadId, text)).catch((error: unknown) => {
    issues.add(issueOf(error)); // an unreadable archive is the file's fault; anything else is rethrown
  });

  const fileSummary = summary.result();
  if (!issues.ok) return { ok: false, issues, summary: fileSummary };
  const dataRef: ObjectRef = compressed ? { ...tmp, generation: await generationOf(storage, tmp) } : object;
  const chunks = planner.finish(size).map((plan) => ({
    statusId,
    uploadId,
    chunk: plan.chunk,
    data: dataRef,
    start: plan.start,
    end: plan.end,
    firstLine: plan.firstLine,
    channel: plan.channel,
  }));
  const dataObject = `gs://${dataRef.bucket}/${dataRef.name}#${dataRef.generation}`;
  return { ok: true, chunks, sqlParts: Math.ceil(chunks.length / upload.sqlPartChunks), data: dataRef, dataObject, compressed, summary: fileSummary, issues };
}
