import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupOnce } from '../../src/tasks/cleanup';
import { CHANNEL_E1, CORPUS, corpusFile, day, floSqlShape, HEADER, nem12 } from '../unit/helpers';
import { STATUS_COLLECTION } from '../../src/status/statusDocument';
import { BUCKET, ctx, db, deliverTask, downloadObject, finalStatus, firestore, member, objectExists, organisation, query, redeliverFinalize, statusOf, upload, type Member } from './harness';

// The whole pipeline on the Firebase emulators (storage trigger, task queues, Firestore) and a real
// PostgreSQL: files go in the bucket, the tests wait for the status document and check the database.
// CHUNK_BYTES is small in this run (see package.json), so files load in many chunks (and SQL_PART_CHUNKS
// makes a Flo SQL part of every two).

afterAll(() => db.end());

const readingsOf = async (uploadId: number) =>
  Number((await query<{ n: string }>('SELECT count(*) AS n FROM readings WHERE upload_id = $1', [uploadId]))[0].n);
const dbIdOf = async (statusId: string) => Number((await query<{ id: string }>('SELECT id FROM uploads WHERE status_id = $1', [statusId]))[0].id);

describe.sequential('the pipeline, end to end', () => {
  let meters: Awaited<ReturnType<typeof upload>>;
  // Uploaders are members (the trigger checks, from Auth, that whoever uploaded a file is one).
  let alice: Member;
  let bob: Member;
  let carol: Member;
  beforeAll(async () => {
    await organisation('e2e');
    [alice, bob, carol] = await Promise.all([member('e2e', 'alice', 'member'), member('e2e', 'bob', 'member'), member('e2e', 'carol', 'member')]);
  });

  it('loads a file of several NMIs and suffixes in chunks, with status, quality summary and the Flo SQL file', async () => {
    meters = await upload(corpusFile('nem-reader/unzipped/Example_NEM12_multiple_meters.csv'), `uploads/e2e/${alice.uid}/multiple_meters.csv`);
    const status = await finalStatus(meters.statusId);
    expect(status).toMatchObject({
      status: 'done',
      fileName: 'multiple_meters.csv',
      org: 'e2e',
      owner: alice.uid,
      readings: { total: 1152, loaded: 1152, new: 1152, updated: 0, unchanged: 0 },
      errors: { count: 0, items: [] },
      warnings: { count: 0, items: [] },
    });
    expect(status.chunks.total).toBeGreaterThan(1);
    // It went through publishing (the readings made visible) on its way to done.
    expect(status).toHaveProperty('publishingAt');
    expect(status.chunks.done).toBe(status.chunks.total);
    expect(status.summary).toMatchObject({ readings: 1152, quality: { A: 1152 }, channelCount: 6, firstDate: '2003-12-04', lastDate: '2003-12-05' });

    const rows = await query<{ nmi: string; suffix: string; n: string; kwh: string | null }>(
      `SELECT nmi, suffix, count(*) AS n, sum(kwh)::text AS kwh FROM channel_readings WHERE nmi IN ('NCDE001111', 'NDDD001888') GROUP BY 1, 2 ORDER BY 1, 2`,
    );
    expect(rows).toEqual([
      { nmi: 'NCDE001111', suffix: 'B1', n: '192', kwh: '1.92' },
      { nmi: 'NCDE001111', suffix: 'E1', n: '192', kwh: '1.92' },
      { nmi: 'NCDE001111', suffix: 'E2', n: '192', kwh: '19.2' },
      { nmi: 'NCDE001111', suffix: 'Q1', n: '192', kwh: null },
      { nmi: 'NDDD001888', suffix: 'B1', n: '192', kwh: '3.84' },
      { nmi: 'NDDD001888', suffix: 'K2', n: '192', kwh: null },
    ]);

    // The SQL file beside the upload is what `nem12 sql` writes for the same file: the same head, rows
    // in the same order and tail (composed from one part per chunk, its INSERTs batch differently).
    expect(status.sqlPath).toBe(`outputs/e2e/${alice.uid}/multiple_meters.csv.${meters.statusId.slice(0, 8)}.flo.sql.gz`);
    const fromPipeline = gunzipSync(await downloadObject(status.sqlPath!)).toString('utf8');
    const out = join(mkdtempSync(join(tmpdir(), 'nem12-e2e-')), 'multiple_meters.csv');
    execFileSync('cp', [join(CORPUS, 'nem-reader/unzipped/Example_NEM12_multiple_meters.csv'), out]);
    const fromCli = execFileSync(process.execPath, [join(__dirname, '../../bin/nem12.js'), 'sql', out], { encoding: 'utf8' });
    expect(status.chunks.total).toBeGreaterThan(1);
    expect(floSqlShape(fromPipeline)).toEqual(floSqlShape(fromCli));
    expect(floSqlShape(fromPipeline).intervals.length).toBe(384); // 4 E channel-days of 96
    expect(fromPipeline).toContain('INSERT INTO meter_readings');
  });

  it('loads 5-minute data', async () => {
    const solar = await upload(corpusFile('nem-reader/unzipped/Example_NEM12_month_solar.csv'), `uploads/e2e/${alice.uid}/solar.csv`);
    const status = await finalStatus(solar.statusId);
    expect(status).toMatchObject({ status: 'done', readings: { total: 17_856, new: 17_856 } });
    expect(status.chunks.total).toBeGreaterThan(5);
    expect(await readingsOf(await dbIdOf(solar.statusId))).toBe(17_856);
    const [{ ends }] = await query<{ ends: string }>(
      `SELECT count(DISTINCT extract(minute FROM interval_end)) AS ends FROM channel_readings WHERE nmi = 'NMI1234567' AND suffix = 'E1'`,
    );
    expect(Number(ends)).toBe(12); // every 5 minutes
  });

  it('loads a zip by its content, and removes its decompressed copy when done', async () => {
    const zipped = await upload(corpusFile('nem-reader/Example_NEM12_ManyNMIs.zip'), `uploads/e2e/${bob.uid}/many.zip`);
    const status = await finalStatus(zipped.statusId);
    expect(status).toMatchObject({ status: 'done', owner: bob.uid, readings: { total: 57_024, new: 57_024 } });
    expect(status.summary?.channelCount).toBe(198);
    expect(await objectExists(`tmp/${zipped.statusId}/data.nem12`)).toBe(false);
    expect(await readingsOf(await dbIdOf(zipped.statusId))).toBe(57_024);
  });

  it('applies revisions: the newer UpdateDateTime wins; an older file loaded later changes nothing', async () => {
    const channel = CHANNEL_E1.replace('VABD000163', 'REVISION01');
    const older = nem12([HEADER, channel, day('20240301', Array(48).fill('1.5'), 'E52,,,20240302010000,'), '900']);
    const newer = nem12([HEADER, channel, day('20240301', Array(48).fill('2.25'), 'A,,,20240305010000,'), '900']);
    const first = await finalStatus((await upload(Buffer.from(older), `uploads/e2e/${carol.uid}/older.csv`)).statusId);
    expect(first.readings).toMatchObject({ new: 48 });
    const second = await finalStatus((await upload(Buffer.from(newer), `uploads/e2e/${carol.uid}/newer.csv`)).statusId);
    expect(second.readings).toMatchObject({ new: 0, updated: 48, unchanged: 0 });
    const late = await finalStatus((await upload(Buffer.from(older), `uploads/e2e/${carol.uid}/older-again.csv`)).statusId);
    expect(late).toMatchObject({ status: 'done', readings: { new: 0, updated: 0, unchanged: 48 } });
    const values = await query<{ value: string; quality: string }>(`SELECT DISTINCT value::text, quality FROM channel_readings WHERE nmi = 'REVISION01'`);
    expect(values).toEqual([{ value: '2.25', quality: 'A' }]);
  });

  it('rejects an invalid file with line-numbered errors and loads none of it', async () => {
    const bad = await upload(corpusFile('nem-reader/invalid/Example_NEM12_incomplete_interval.csv'), `uploads/e2e/${alice.uid}/incomplete.csv`);
    const status = await finalStatus(bad.statusId);
    expect(status.status).toBe('failed');
    expect(status.errors).toEqual({ count: 1, byCode: { VALUE_COUNT_MISMATCH: 1 }, items: [expect.objectContaining({ code: 'VALUE_COUNT_MISMATCH', line: 3 })] });
    expect(status.sqlPath).toBeNull();
    expect(await readingsOf(await dbIdOf(bad.statusId))).toBe(0);
    const [{ n }] = await query<{ n: string }>(`SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'nem12_staging'`);
    expect(n).toBe('0');
  });

  it('refuses a gzip that expands more than 50 times its size, leaving no decompressed copy', async () => {
    const bomb = await upload(gzipSync(Buffer.alloc(30 * 1024 * 1024, '300,')), `uploads/e2e/${alice.uid}/bomb.csv.gz`);
    const status = await finalStatus(bomb.statusId);
    expect(status.status).toBe('failed');
    expect(status.errors.items.map((e) => e.code)).toEqual(['DECOMPRESSED_TOO_LARGE']);
    expect(await objectExists(`tmp/${bomb.statusId}/data.nem12`)).toBe(false);
  });

  it('a redelivered storage event changes nothing', async () => {
    const before = {
      uploads: await query('SELECT id, status, readings_new, finished_at FROM uploads ORDER BY id'),
      readings: await query('SELECT count(*) AS n, sum(value) AS total FROM readings'),
      status: await statusOf(meters.statusId),
    };
    await redeliverFinalize(meters.name);
    expect(await query('SELECT id, status, readings_new, finished_at FROM uploads ORDER BY id')).toEqual(before.uploads);
    expect(await query('SELECT count(*) AS n, sum(value) AS total FROM readings')).toEqual(before.readings);
    expect(await statusOf(meters.statusId)).toEqual(before.status);
  });

  it('a retried chunk task changes nothing', async () => {
    const uploadId = await dbIdOf(meters.statusId);
    const [{ task }] = await query<{ task: Record<string, unknown> }>('SELECT task FROM upload_chunks WHERE upload_id = $1 AND chunk = 1', [uploadId]);
    const before = { ledger: await query('SELECT * FROM upload_chunks WHERE upload_id = $1 ORDER BY chunk', [uploadId]), readings: await readingsOf(uploadId), status: await statusOf(meters.statusId) };
    expect(await deliverTask('processChunk', task)).toBeLessThan(300);
    expect(await query('SELECT * FROM upload_chunks WHERE upload_id = $1 ORDER BY chunk', [uploadId])).toEqual(before.ledger);
    expect(await readingsOf(uploadId)).toBe(before.readings);
    expect(await statusOf(meters.statusId)).toEqual(before.status);
  });

  it('a malformed task is acknowledged, not retried forever', async () => {
    expect(await deliverTask('processChunk', { statusId: 'nope' })).toBeLessThan(300);
  });

  it('ignores objects outside uploads/ (its own outputs are under outputs/)', async () => {
    const outside = await upload(Buffer.from(nem12([HEADER, CHANNEL_E1, day('20240101'), '900'])), 'elsewhere/file.csv');
    // A later upload finishing shows the trigger has run past the earlier event.
    await finalStatus((await upload(Buffer.from(nem12([HEADER, CHANNEL_E1.replace('VABD000163', 'ORDERING01'), day('20240101'), '900'])), `uploads/e2e/${alice.uid}/after.csv`)).statusId);
    expect(await statusOf(outside.statusId)).toBeUndefined();
    const outputs = await query<{ n: string }>(`SELECT count(*) AS n FROM uploads WHERE file_name LIKE '%.flo.sql.gz'`);
    expect(outputs[0].n).toBe('0');
    expect((await statusOf(meters.statusId))?.sqlPath).toMatch(new RegExp(`^outputs/e2e/${alice.uid}/multiple_meters\\.csv\\.\\w{8}\\.flo\\.sql\\.gz$`));
  });

  it('the hourly cleanup fails stalled uploads and removes what a crash left behind', async () => {
    const ghost = 'f'.repeat(32);
    const [{ id }] = await query<{ id: string }>(
      `INSERT INTO uploads (org_id, source_key, status_id, file_name, status, started_at) VALUES ('e2e', 'gs://x/ghost#1', $1, 'ghost.csv', 'loading', now() - interval '1 day') RETURNING id`,
      [ghost],
    );
    await query(`CREATE TABLE nem12_staging.rows_${id} (LIKE days)`);
    await firestore.collection(STATUS_COLLECTION).doc(ghost).set({ status: 'loading', fileName: 'ghost.csv', chunks: { total: 1, done: 0 }, readings: { total: 1, loaded: 0 }, errors: { count: 0, items: [] } });
    await upload(Buffer.from('left over'), `tmp/${ghost}/data.nem12`);
    // A staging table left by a crash after its upload was done.
    const doneId = await dbIdOf(meters.statusId);
    await query(`CREATE TABLE nem12_staging.days_${doneId} (nmi text)`);
    const result = await cleanupOnce(ctx, BUCKET, { stalledAfterMinutes: 60, redriveAfterMinutes: 30, tmpAfterMinutes: 0 });
    expect(result).toMatchObject({ stalled: 1, stagingDropped: 1, tmpDeleted: 1 });
    expect((await statusOf(ghost))?.status).toBe('failed');
    expect((await statusOf(ghost))?.errors.items[0]).toMatchObject({ code: 'STALLED' });
    expect((await query<{ status: string }>('SELECT status FROM uploads WHERE id = $1', [id]))[0].status).toBe('failed');
    expect(await query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'nem12_staging'`)).toEqual([]);
    expect(await objectExists(`tmp/${ghost}/data.nem12`)).toBe(false);
    // Nothing of finished uploads is touched.
    expect((await statusOf(meters.statusId))?.status).toBe('done');
  });
});

