import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PoolClient, QueryConfig } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readingsCsv } from '../../src/api/readingsCsv';
import { listNmis, listNmisQuery, orgChannel, readingsPage, recentNmisQuery, orgChannelQuery, orgChannelsVersion, orgChannelsVersionQuery, readingsQuery } from '../../src/api/readingQueries';
import { channelStats, profileQuery, statsQuery } from '../../src/api/statsQueries';
import { loadFile } from '../../src/load/loadFile';
import { migrate, MIGRATIONS_DIR } from '../../src/load/migrate';
import { CHANNEL_E1, corpusFile, day, HEADER, nem12 } from '../unit/helpers';
import { freshDatabase, type TestDatabase } from './testDatabase';

// The readings API's SQL against a real PostgreSQL: what a load records for it (owners, units,
// versions), the backfill of data loaded before it existed, and that its queries are index range
// scans on a table big enough for the planner to have a choice.

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

function nodesOf(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodesOf)];
}

describe('what a load records for the API', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await freshDatabase();
  });
  afterAll(() => db.drop());

  const load = (path: string, org: string, fileName = path) => loadFile(db.pool, { open: () => [corpusFile(path)], fileName, org });
  const versionOf = async (nmi: string, suffix: string) =>
    (await db.query<{ v: string }>("SELECT data_version::text AS v FROM channels WHERE nmi = $1 AND suffix = $2 AND org_id <> 'carol'", [nmi, suffix]))[0].v;
  const withClient = async <T>(work: (client: PoolClient) => Promise<T>): Promise<T> => {
    const client = await db.pool.connect();
    try {
      return await work(client);
    } finally {
      client.release();
    }
  };

  it("an organisation sees the streams it loaded, with the unit and interval length of the latest day, and no other organisation's", async () => {
    await load('nem-reader/unzipped/Example_NEM12_multiple_meters.csv', 'alice');
    await load('nem-reader/unzipped/Example_NEM12_different_interval_length.csv', 'bob');
    const alice = await withClient((client) => listNmis(client, 'alice', { limit: 10 }));
    expect(alice.nmis.map((n) => [n.nmi, n.channels.map((c) => `${c.suffix}:${c.uom}:${c.intervalLength}:${c.unit}`)])).toEqual([
      ['NCDE001111', ['B1:Wh:15:kWh', 'E1:Wh:15:kWh', 'E2:Wh:15:kWh', 'Q1:VArh:15:VArh']],
      ['NDDD001888', ['B1:Wh:15:kWh', 'K2:VArh:15:VArh']],
    ]);
    expect(alice.nmis[0].channels[1]).toMatchObject({ firstReading: '2003-12-04T00:15:00+10:00', lastReading: '2003-12-06T00:00:00+10:00', firstDate: '2003-12-04', lastDate: '2003-12-05' });
    const bob = await withClient((client) => listNmis(client, 'bob', { limit: 10 }));
    // A stream with no unit is no energy: its figures stay in (no) unit of their own.
    expect(bob.nmis[0].channels.find((c) => c.suffix === 'V1')).toMatchObject({ uom: '', unit: null, energy: false, intervalLength: 10 });
    expect(await withClient((client) => orgChannel(client, 'bob', 'NCDE001111', 'E1'))).toBeNull();
    expect(await withClient((client) => orgChannel(client, 'alice', 'NCDE001111', 'E1'))).toMatchObject({ nmi: 'NCDE001111', suffix: 'E1', uom: 'Wh', intervalLength: 15 });
  });

  it('pages NMIs with a keyset cursor and filters them by prefix', async () => {
    const first = await withClient((client) => listNmis(client, 'alice', { limit: 1 }));
    expect(first.nmis.map((n) => n.nmi)).toEqual(['NCDE001111']);
    expect(first.nextCursor).not.toBeNull();
    const cursor = JSON.parse(Buffer.from(first.nextCursor!, 'base64url').toString()).after as string;
    const second = await withClient((client) => listNmis(client, 'alice', { limit: 1, cursor }));
    expect(second).toMatchObject({ nmis: [{ nmi: 'NDDD001888' }], nextCursor: null });
    const filtered = await withClient((client) => listNmis(client, 'alice', { limit: 10, search: 'NDD' }));
    expect(filtered.nmis.map((n) => n.nmi)).toEqual(['NDDD001888']);
    // Any case, anywhere in the NMI.
    for (const search of ['ndd', '1888', 'dd00']) {
      expect((await withClient((client) => listNmis(client, 'alice', { limit: 10, search }))).nmis.map((n) => n.nmi)).toEqual(['NDDD001888']);
    }
  });

  it('exports a whole stream as CSV a page at a time: the rows of one page of everything', async () => {
    const params = { nmi: 'NCDE001111', suffix: 'E1' };
    const whole = await withClient(async (client) => readingsPage(client, (await orgChannel(client, 'alice', params.nmi, params.suffix))!, { ...params, limit: 100_000 }));
    let csv = '';
    for await (const chunk of readingsCsv(db.pool, 'alice', params, 50)) csv += chunk;
    const lines = csv.split('\r\n').slice(1, -1);
    expect(whole.readings.length).toBeGreaterThan(150);
    expect(lines.map((line) => line.split(',').slice(0, 2).join(','))).toEqual(whole.readings.map((r) => `${r.intervalEnd},${r.value}`));
  });

  it('lists NMIs in natural order and says which were loaded last', async () => {
    // NMI2 before NMI10 (shorter first), across pages; the recent list follows the loads, newest first.
    await db.query(`INSERT INTO channels (nmi, suffix, org_id, data_version) VALUES ('NAT10', 'E1', 'alice', nextval('channel_data_version')), ('NAT2', 'E1', 'alice', nextval('channel_data_version'))`);
    // NAT10 came with an upload before NAT2's.
    for (const nmi of ['NAT10', 'NAT2']) {
      await db.query(
        `WITH u AS (INSERT INTO uploads (org_id, source_key, file_name, status) VALUES ('alice', $1, 'f.csv', 'done') RETURNING id)
         INSERT INTO upload_channels SELECT u.id, c.id FROM u, channels c WHERE c.nmi = $2`,
        [`gs://b/${nmi}#1`, nmi],
      );
    }
    const page = (cursor?: string) => withClient((client) => listNmis(client, 'alice', { limit: 1, search: 'nat', cursor }));
    const first = await page();
    expect(first.nmis.map((n) => n.nmi)).toEqual(['NAT2']);
    expect(first.recent.map((n) => n.nmi)).toEqual(['NAT2', 'NAT10']);
    const next = await page(JSON.parse(Buffer.from(first.nextCursor!, 'base64url').toString()).after as string);
    expect(next).toMatchObject({ nmis: [{ nmi: 'NAT10' }], nextCursor: null, recent: [] });
    await db.query(`DELETE FROM uploads WHERE source_key LIKE 'gs://b/NAT%'`);
    await db.query(`DELETE FROM channels WHERE nmi IN ('NAT10', 'NAT2')`);
  });

  it('every load of a stream moves its data version; other streams keep theirs', async () => {
    const e1 = await versionOf('NCDE001111', 'E1');
    const other = await versionOf('C123', 'E1');
    const userVersion = await withClient((client) => orgChannelsVersion(client, 'alice'));
    const again = await load('nem-reader/unzipped/Example_NEM12_multiple_meters.csv', 'alice', 'again.csv');
    expect(again).toMatchObject({ ok: true, new: 0, updated: 0 });
    expect(BigInt(await versionOf('NCDE001111', 'E1'))).toBeGreaterThan(BigInt(e1));
    expect(await versionOf('C123', 'E1')).toBe(other);
    expect(await withClient((client) => orgChannelsVersion(client, 'alice'))).not.toBe(userVersion);
    // A rejected file records nothing.
    const rejected = await load('nem-reader/invalid/Example_NEM12_incomplete_interval.csv', 'carol');
    expect(rejected.ok).toBe(false);
    expect((await withClient((client) => listNmis(client, 'carol', { limit: 10 }))).nmis).toEqual([]);
  });
});

