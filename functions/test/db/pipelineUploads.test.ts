import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { validatedDayRow } from '../../src/load/copyRows';
import { claimRow, completeRow, failRow, publishReadings, publishRow, releaseRow, splitRows, sqlWrittenRow } from '../../src/lifecycle/rows';
import { createStaging, stageChunk, stageDays, stagingTables } from '../../src/load/pipelineUploads';
import { readyToPublish, uploadProgress } from '../../src/load/uploadLedger';
import { ChunkPlanner } from '../../src/pipeline/chunkPlanner';
import { chunkRows } from '../../src/pipeline/chunkRows';
import type { ChunkTask } from '../../src/pipeline/taskPayloads';
import { renderDays } from '../../src/source/parseStream';
import { corpusFile } from '../unit/helpers';
import { freshDatabase, type TestDatabase } from './testDatabase';

// The pipeline's database steps (the lifecycle's rows and the staging), driven the way the functions
// drive them, against a real PostgreSQL.
let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(() => db.drop());
beforeEach(async () => {
  await db.query('TRUNCATE days, channels, uploads, upload_chunks RESTART IDENTITY CASCADE');
});

const FILE = corpusFile('nem-reader/unzipped/Example_NEM12_month_solar.csv');
const count = async (sql: string) => Number((await db.query<{ n: string }>(sql))[0].n);
let key = 0;

/** Claim, stage days and plan chunks like the split does; returns the chunk tasks. */
async function split(bytes: Buffer, chunkBytes: number): Promise<{ uploadId: number; tasks: ChunkTask[] }> {
  const uploadId = (await claimRow(db.pool, { org: 'acme', sourceKey: `gs://b/uploads/acme/u/f.csv#${++key}`, statusId: `${key}`.padStart(32, '0'), fileName: 'f.csv', owner: 'u', bytes: bytes.length }))!;
  await createStaging(db.pool, uploadId);
  const planner = new ChunkPlanner(chunkBytes);
  const { text } = renderDays([bytes], validatedDayRow, { onEvent: planner.onEvent });
  const client = await db.pool.connect();
  await stageDays(client, uploadId, text).finally(() => client.release());
  const data = { bucket: 'b', name: 'uploads/u/f.csv', generation: String(key) };
  const tasks = planner.finish(bytes.length).map((plan) => ({ statusId: 'a'.repeat(32), uploadId, data, ...plan }));
  expect(await splitRows(db.pool, uploadId, { sqlPartChunks: 8, chunks: tasks, dataObject: 'gs://b/f', readings: 17_856, warnings: 0, issues: {}, summary: {} })).toBe(true);
  return { uploadId, tasks };
}

const stage = (task: ChunkTask, bytes = FILE) =>
  stageChunk(db.pool, task.uploadId, task.chunk, (ids) => chunkRows([bytes.subarray(task.start, task.end)], task, ids));

