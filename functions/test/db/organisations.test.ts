import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleApiRequest, type ApiContext, type Caller } from '../../src/api/handleApiRequest';
import { ResponseCache } from '../../src/api/responseCache';
import { loadFile } from '../../src/ingest/loadFile';
import { migrate, MIGRATIONS_DIR } from '../../src/load/migrate';
import { CHANNEL_E1, day, HEADER, nem12 } from '../unit/helpers';
import { freshDatabase, type TestDatabase } from './testDatabase';

// Readings are partitioned by organisation: the same NMI in two organisations is two streams, two
// histories, two sets of fingerprints. And data loaded before organisations existed stays its owner's.

/** The API's handler with a stand-in for the ID token check (this file is about the data, not Auth). */
function api(db: TestDatabase, cache = new ResponseCache(1 << 20)) {
  const context = (caller: Caller): ApiContext => ({ pool: db.pool, verifyIdToken: async () => caller, cache, orgs: null as never, provisioning: false });
  return async (org: string, path: string) => {
    const caller: Caller = { uid: `member-of-${org}`, email: null, membership: { org, role: 'member' } };
    const answer = await handleApiRequest({ method: 'GET', url: path, headers: { authorization: 'Bearer stand-in' } }, context(caller));
    return { status: answer.status, body: JSON.parse(answer.body) };
  };
}

describe('two organisations loading the same NMI', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await freshDatabase();
  });
  afterAll(() => db.drop());
  const file = (value: string, updated: string) => nem12([HEADER, CHANNEL_E1, day('20240301', Array(48).fill(value), `A,,,${updated},`), day('20240302', Array(48).fill(value), `A,,,${updated},`), '900']);

  it("keep two histories: B's newer revision changes nothing of A's, and B's counts are B's own", async () => {
    const a = await loadFile(db.pool, { org: 'org-a', fileName: 'a.csv', open: () => [Buffer.from(file('1', '20240303000000'))] });
    expect(a).toMatchObject({ ok: true, new: 96 });
    const b = await loadFile(db.pool, { org: 'org-b', fileName: 'b.csv', open: () => [Buffer.from(file('5', '20240309000000'))] });
    // Not "0 new, 96 updated": nothing of A's is compared, counted or touched.
    expect(b).toMatchObject({ ok: true, new: 96, updated: 0, unchanged: 0, days: { insert: 2, merge: 0, skip: 0 } });
    const sums = await db.query(`SELECT org_id, count(*)::int AS n, sum(value)::text AS total FROM channel_readings GROUP BY 1 ORDER BY 1`);
    expect(sums).toEqual([
      { org_id: 'org-a', n: 96, total: '96' },
      { org_id: 'org-b', n: 96, total: '480' },
    ]);
    // The same file in both: each organisation's own upload, its own skip.
    const again = await loadFile(db.pool, { org: 'org-a', fileName: 'b-in-a.csv', open: () => [Buffer.from(file('5', '20240309000000'))] });
    expect(again).toMatchObject({ new: 0, updated: 96 });
    expect(Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM uploads'))[0].n)).toBe(3);
    const get = api(db);
    expect((await get('org-b', '/stats?nmi=VABD000163&suffix=E1&from=2024-03-01&to=2024-03-02')).body).toMatchObject({ total: '480' });
    expect((await get('org-c', '/stats?nmi=VABD000163&suffix=E1&from=2024-03-01&to=2024-03-02')).status).toBe(404);
  });
});