describe('stats', () => {
  it('put each reading in the day and month of its interval, and find the peak by value', async () => {
    const db = await freshDatabase();
    try {
      const tail = 'A,,,20240202120000,';
      const january = [...Array(47).fill('1.5'), '2'];
      const february = Array.from({ length: 48 }, (_, i) => (i === 9 ? '9.5' : i === 20 ? '10.25' : '1.5'));
      const file = nem12([HEADER, CHANNEL_E1, day('20240131', january, tail), day('20240201', february, tail), '900']);
      expect((await loadFile(db.pool, { open: () => [Buffer.from(file)], fileName: 'edges.csv', org: 'erin' })).ok).toBe(true);
      const client = await db.pool.connect();
      try {
        const channel = (await orgChannel(client, 'erin', 'VABD000163', 'E1'))!;
        const range = { nmi: 'VABD000163', suffix: 'E1', from: '2024-01-31T00:00:00+10:00', to: '2024-02-02T00:00:00+10:00' };
        const months = await channelStats(client, channel, { ...range, granularity: 'month' });
        // The reading ending at 2024-02-01 00:00 is January's last.
        expect(months.series).toEqual([
          { period: '2024-01', readings: 48, total: '72.5' },
          { period: '2024-02', readings: 48, total: '88.75' },
        ]);
        expect(months).toMatchObject({ readings: 96, days: 2, total: '161.25', dailyAverage: '80.625000', unit: 'kWh' });
        // 10.25 beats 9.5 as a number (not as text).
        expect(months.peak).toEqual({ intervalEnd: '2024-02-01T10:30:00+10:00', value: '10.25' });
        expect(months.profile).toHaveLength(48);
        expect(months.profile.at(0)).toEqual({ time: '00:30', readings: 2, average: '1.500000' });
        expect(months.profile.at(-1)).toEqual({ time: '24:00', readings: 2, average: '1.750000' });
        const days = await channelStats(client, channel, { ...range, granularity: 'day' });
        expect(days.series.map((d) => [d.period, d.total])).toEqual([
          ['2024-01-31', '72.5'],
          ['2024-02-01', '88.75'],
        ]);
        const nothing = await channelStats(client, channel, { ...range, from: '2025-01-01T00:00:00+10:00', to: '2025-01-02T00:00:00+10:00', granularity: 'day' });
        expect(nothing).toMatchObject({ readings: 0, days: 0, total: null, average: null, dailyAverage: null, peak: null, series: [], profile: [], quality: [] });
      } finally {
        client.release();
      }
    } finally {
      await db.drop();
    }
  });
});

