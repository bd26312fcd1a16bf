import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { wideFile, wideTotalMilli, wideValue, wideNmi, type WideFile } from '../unit/wideFiles';
import { nem12Load } from './nem12Cli';
import { freshDatabase, type TestDatabase } from './testDatabase';

// The daily delivery: one day of every NMI a provider reads, 100,000 and more in a file. Loaded
// through the real `nem12 load`, on a server with PostgreSQL's default lock table (64 locks per
// connection): a lock per stream there cannot hold such a file ("out of shared memory").

const work = mkdtempSync(join(tmpdir(), 'nem12-wide-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
let db: TestDatabase;
beforeEach(async () => {
  db = await freshDatabase();
});
afterEach(() => db.drop());

function write(name: string, options: WideFile): string {
  const path = join(work, name);
  writeFileSync(path, wideFile(options));
  return path;
}

/** What is stored, as the test can compute it from the files: day rows, their readings and the exact total (thousandths). */
async function stored() {
  const [row] = await db.query<{ days: string; readings: string; milli: string; streams: string; published: string }>(
    `SELECT count(*) AS days, sum(readings) AS readings, (sum(total) * 1000)::bigint::text AS milli,
            (SELECT count(*) FROM channels) AS streams, (SELECT count(*) FROM channels WHERE published) AS published FROM days`,
  );
  return { days: Number(row.days), readings: Number(row.readings), milli: BigInt(row.milli), streams: Number(row.streams), published: Number(row.published) };
}

describe('daily files of 100,000 NMIs and more', { timeout: 300_000 }, () => {
  it('a file of 200,000 streams loads exactly, and again changes nothing', async () => {
    const options = { nmis: 200_000, date: '20240301', version: 1, updatedAt: '20240302030000' };
    const path = write('wide-200k.csv', options);
    const first = await nem12Load(db.url, [path]);
    expect(first.status, first.stderr).toBe(0);
    expect(first.json).toMatchObject({ ok: true, readings: 9_600_000, new: 9_600_000, updated: 0, unchanged: 0 });
    expect(await stored()).toEqual({ days: 200_000, readings: 9_600_000, milli: wideTotalMilli(options), streams: 200_000, published: 200_000 });
    // A stream chosen here, read back reading by reading.
    const [sample] = await db.query<{ values: string[] }>(
      `SELECT d.intervals::text[] AS values FROM days d JOIN channels c ON c.id = d.channel_id WHERE c.nmi = $1`,
      [wideNmi(123_456)],
    );
    expect(sample.values).toEqual(Array(48).fill(wideValue(123_456, 1)));
    expect(await db.query(`SELECT day::text, streams, readings::int FROM org_days`)).toEqual([{ day: '2024-03-01', streams: 200_000, readings: 9_600_000 }]);
    const again = await nem12Load(db.url, [path]);
    expect(again.json).toMatchObject({ ok: true, new: 0, updated: 0, unchanged: 9_600_000 });
  });

  it('two files of 100,000 NMIs of different days, loaded at the same time: both whole', async () => {
    const a = { nmis: 100_000, date: '20240301', version: 1, updatedAt: '20240302030000' };
    const b = { nmis: 100_000, date: '20240302', version: 2, updatedAt: '20240303030000' };
    const runs = await Promise.all([nem12Load(db.url, [write('a.csv', a)]), nem12Load(db.url, [write('b.csv', b)])]);
    for (const run of runs) expect(run.json, run.stderr).toMatchObject({ ok: true, new: 4_800_000, updated: 0 });
    expect(await stored()).toEqual({ days: 200_000, readings: 9_600_000, milli: wideTotalMilli(a) + wideTotalMilli(b), streams: 100_000, published: 100_000 });
  });

  it('two files of the same 100,000 NMIs and day, loaded at the same time: the newer revision holds every stream, whichever commits first', async () => {
    const older = { nmis: 100_000, date: '20240301', version: 1, updatedAt: '20240302030000' };
    const newer = { nmis: 100_000, date: '20240301', version: 2, updatedAt: '20240302040000' };
    const [o, n] = await Promise.all([nem12Load(db.url, [write('older.csv', older)]), nem12Load(db.url, [write('newer.csv', newer)])]);
    const first = o.json as { ok: boolean; new: number; updated: number; unchanged: number };
    const second = n.json as typeof first;
    expect(first.ok && second.ok).toBe(true);
    // Either the older went first (then the newer replaced all of it) or the newer did (then the older changed nothing).
    const olderFirst = first.new === 4_800_000;
    expect(olderFirst ? [first, second] : [second, first]).toEqual(
      olderFirst
        ? [expect.objectContaining({ new: 4_800_000, updated: 0 }), expect.objectContaining({ new: 0, updated: 4_800_000 })]
        : [expect.objectContaining({ new: 4_800_000, updated: 0 }), expect.objectContaining({ new: 0, updated: 0, unchanged: 4_800_000 })],
    );
    expect(await stored()).toEqual({ days: 100_000, readings: 4_800_000, milli: wideTotalMilli(newer), streams: 100_000, published: 100_000 });
    expect(await db.query(`SELECT day::text, streams, readings::int FROM org_days`)).toEqual([{ day: '2024-03-01', streams: 100_000, readings: 4_800_000 }]);
  });
});