describe('pipeline uploads in PostgreSQL', () => {
  it('a redelivered event cannot claim an upload twice; a released claim can be taken again', async () => {
    const upload = { org: 'acme', sourceKey: 'gs://b/uploads/acme/u/x.csv#1', statusId: 'x'.repeat(32), fileName: 'x.csv', owner: 'u', bytes: 10 };
    const first = await claimRow(db.pool, upload);
    expect(first).toBeGreaterThan(0);
    expect(await claimRow(db.pool, upload)).toBeNull();
    expect(await releaseRow(db.pool, first!)).toBe(true);
    expect(await claimRow(db.pool, upload)).toBe(first);
    expect(await count('SELECT count(*) AS n FROM uploads')).toBe(1);
  });

  it('chunks stage once, readings stay invisible until the publish, then appear all at once', async () => {
    const { uploadId, tasks } = await split(FILE, 8 * 1024);
    expect(tasks.length).toBeGreaterThan(4);
    for (const task of tasks) expect(await stage(task)).toMatchObject({ staged: true });
    expect(await count(`SELECT sum(readings) AS n FROM ${stagingTables(uploadId).rows}`)).toBe(17_856);
    expect(await count('SELECT count(*) AS n FROM readings')).toBe(0);

    expect(await stage(tasks[1])).toEqual({ staged: false, reason: 'already staged' });
    expect(await count(`SELECT sum(readings) AS n FROM ${stagingTables(uploadId).rows}`)).toBe(17_856);

    const progress = await uploadProgress(db.pool, uploadId);
    expect(progress).toMatchObject({ status: 'loading', chunks: tasks.length, chunksStaged: tasks.length, readingsStaged: 17_856, published: false, sqlSettled: false });
    expect(readyToPublish(progress)).toBe(true);

    expect(await publishRow(db.pool, uploadId)).toBe(true);
    const published = await publishReadings(db.pool, uploadId);
    expect(published).toMatchObject({ new: 17_856, updated: 0, unchanged: 0 });
    expect(await count('SELECT count(*) AS n FROM readings')).toBe(17_856);
    expect(await count(`SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'nem12_staging'`)).toBe(0);
    // A retried publish changes nothing; a retried chunk stages nothing.
    expect(await publishRow(db.pool, uploadId)).toBe(false);
    expect(await publishReadings(db.pool, uploadId)).toBeNull();
    expect(await stage(tasks[0])).toEqual({ staged: false, reason: 'upload not loading' });
    expect(await count('SELECT count(*) AS n FROM readings')).toBe(17_856);

    // Done only once the SQL file is in too, whichever comes last.
    expect(await completeRow(db.pool, uploadId)).toBeNull();
    await sqlWrittenRow(db.pool, uploadId, 'uploads/u/f.csv.x.flo.sql.gz');
    expect(await completeRow(db.pool, uploadId)).toEqual({ readings: 17_856, new: 17_856, updated: 0, unchanged: 0, sqlPath: 'uploads/u/f.csv.x.flo.sql.gz', sqlError: null });
    expect(await completeRow(db.pool, uploadId)).toMatchObject({ new: 17_856 });
  });

  it('two deliveries of one chunk at the same time stage it once', async () => {
    const { uploadId, tasks } = await split(FILE, 16 * 1024);
    const results = await Promise.all([stage(tasks[0]), stage(tasks[0]), stage(tasks[0])]);
    expect(results.filter((r) => r.staged)).toHaveLength(1);
    const [chunk] = await db.query<{ readings: string }>('SELECT readings FROM upload_chunks WHERE upload_id = $1 AND chunk = 0', [uploadId]);
    expect(await count(`SELECT sum(readings) AS n FROM ${stagingTables(uploadId).rows}`)).toBe(Number(chunk.readings));
  });

  it('the same file through the pipeline and through nem12 load gives the same rows', async () => {
    const { uploadId, tasks } = await split(FILE, 4 * 1024);
    for (const task of tasks) await stage(task);
    await publishRow(db.pool, uploadId);
    await publishReadings(db.pool, uploadId);
    const viaPipeline = await db.query('SELECT channel_id, interval_end, value, uom, kwh, quality, method, reason_code, updated_at, line FROM readings ORDER BY 1, 2');

    await db.query('TRUNCATE days, channels, uploads, upload_chunks RESTART IDENTITY CASCADE');
    const { loadFile } = await import('../../src/ingest/loadFile');
    await loadFile(db.pool, { org: 'acme', open: () => [FILE], fileName: 'f.csv' });
    const viaCli = await db.query('SELECT channel_id, interval_end, value, uom, kwh, quality, method, reason_code, updated_at, line FROM readings ORDER BY 1, 2');
    expect(viaPipeline).toEqual(viaCli);
  });

  it('a failed upload leaves nothing: no readings, no staging', async () => {
    const { uploadId, tasks } = await split(FILE, 8 * 1024);
    await stage(tasks[0]);
    expect(await failRow(db.pool, uploadId, 'fail', { errors: 1, warnings: 0, issues: { errors: [{ code: 'X', line: 0, message: 'x' }] } })).toBe(true);
    await db.query(`DROP TABLE ${stagingTables(uploadId).days}, ${stagingTables(uploadId).rows}`); // as lifecycle.fail does
    expect(await count('SELECT count(*) AS n FROM readings')).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'nem12_staging'`)).toBe(0);
    expect((await db.query<{ status: string }>('SELECT status FROM uploads WHERE id = $1', [uploadId]))[0].status).toBe('failed');
    expect(await stage(tasks[1])).toEqual({ staged: false, reason: 'upload not loading' });
    expect(await publishRow(db.pool, uploadId)).toBe(false);
    expect(await publishReadings(db.pool, uploadId)).toBeNull();
    expect(await completeRow(db.pool, uploadId)).toBeNull();
  });

  it('staged readings lost in a database restart (unlogged tables) fail the publish instead of loading part of a file', async () => {
    const { uploadId, tasks } = await split(FILE, 8 * 1024);
    for (const task of tasks) await stage(task);
    await db.query(`TRUNCATE ${stagingTables(uploadId).rows}`); // what crash recovery does to unlogged tables
    expect(await publishRow(db.pool, uploadId)).toBe(true);
    await expect(publishReadings(db.pool, uploadId)).rejects.toMatchObject({ code: 'STAGING_LOST' });
    expect(await count('SELECT count(*) AS n FROM readings')).toBe(0);
  });

  it('a published upload cannot fail any more', async () => {
    const { uploadId, tasks } = await split(FILE, 64 * 1024);
    for (const task of tasks) await stage(task);
    await publishRow(db.pool, uploadId);
    await publishReadings(db.pool, uploadId);
    expect(await failRow(db.pool, uploadId, 'fail', { errors: 1, warnings: 0, issues: {} })).toBe(false);
    expect(await count('SELECT count(*) AS n FROM readings')).toBe(17_856);
  });

  it('a chunk whose bytes changed since the split fails permanently, staging nothing', async () => {
    const { tasks } = await split(FILE, 8 * 1024);
    const corrupted = Buffer.from(FILE);
    corrupted.write('X', tasks[1].start + 20);
    // The parser's own code for what the corruption makes of that line (an X for a comma: one value fewer).
    await expect(stage(tasks[1], corrupted)).rejects.toMatchObject({ code: 'VALUE_COUNT_MISMATCH', message: expect.stringMatching(/^Chunk 1, line 12: /) });
    expect(await count('SELECT count(*) AS n FROM upload_chunks WHERE staged_at IS NOT NULL')).toBe(0);
  });
});
