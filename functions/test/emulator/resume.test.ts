import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueUploadTasks, sqlPartTasks } from '../../src/pipeline/enqueue';
import { sourceKeyOf } from '../../src/pipeline/objects';
import { claim, create, splitDocument, plainIssues } from '../../src/lifecycle';
import { splitRows } from '../../src/lifecycle/rows';
import { splitUpload } from '../../src/split/splitUpload';
import { cleanupOnce } from '../../src/tasks/cleanup';
import { day, HEADER, nem12 } from '../unit/helpers';
import { HELD_BUCKET, ctx, db, deliverTask, finalStatus, organisation, query, redeliverFinalize, statusOf, upload } from './harness';

// An upload that stops after its split (the status update or an enqueue failed; the event is then
// redelivered, or nothing more happens) must go on from the ledger and end with exactly its readings.
// The first half of the storage trigger runs here, in the test, against the same emulators and
// database, and stops where the fault would have stopped it; the real trigger and tasks do the rest.

afterAll(() => db.end());

const NMIS = 8;
const DAYS = 9;
/** Eight NMIs of nine days, all of value `value`; NMIs of their own per value (no revisions across tests). */
function fileOf(value: string): Buffer {
  const lines = [HEADER];
  for (let i = 1; i <= NMIS; i++) {
    const nmi = `NRESUME${value}0${i}`;
    lines.push(`200,${nmi},E1,1,E1,N1,M1,kWh,30,`);
    for (let d = 1; d <= DAYS; d++) lines.push(day(`2024050${d}`, Array(48).fill(value)));
  }
  lines.push('900');
  return Buffer.from(nem12(lines));
}
const EXPECTED = NMIS * DAYS * 48;

/**
 * Puts the file in a bucket no trigger watches, and runs the trigger's first half: claim, split
 * (its row and ledger, not its status document: that update is "lost").
 */
async function splitByHand(name: string, value: string) {
  // The output marker makes the trigger skip this delivery; it is taken off again below.
  const uploaded = await upload(fileOf(value), name, undefined, HELD_BUCKET);
  const object = { bucket: HELD_BUCKET, name, generation: uploaded.generation, size: fileOf(value).length };
  const [org, owner] = name.split('/').slice(1, 3);
  await create(ctx, uploaded.statusId, { fileName: name.split('/').pop()!, path: name, bucket: HELD_BUCKET, generation: object.generation, org, owner, bytes: object.size });
  const uploadId = await claim(ctx, { org, sourceKey: sourceKeyOf(object), statusId: uploaded.statusId, fileName: name, owner, bytes: object.size });
  expect(uploadId).not.toBeNull();
  const split = await splitUpload(ctx, { statusId: uploaded.statusId, uploadId: uploadId!, object, chunkBytes: 4096, sqlPartChunks: 2, maxDecompressedBytes: 1 << 30 });
  expect(split.ok).toBe(true);
  if (!split.ok) throw new Error('split failed');
  expect(split.chunks.length).toBeGreaterThan(2);
  const found = { chunks: split.chunks, sqlPartChunks: 2, dataObject: split.dataObject, readings: split.summary.readings, warnings: 0, issues: plainIssues(split.issues), summary: split.summary };
  expect(await splitRows(ctx.db, uploadId!, found)).toBe(true);
  return { ...uploaded, uploadId: uploadId!, split, object };
}

const readingsOf = async (uploadId: number) =>
  (await query<{ n: string; total: string | null }>('SELECT count(*) AS n, sum(value)::text AS total FROM readings WHERE upload_id = $1', [uploadId]))[0];

