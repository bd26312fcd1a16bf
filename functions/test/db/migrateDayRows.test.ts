import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFile } from '../../src/ingest/loadFile';
import { migrate } from '../../src/load/migrate';
import { corpusFile } from '../unit/helpers';
import { freshDatabase, migrateBefore, type TestDatabase } from './testDatabase';

// The move to day rows (0006): data that the loader of schema 0005 wrote (one row per reading:
// fixtures/migration/schema-0005-data.sql, corpus and defect files in four organisations, with V days,
// Wh and VArh, 5-, 10-, 15- and 30-minute data, revisions, intervals a newer revision left empty and
// a repeated day) reads exactly the same, reading by reading, after the migration.
const FIXTURE = join(__dirname, '..', 'fixtures', 'migration', 'schema-0005-data.sql');
const EVERY_READING = `SELECT org_id, nmi, suffix, interval_end, nem_interval_end, value::text, uom, kwh::text, quality, method, reason_code, updated_at, upload_id, line
                       FROM channel_readings ORDER BY org_id, nmi, suffix, interval_end`;

let db: TestDatabase;
let before: unknown[];
beforeAll(async () => {
  db = await freshDatabase({ migrate: false });
  await migrateBefore(db, '0006');
  await db.pool.query(readFileSync(FIXTURE, 'utf8'));
  before = await db.query(EVERY_READING);
  expect((await migrate(db.pool))[0]).toBe('0006_day_rows');
});
afterAll(() => db.drop());

describe('migration 0006: readings into day rows', () => {
  it('keeps every reading exactly: value, unit, kWh, quality, method, reason, revision time, upload and line', async () => {
    expect(before.length).toBe(12_144);
    expect(await db.query(EVERY_READING)).toEqual(before);
  });

  it('holds one row per stream and day, with its figures', async () => {
    const [{ days, readings }] = await db.query<{ days: string; readings: string }>('SELECT count(*) AS days, sum(readings) AS readings FROM days');
    expect(Number(readings)).toBe(12_144);
    expect(Number(days)).toBeLessThan(12_144 / 40);
    const wrong = await db.query(
      `SELECT channel_id, day FROM days d, LATERAL (SELECT count(v) AS n, sum(v) AS t, max(v) AS p FROM unnest(d.intervals) v) c
       WHERE c.n <> d.readings OR c.t IS DISTINCT FROM d.total OR c.p IS DISTINCT FROM d.peak OR d.intervals[d.peak_interval] IS DISTINCT FROM d.peak`,
    );
    expect(wrong).toEqual([]);
  });

  it('goes on loading as before: a re-send is skipped, a newer revision merges into the migrated days', async () => {
    const again = await loadFile(db.pool, { org: 'org-a', fileName: 'again.csv', open: () => [corpusFile('nem-reader/unzipped/Example_NEM12_multiple_meters.csv')] });
    expect(again).toMatchObject({ ok: true, new: 0, updated: 0, unchanged: 1152 });
    const revised = corpusFile('nem-reader/unzipped/Example_NEM12_multiple_quality.csv').toString('utf8').replace('V,,,20040418203500', 'V,,,20250101000000').replace(',18.023,', ',99.5,');
    const result = await loadFile(db.pool, { org: 'org-a', fileName: 'revised.csv', open: () => [Buffer.from(revised)] });
    expect(result).toMatchObject({ ok: true, new: 0, updated: 48 });
    const [row] = await db.query<{ value: string }>(`SELECT value::text FROM channel_readings WHERE nmi = 'CCCC123456' ORDER BY interval_end LIMIT 1`);
    expect(row.value).toBe('99.5');
  });
});
