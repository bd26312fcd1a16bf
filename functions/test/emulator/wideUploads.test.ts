import type { Functions } from 'firebase-admin/functions';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineContext } from '../../src/pipeline/context';
import { chunkTask, publishTask, sqlTask } from '../../src/pipeline/taskPayloads';
import { handleSql } from '../../src/tasks/exportFloSql';
import { handlePublish } from '../../src/tasks/publishUpload';
import { handleChunk } from '../../src/tasks/processChunk';
import { handleUpload } from '../../src/trigger/onUpload';
import { wideFile, wideTotalMilli, type WideFile } from '../unit/wideFiles';
import { HELD_BUCKET, ctx, db, downloadObject, organisation, query, statusOf, upload } from './harness';

// The daily delivery through the pipeline: files of 20,000 NMIs x 1 day (the width the CI's time
// allows; the benchmark runs 100,000), split into chunks of 1 MiB, on the real emulators and
// database, their tasks recorded and delivered by the test (as handlerContext.test.ts does), two
// uploads at once: of different days, then of the same day (the newer revision must hold).

afterAll(() => db.end());
// This file's own chunk size (params are read from the environment when a handler runs).
process.env.CHUNK_BYTES = String(1024 * 1024);
process.env.MAX_DECOMPRESSED_GB ??= '1';

const NMIS = 20_000;
const ORG = 'wide';

interface Recorded {
  queue: string;
  payload: Record<string, unknown>;
}

function recordingQueues(recorded: Recorded[]): Functions {
  const taskQueue = (name: string) => ({
    enqueue: async (payload: Record<string, unknown>) => {
      recorded.push({ queue: name.split('/').pop()!, payload });
    },
  });
  return { taskQueue } as unknown as Functions;
}

/** One upload through the trigger and every task it asks for, the test being Cloud Tasks. */
async function runUpload(name: string, options: WideFile) {
  const recorded: Recorded[] = [];
  const own: PipelineContext = { ...ctx, queues: recordingQueues(recorded) };
  const bytes = wideFile(options);
  const object = `uploads/${ORG}/cli/${name}`;
  const uploaded = await upload(bytes, object, undefined, HELD_BUCKET);
  await handleUpload(own, { bucket: HELD_BUCKET, name: object, generation: uploaded.generation, size: bytes.length, metadata: null });
  const delivered = new Set<Recorded>();
  // Deliver until nothing new is asked: chunks and SQL parts, then the publish.
  for (let round = 0; round < 5; round++) {
    const pending = recorded.filter((task) => !delivered.has(task));
    if (pending.length === 0) break;
    for (const task of pending) {
      delivered.add(task);
      if (task.queue === 'processChunk') await handleChunk(own, chunkTask.parse(task.payload));
      else if (task.queue === 'exportFloSql') await handleSql(own, sqlTask.parse(task.payload));
      else if (task.queue === 'publishUpload') await handlePublish(own, publishTask.parse(task.payload));
    }
  }
  return { statusId: uploaded.statusId, chunks: recorded.filter((task) => task.queue === 'processChunk').length };
}

/** What the organisation stores, as the test computes it from the files. */
async function stored() {
  const [row] = await query<{ days: string; readings: string; milli: string }>(
    `SELECT count(*) AS days, coalesce(sum(d.readings), 0) AS readings, coalesce((sum(d.total) * 1000)::bigint, 0)::text AS milli
     FROM days d JOIN channels c ON c.id = d.channel_id WHERE c.org_id = $1`,
    [ORG],
  );
  return { days: Number(row.days), readings: Number(row.readings), milli: BigInt(row.milli) };
}

describe(`daily files of ${NMIS.toLocaleString()} NMIs through the pipeline`, { timeout: 300_000 }, () => {
  beforeAll(() => organisation(ORG));

  it('two uploads of different days at once: both done, every reading, a bounded status document, the Flo SQL file whole', async () => {
    const a = { nmis: NMIS, date: '20240301', version: 1, updatedAt: '20240302030000' };
    const b = { nmis: NMIS, date: '20240302', version: 2, updatedAt: '20240303030000' };
    const [first, second] = await Promise.all([runUpload('day-1.csv', a), runUpload('day-2.csv', b)]);
    expect(first.chunks).toBeGreaterThan(3);
    for (const { statusId } of [first, second]) {
      const status = await statusOf(statusId);
      expect(status).toMatchObject({ status: 'done', readings: { total: NMIS * 48, new: NMIS * 48, updated: 0 } });
      // The summary counts every channel and lists the first 200: a document of bounded size.
      expect(status!.summary).toMatchObject({ channelCount: NMIS, readings: NMIS * 48 });
      expect(status!.summary!.channels).toHaveLength(200);
    }
    expect(await stored()).toEqual({ days: 2 * NMIS, readings: 2 * NMIS * 48, milli: wideTotalMilli(a) + wideTotalMilli(b) });
    expect(await query(`SELECT day::text, streams, readings::int FROM org_days WHERE org_id = $1 ORDER BY day`, [ORG])).toEqual([
      { day: '2024-03-01', streams: NMIS, readings: NMIS * 48 },
      { day: '2024-03-02', streams: NMIS, readings: NMIS * 48 },
    ]);
    const sql = gunzipSync(await downloadObject((await statusOf(first.statusId))!.sqlPath!, HELD_BUCKET)).toString('utf8');
    expect(sql).toContain(`-- ${NMIS * 48} interval readings from ${NMIS} channel-days.`);
  });

  it('two uploads of the same day at once: the newer revision holds every stream, whichever publishes first', async () => {
    const older = { nmis: NMIS, date: '20240303', version: 3, updatedAt: '20240304030000' };
    const newer = { nmis: NMIS, date: '20240303', version: 4, updatedAt: '20240304040000' };
    const before = await stored();
    const [o, n] = await Promise.all([runUpload('day-3-older.csv', older), runUpload('day-3-newer.csv', newer)]);
    const [olderStatus, newerStatus] = [await statusOf(o.statusId), await statusOf(n.statusId)];
    expect([olderStatus?.status, newerStatus?.status]).toEqual(['done', 'done']);
    // Either order: the newer's readings are new or replaced the older's; the older's new or unchanged.
    const total = NMIS * 48;
    expect(newerStatus!.readings.new + newerStatus!.readings.updated).toBe(total);
    expect(olderStatus!.readings.new + newerStatus!.readings.new).toBe(total);
    expect(await stored()).toEqual({ days: before.days + NMIS, readings: before.readings + total, milli: before.milli + wideTotalMilli(newer) });
  });
});