describe.sequential('an upload that stopped after its split goes on', () => {
  beforeAll(() => organisation('e2e'));

  it('the status update after the split failed: the redelivered event resumes it from the ledger', async () => {
    const held = await splitByHand('uploads/e2e/carol/lost-status.csv', '1');
    expect((await statusOf(held.statusId))?.status).toBe('splitting');
    await redeliverFinalize(held.name, HELD_BUCKET);
    const status = await finalStatus(held.statusId);
    expect(status).toMatchObject({ status: 'done', readings: { total: EXPECTED, new: EXPECTED }, chunks: { total: held.split.chunks.length, done: held.split.chunks.length } });
    expect(status.summary?.channelCount).toBe(NMIS);
    expect(await readingsOf(held.uploadId)).toEqual({ n: String(EXPECTED), total: String(EXPECTED) });
  });

  it('the enqueue of one chunk failed: the others load, the redelivered event enqueues the missing one', async () => {
    const held = await splitByHand('uploads/e2e/carol/lost-chunk.csv', '2');
    const { split } = held;
    await splitDocument(ctx, held.statusId, { chunks: split.chunks.length, readings: split.summary.readings, warnings: 0, issues: split.issues, summary: split.summary });
    await enqueueUploadTasks(ctx.queues, split.chunks.slice(1), sqlPartTasks({ statusId: held.statusId, uploadId: held.uploadId, upload: held.object }, Array.from({ length: split.sqlParts }, (_, part) => part)));
    // Every chunk but the first gets staged; the upload then waits for it.
    let staged = 0;
    for (let waited = 0; waited < 60_000 && staged < split.chunks.length - 1; waited += 250) {
      await new Promise((done) => setTimeout(done, 250));
      staged = Number((await query<{ staged: string }>('SELECT count(staged_at) AS staged FROM upload_chunks WHERE upload_id = $1', [held.uploadId]))[0].staged);
    }
    // The precondition holds, or the test stops here: every chunk but the first staged, not more.
    expect(staged).toBe(split.chunks.length - 1);
    expect((await statusOf(held.statusId))?.status).toBe('loading');
    await redeliverFinalize(held.name, HELD_BUCKET);
    const status = await finalStatus(held.statusId);
    expect(status).toMatchObject({ status: 'done', readings: { total: EXPECTED, new: EXPECTED } });
    expect(await readingsOf(held.uploadId)).toEqual({ n: String(EXPECTED), total: String(2 * EXPECTED) });
  });

  it('no event comes again: the hourly cleanup re-drives it before it would fail it', async () => {
    const held = await splitByHand('uploads/e2e/carol/no-redelivery.csv', '3');
    await query(`UPDATE uploads SET started_at = now() - interval '45 minutes' WHERE id = $1`, [held.uploadId]);
    const result = await cleanupOnce(ctx, HELD_BUCKET, { stalledAfterMinutes: 360, redriveAfterMinutes: 30, tmpAfterMinutes: 60 });
    expect(result).toMatchObject({ redriven: 1, stalled: 0 });
    const status = await finalStatus(held.statusId);
    expect(status.status).toBe('done');
    expect(await readingsOf(held.uploadId)).toEqual({ n: String(EXPECTED), total: String(3 * EXPECTED) });
  });

  it('a chunk task delivered twice at the same time stages once', async () => {
    const held = await splitByHand('uploads/e2e/carol/twice.csv', '4');
    const [{ task }] = await query<{ task: Record<string, unknown> }>('SELECT task FROM upload_chunks WHERE upload_id = $1 AND chunk = 0', [held.uploadId]);
    const codes = await Promise.all([deliverTask('processChunk', task), deliverTask('processChunk', task)]);
    expect(codes.every((code) => code < 300)).toBe(true);
    const [{ staged, readings }] = await query<{ staged: string; readings: string }>(
      'SELECT count(staged_at) AS staged, sum(readings) AS readings FROM upload_chunks WHERE upload_id = $1 AND chunk = 0',
      [held.uploadId],
    );
    expect(Number(staged)).toBe(1);
    const [{ rows }] = await query<{ rows: string }>(`SELECT sum(readings) AS rows FROM nem12_staging.rows_${held.uploadId}`);
    expect(rows).toBe(readings);
    // And the rest of it, resumed, ends with every reading once.
    await redeliverFinalize(held.name, HELD_BUCKET);
    expect((await finalStatus(held.statusId)).status).toBe('done');
    expect(await readingsOf(held.uploadId)).toEqual({ n: String(EXPECTED), total: String(4 * EXPECTED) });
  });
});
