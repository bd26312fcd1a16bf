import type { Functions } from 'firebase-admin/functions';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineContext } from '../../src/pipeline/context';
import { chunkTask, publishTask, sqlTask } from '../../src/pipeline/taskPayloads';
import { handleSql } from '../../src/tasks/exportFloSql';
import { handlePublish } from '../../src/tasks/publishUpload';
import { handleChunk } from '../../src/tasks/processChunk';
import { handleUpload } from '../../src/trigger/onUpload';
import { day, HEADER, nem12 } from '../unit/helpers';
import { HELD_BUCKET, ctx, db, downloadObject, objectExists, organisation, query, statusOf, upload } from './harness';

// The trigger and the task handlers take their database, Firestore, Storage and queues from the
// context they are given. Here the context's queues record instead of dispatching (the test is
// Cloud Tasks: it delivers every task itself, last first and each twice); the rest is the real
// emulators and database. A handler that reached a global queue would send its task to the
// emulator's functions instead, and the recording would miss it.

afterAll(() => db.end());
// The trigger's limits are the functions' params, read from the environment (as .env.local gives them to the emulator).
process.env.MAX_DECOMPRESSED_GB ??= '1';
expect(process.env.SQL_PART_CHUNKS).toBe('2');

interface Recorded {
  queue: string;
  id: string;
  payload: Record<string, unknown>;
}

function recordingQueues(recorded: Recorded[]): Functions {
  const taskQueue = (name: string) => ({
    enqueue: async (payload: Record<string, unknown>, options: { id: string }) => {
      recorded.push({ queue: name.split('/').pop()!, id: options.id, payload });
    },
  });
  return { taskQueue } as unknown as Functions;
}

const NMIS = 10;
const DAYS = 9;
function file(): Buffer {
  const lines = [HEADER];
  for (let i = 1; i <= NMIS; i++) {
    lines.push(`200,NCTX${String(i).padStart(6, '0')},E1,1,E1,N1,M1,kWh,30,`);
    for (let d = 1; d <= DAYS; d++) lines.push(day(`2024060${d}`, Array(48).fill('2')));
  }
  lines.push('900');
  return Buffer.from(nem12(lines));
}

describe('handlers run on the context they are given (tasks recorded and delivered by the test, not by Cloud Tasks)', () => {
  beforeAll(() => organisation('e2e'));

  it('a whole upload: trigger, chunks and Flo SQL parts out of order and twice, the file composed, publish', async () => {
    const recorded: Recorded[] = [];
    const own: PipelineContext = { ...ctx, queues: recordingQueues(recorded) };
    const bytes = file();
    const name = 'uploads/e2e/cli/context.csv';
    // In a bucket no trigger watches: the test's delivery is the only one.
    const uploaded = await upload(bytes, name, undefined, HELD_BUCKET);
    await handleUpload(own, { bucket: HELD_BUCKET, name, generation: uploaded.generation, size: bytes.length, metadata: null });

    const chunks = recorded.filter((task) => task.queue === 'processChunk');
    const sqlParts = recorded.filter((task) => task.queue === 'exportFloSql');
    expect(chunks.length).toBeGreaterThan(2);
    // A Flo SQL part per two chunks (SQL_PART_CHUNKS in this run), and nothing else.
    expect(sqlParts.map((task) => task.payload.part)).toEqual(Array.from({ length: Math.ceil(chunks.length / 2) }, (_, part) => part));
    expect(recorded).toHaveLength(chunks.length + sqlParts.length);
    expect((await statusOf(uploaded.statusId))?.status).toBe('loading');

    for (const task of [...chunks].reverse()) {
      const parsed = chunkTask.parse(task.payload);
      await Promise.all([handleChunk(own, parsed), handleChunk(own, parsed)]);
    }
    // The last chunk in asked for the publish, under one id however many asked.
    const publishes = recorded.filter((task) => task.queue === 'publishUpload');
    expect(publishes.length).toBeGreaterThan(0);
    expect(new Set(publishes.map((task) => task.id)).size).toBe(1);

    // A whole-file task queued before parts existed is planned into the same parts.
    const planned = recorded.length;
    await handleSql(own, sqlTask.parse({ statusId: uploaded.statusId, uploadId: chunks[0].payload.uploadId, data: chunkTask.parse(chunks[0].payload).data, upload: sqlParts[0].payload.upload }));
    expect(recorded.slice(planned).map((task) => task.id)).toEqual(sqlParts.map((task) => task.id));

    // The SQL parts out of order, the last twice at once: the file is composed when the last is in.
    const [first, ...rest] = sqlParts;
    for (const task of rest) await handleSql(own, sqlTask.parse(task.payload));
    expect((await statusOf(uploaded.statusId))?.sqlPath).toBeNull();
    await Promise.all([handleSql(own, sqlTask.parse(first.payload)), handleSql(own, sqlTask.parse(first.payload))]);
    expect((await statusOf(uploaded.statusId))?.status).toBe('loading');
    await handlePublish(own, publishTask.parse(publishes[0].payload));
    await handlePublish(own, publishTask.parse(publishes[0].payload));

    const status = await statusOf(uploaded.statusId);
    const expected = NMIS * DAYS * 48;
    expect(status).toMatchObject({ status: 'done', readings: { total: expected, new: expected }, chunks: { total: chunks.length, done: chunks.length } });
    const [row] = await query<{ n: string; total: string }>('SELECT count(*) AS n, sum(value)::text AS total FROM readings r JOIN uploads u ON u.id = r.upload_id WHERE u.status_id = $1', [uploaded.statusId]);
    expect(row).toEqual({ n: String(expected), total: String(expected * 2) });
    // The composed file is one gzip and one transaction that loads every reading (run as psql would, in a schema of its own).
    const sql = gunzipSync(await downloadObject(status!.sqlPath!, HELD_BUCKET)).toString('utf8');
    expect(sql.match(/^BEGIN;$/gm)).toHaveLength(1);
    expect(sql.match(/^COMMIT;$/gm)).toHaveLength(1);
    expect(sql).toContain(`-- ${expected} interval readings from ${NMIS * DAYS} channel-days.`);
    const client = await db.connect();
    try {
      await client.query('DROP SCHEMA IF EXISTS flo_context CASCADE; CREATE SCHEMA flo_context; SET search_path = flo_context');
      await client.query('CREATE TABLE meter_readings (id uuid DEFAULT gen_random_uuid() PRIMARY KEY, nmi varchar(10) NOT NULL, "timestamp" timestamp NOT NULL, consumption numeric NOT NULL, UNIQUE (nmi, "timestamp"))');
      await client.query(sql);
      const [flo] = (await client.query<{ n: string; total: string }>('SELECT count(*) AS n, sum(consumption)::text AS total FROM meter_readings')).rows;
      expect(flo).toEqual({ n: String(expected), total: String(expected * 2) });
    } finally {
      await client.query('RESET search_path; DROP SCHEMA IF EXISTS flo_context CASCADE');
      client.release();
    }
    // Its parts went with the upload's other temporary objects.
    expect(await objectExists(`tmp/${uploaded.statusId}/sql/part-000000.gz`, HELD_BUCKET)).toBe(false);
  });
});
