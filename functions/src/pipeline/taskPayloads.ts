import { z } from 'zod';

/** Task payloads carry references (object version, byte range, context), never the data. */
const objectRef = z.object({ bucket: z.string().min(1), name: z.string().min(1), generation: z.string().regex(/^\d+$/) });
const upload = { statusId: z.string().regex(/^[0-9a-f]{32}$/), uploadId: z.number().int().positive() };

const channel = z
  .object({
    type: z.literal('channel'),
    line: z.number().int(),
    offset: z.number().int(),
    nmi: z.string(),
    nmiConfiguration: z.string(),
    registerId: z.string(),
    suffix: z.string(),
    mdmDataStreamId: z.string(),
    meterSerialNumber: z.string(),
    uom: z.string(),
    kwhFactor: z.enum(['1000', '1', '0.001']).nullable(),
    intervalLength: z.number().int().positive(),
    intervalCount: z.number().int().positive(),
    nextScheduledReadDate: z.string().nullable(),
  })
  .nullable();

/**
 * Tasks queued before the ids were renamed (migration 0007) said `uploadId` for the status id and
 * `dbId` for the row id: read in the new names, so a deploy does not fail them as malformed.
 */
function earlierIds(input: unknown): unknown {
  if (typeof input !== 'object' || input === null || !('dbId' in input)) return input;
  const { uploadId, dbId, ...rest } = input as Record<string, unknown>;
  return { ...rest, statusId: uploadId, uploadId: dbId };
}

export const chunkTask = z.preprocess(earlierIds, z.object({
  ...upload,
  chunk: z.number().int().nonnegative(),
  data: objectRef,
  start: z.number().int().nonnegative(),
  end: z.number().int().positive(),
  firstLine: z.number().int().positive(),
  channel,
}));

/**
 * One part of the Flo SQL file: the part of chunk `part` (its range is in the ledger). A task
 * without `part` (queued before parts, for the whole file) is planned into parts by its handler.
 */
export const sqlTask = z.preprocess(earlierIds, z.object({ ...upload, upload: objectRef, part: z.number().int().nonnegative().optional() }));
export const publishTask = z.preprocess(earlierIds, z.object({ ...upload, bucket: z.string().min(1) }));

export type ChunkTask = z.infer<typeof chunkTask>;
export type SqlTask = z.infer<typeof sqlTask>;
export type PublishTask = z.infer<typeof publishTask>;