describe('data loaded before the API existed', () => {
  it('gets owners, units and interval lengths from the migration', async () => {
    const db = await freshDatabase({ migrate: false });
    const dir = mkdtempSync(join(tmpdir(), 'nem12-migrations-'));
    try {
      cpSync(MIGRATIONS_DIR, dir, { recursive: true });
      for (const file of readdirSync(dir)) if (file >= '0003') rmSync(join(dir, file));
      await migrate(db.pool, dir);
      // What the loader wrote before 0003: an upload, a stream, a day and its 48 readings (30-minute).
      await db.query(`INSERT INTO uploads (source_key, file_name, owner, status) VALUES ('sha256:x', 'old.csv', 'dana', 'done')`);
      await db.query(`INSERT INTO channels (nmi, suffix) VALUES ('NOLD000001', 'E1')`);
      await db.query(`INSERT INTO reading_days (channel_id, day, fingerprint, upload_id) VALUES (1, '2024-05-01', gen_random_uuid(), 1)`);
      await db.query(
        `INSERT INTO readings (channel_id, interval_end, value, uom, kwh, quality, upload_id, line)
         SELECT 1, '2024-05-01T00:00:00+10:00'::timestamptz + i * interval '30 minutes', 1, 'KWH', 1, 'A', 1, 2 FROM generate_series(1, 48) i`,
      );
      expect((await migrate(db.pool))[0]).toBe('0003_readings_api');
      expect(await db.query('SELECT upload_id::int, channel_id FROM upload_channels')).toEqual([{ upload_id: 1, channel_id: 1 }]);
      expect(await db.query('SELECT uom, interval_length FROM days')).toEqual([{ uom: 'KWH', interval_length: 30 }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await db.drop();
    }
  });
});

describe('the API queries use the primary key', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await freshDatabase();
    // 40 streams x 1095 days: enough day rows that a sequential scan would be considered.
    await db.query(`INSERT INTO uploads (org_id, source_key, file_name, owner, status) VALUES ('alice', 'synthetic', 'synthetic.csv', 'alice', 'done')`);
    await db.query(`INSERT INTO channels (org_id, nmi, suffix, data_version) SELECT 'alice', 'NMI' || lpad(n::text, 7, '0'), 'E1', 1 FROM generate_series(1, 40) n`);
    // Many organisations' streams beside Alice's (no readings): enough that finding hers by a scan would be considered.
    await db.query(`INSERT INTO channels (org_id, nmi, suffix, data_version) SELECT 'org' || (n % 500), 'NMI' || lpad(n::text, 7, '0'), 'E1', 1 FROM generate_series(1, 20000) n`);
    await db.query(`INSERT INTO upload_channels SELECT 1, id FROM channels WHERE org_id = 'alice'`);
    await db.query(
      `INSERT INTO days (channel_id, day, interval_length, uom, kwh_factor, intervals, quality, readings, total, kwh, peak, peak_interval, fingerprint, upload_id, line)
       SELECT c.id, d::date, 30, 'kWh', 1, v.a, '{48,65,NULL,NULL,0}', 48, v.t, v.t, v.p, 1, md5(c.id || ':' || d)::uuid, 1, 1
       FROM channels c, generate_series('2022-01-01'::date, '2024-12-30', '1 day') d,
            LATERAL (SELECT array_agg(round((random() * 2)::numeric, 3)) AS a FROM generate_series(1, 48) WHERE c.id > 0 AND d IS NOT NULL) g,
            LATERAL (SELECT (SELECT sum(x) FROM unnest(g.a) x) AS t, (SELECT max(x) FROM unnest(g.a) x) AS p, g.a) v
       WHERE c.org_id = 'alice'`,
    );
    await db.query('ANALYZE');
  });
  afterAll(() => db.drop());

  async function planNodes(query: QueryConfig): Promise<PlanNode[]> {
    const [row] = await db.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(`EXPLAIN (FORMAT JSON) ${query.text}`, query.values);
    return nodesOf(row['QUERY PLAN'][0].Plan);
  }

  const month = { from: '2024-02-01T00:00:00+10:00', to: '2024-03-01T00:00:00+10:00' };
  const year = { from: '2024-01-01T00:00:00+10:00', to: '2025-01-01T00:00:00+10:00' };
  const cases: [string, QueryConfig][] = [
    ['a page of readings', readingsQuery(7, { nmi: 'x', suffix: 'E1', ...month, limit: 1000 })],
    ['the next page (cursor)', readingsQuery(7, { nmi: 'x', suffix: 'E1', ...month, limit: 1000, cursor: '2024-02-10T12:00:00+10:00' })],
    ['a whole stream, unbounded', readingsQuery(7, { nmi: 'x', suffix: 'E1', limit: 10_000 })],
    ['daily stats of a year', statsQuery(7, { nmi: 'x', suffix: 'E1', ...year, granularity: 'day' })],
    ['interval stats of a month', statsQuery(7, { nmi: 'x', suffix: 'E1', ...month, granularity: 'interval' })],
    ['monthly stats of three years', statsQuery(7, { nmi: 'x', suffix: 'E1', from: '2022-01-01T00:00:00+10:00', to: '2024-12-31T00:00:00+10:00', granularity: 'month' })],
    ['the load profile of a year', profileQuery(7, true, { nmi: 'x', suffix: 'E1', ...year, granularity: 'day' })],
  ];
  it.each(cases)('%s: a range of the (channel_id, day) key, never a sequential scan', async (_name, query) => {
    const nodes = await planNodes(query);
    expect(nodes.filter((node) => node['Relation Name'] === 'days' && node['Node Type'] === 'Seq Scan')).toEqual([]);
    expect(nodes.some((node) => node['Index Name'] === 'days_pkey')).toBe(true);
  });

  it.each([
    ['a stream of the organisation', orgChannelQuery('alice', 'NMI0000007', 'E1')],
    ["the organisation's data version", orgChannelsVersionQuery('alice')],
    ["a page of the organisation's NMIs", listNmisQuery('alice', { limit: 200, search: 'NMI' })],
    ['the NMIs loaded last', recentNmisQuery('alice', 'NMI')],
    ['the streams of the NMIs loaded last', listNmisQuery('alice', { limit: 5 }, ['NMI0000001', 'NMI0000002'])],
  ])('%s: found through the (org_id, nmi, suffix) index, never a scan of every stream', async (_name, query) => {
    const nodes = await planNodes(query);
    expect(nodes.filter((node) => (node['Relation Name'] === 'channels' || node['Relation Name'] === 'days') && node['Node Type'] === 'Seq Scan')).toEqual([]);
    expect(nodes.some((node) => node['Index Name'] === 'channels_org_nmi_suffix')).toBe(true);
  });

  it("the NMI list finds each stream's first and last reading through the key", async () => {
    const client = await db.pool.connect();
    try {
      const listed = await listNmis(client, 'alice', { limit: 3 });
      expect(listed.nmis.map((n) => n.nmi)).toEqual(['NMI0000001', 'NMI0000002', 'NMI0000003']);
      expect(listed.nmis[0].channels[0]).toMatchObject({ firstReading: '2022-01-01T00:30:00+10:00', lastReading: '2024-12-31T00:00:00+10:00', firstDate: '2022-01-01', lastDate: '2024-12-30' });
    } finally {
      client.release();
    }
  });
});