describe('the migration to organisations', () => {
  it('puts each former owner into an organisation of their own: their data stays theirs, a shared stream splits', async () => {
    const db = await freshDatabase({ migrate: false });
    const dir = mkdtempSync(join(tmpdir(), 'nem12-migrations-'));
    try {
      cpSync(MIGRATIONS_DIR, dir, { recursive: true });
      for (const file of readdirSync(dir)) if (file >= '0005') rmSync(join(dir, file));
      await migrate(db.pool, dir);
      // What the loader wrote before: Alice's year day, then Bob's upload of Alice's NMI that
      // overwrote one of her readings (the bug this migration ends), and a CLI load without owner.
      await db.query(`INSERT INTO uploads (source_key, file_name, owner, status) VALUES ('sha256:a', 'a.csv', 'alice', 'done'), ('sha256:b', 'b.csv', 'bob', 'done'), ('sha256:c', 'c.csv', NULL, 'done')`);
      await db.query(`INSERT INTO channels (nmi, suffix, data_version) VALUES ('NSHARED001', 'E1', 5), ('NCLI000001', 'E1', 6)`);
      await db.query(`INSERT INTO upload_channels VALUES (1, 1), (2, 1), (3, 2)`);
      await db.query(
        `INSERT INTO reading_days (channel_id, day, fingerprint, upload_id, uom, interval_length, line) VALUES
           (1, '2024-05-01', gen_random_uuid(), 1, 'kWh', 30, 3), (1, '2024-05-02', gen_random_uuid(), 2, 'kWh', 30, 3), (2, '2024-05-01', gen_random_uuid(), 3, 'kWh', 30, 3)`,
      );
      await db.query(
        `INSERT INTO readings (channel_id, interval_end, value, uom, kwh, quality, upload_id, line)
         SELECT 1, '2024-05-01T00:00:00+10:00'::timestamptz + i * interval '30 minutes', 1, 'kWh', 1, 'A', 1, 3 FROM generate_series(1, 48) i
         UNION ALL SELECT 1, '2024-05-02T00:00:00+10:00'::timestamptz + i * interval '30 minutes', 7, 'kWh', 7, 'A', 2, 3 FROM generate_series(1, 48) i
         UNION ALL SELECT 2, '2024-05-01T00:00:00+10:00'::timestamptz + i * interval '30 minutes', 2, 'kWh', 2, 'A', 3, 3 FROM generate_series(1, 48) i`,
      );
      expect(await migrate(db.pool)).toEqual(readdirSync(MIGRATIONS_DIR).filter((f) => f >= '0005').map((f) => f.slice(0, -4)));

      expect(await db.query(`SELECT org_id, nmi, count(*)::int AS n, sum(value)::int AS total FROM channel_readings GROUP BY 1, 2 ORDER BY 1, 2`)).toEqual([
        { org_id: 'local', nmi: 'NCLI000001', n: 48, total: 96 },
        { org_id: 'u-alice', nmi: 'NSHARED001', n: 48, total: 48 },
        { org_id: 'u-bob', nmi: 'NSHARED001', n: 48, total: 336 },
      ]);
      expect(await db.query(`SELECT c.org_id, d.day::text FROM days d JOIN channels c ON c.id = d.channel_id ORDER BY 1`)).toEqual([
        { org_id: 'local', day: '2024-05-01' },
        { org_id: 'u-alice', day: '2024-05-01' },
        { org_id: 'u-bob', day: '2024-05-02' },
      ]);
      const get = api(db);
      const alice = await get('u-alice', '/nmis');
      expect(alice.body.nmis).toEqual([{ nmi: 'NSHARED001', channels: [expect.objectContaining({ suffix: 'E1', firstDate: '2024-05-01', lastDate: '2024-05-01' })] }]);
      expect((await get('u-bob', '/stats?nmi=NSHARED001&suffix=E1&from=2024-05-01&to=2024-05-02')).body).toMatchObject({ readings: 48, total: '336' });
      expect((await get('local', '/nmis')).body.nmis.map((n: { nmi: string }) => n.nmi)).toEqual(['NCLI000001']);
      expect((await get('u-carol', '/nmis')).body.nmis).toEqual([]);
      expect((await get('u-carol', '/readings?nmi=NSHARED001&suffix=E1')).status).toBe(404);
      // And loading goes on per organisation: the CLI's default organisation finds its stream.
      const more = await loadFile(db.pool, { org: 'local', fileName: 'd.csv', open: () => [Buffer.from(nem12([HEADER, CHANNEL_E1.replace('VABD000163', 'NCLI000001'), day('20240502'), '900']))] });
      expect(more).toMatchObject({ ok: true, new: 48 });
      expect(Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM channels WHERE nmi = 'NCLI000001'`))[0].n)).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await db.drop();
    }
  });
});
