import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { overview, overviewCounts } from '../../src/api/overviewQueries';
import { loadFile } from '../../src/ingest/loadFile';
import { corpusFile } from '../unit/helpers';
import { freshDatabase, type TestDatabase } from './testDatabase';

// GET /overview's figures against a real PostgreSQL: an organisation's own uploads and data only.
let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(() => db.drop());

async function figures(org: string) {
  const client = await db.pool.connect();
  try {
    return await overview(client, org, await overviewCounts(client, org));
  } finally {
    client.release();
  }
}

describe('the overview of an organisation', () => {
  it("counts its loaded files, readings, NMIs, latest day, uploads in flight and recent failures, and nobody else's", async () => {
    expect(await figures('alice')).toEqual({ filesLoaded: 0, inFlight: 0, failedLast7Days: 0, readings: 0, nmis: 0, latestDay: null });
    const loaded = await loadFile(db.pool, { open: () => [corpusFile('nem-reader/unzipped/Example_NEM12_multiple_meters.csv')], fileName: 'm.csv', org: 'alice' });
    expect(loaded).toMatchObject({ ok: true });
    await db.query(
      `INSERT INTO uploads (org_id, source_key, file_name, status, finished_at) VALUES
         ('alice', 'gs://b/f1#1', 'f1.csv', 'failed', now() - interval '1 day'),
         ('alice', 'gs://b/f2#1', 'f2.csv', 'failed', now() - interval '8 days'),
         ('alice', 'gs://b/l#1', 'l.csv', 'loading', NULL),
         ('bob', 'gs://b/b#1', 'b.csv', 'failed', now())`,
    );
    const [{ readings }] = await db.query<{ readings: string }>("SELECT count(*) AS readings FROM readings r JOIN channels c ON c.id = r.channel_id AND c.org_id = 'alice'");
    expect(await figures('alice')).toEqual({ filesLoaded: 1, inFlight: 1, failedLast7Days: 1, readings: Number(readings), nmis: 2, latestDay: '2003-12-05' });
    expect(Number(readings)).toBe(1152);
    // Another organisation sees only its own.
    expect(await figures('bob')).toEqual({ filesLoaded: 0, inFlight: 0, failedLast7Days: 1, readings: 0, nmis: 0, latestDay: null });
  });
});
