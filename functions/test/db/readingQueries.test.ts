import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PoolClient, QueryConfig } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readingsCsv } from '../../src/api/readingsCsv';
import { listNmis, listNmisQuery, orgChannel, readingsPage, recentNmisQuery, orgChannelQuery, orgDataVersion, orgDataVersionQuery, readingsQuery } from '../../src/api/readingQueries';
import { overviewDataQuery } from '../../src/api/overviewQueries';
import { channelStats, profileQuery, statsQuery } from '../../src/api/statsQueries';
import { loadFile } from '../../src/ingest/loadFile';
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
    const file = (nmi: string) => Buffer.from(nem12([HEADER, `200,${nmi},E1,1,E1,N1,M1,kWh,30,`, `300,20240301,${Array(48).fill('1').join(',')},A,,,20240302120000,`, '900']));
    // NAT10 came with an upload before NAT2's.
    for (const nmi of ['NAT10', 'NAT2']) expect((await loadFile(db.pool, { open: () => [file(nmi)], fileName: `${nmi}.csv`, org: 'alice' })).ok).toBe(true);
    const page = (cursor?: string) => withClient((client) => listNmis(client, 'alice', { limit: 1, search: 'nat', cursor }));
    const first = await page();
    expect(first.nmis.map((n) => n.nmi)).toEqual(['NAT2']);
    expect(first.recent.map((n) => n.nmi)).toEqual(['NAT2', 'NAT10']);
    const next = await page(JSON.parse(Buffer.from(first.nextCursor!, 'base64url').toString()).after as string);
    expect(next).toMatchObject({ nmis: [{ nmi: 'NAT10' }], nextCursor: null, recent: [] });
    // Loaded again (newest now), NAT10 comes first among the recent ones.
    const again = Buffer.concat([file('NAT10'), Buffer.from('\r\n')]);
    expect((await loadFile(db.pool, { open: () => [again], fileName: 'NAT10-again.csv', org: 'alice' })).ok).toBe(true);
    expect((await page()).recent.map((n) => n.nmi)).toEqual(['NAT10', 'NAT2']);
  });

  it("every publish moves the organisation's data version; a load that changes nothing, and another organisation's, do not", async () => {
    const version = (org: string) => withClient((client) => orgDataVersion(client, org));
    const alice = await version('alice');
    const bob = await version('bob');
    const same = await load('nem-reader/unzipped/Example_NEM12_multiple_meters.csv', 'alice');
    expect(same).toMatchObject({ ok: true, new: 0, updated: 0 });
    expect(await version('alice')).toBe(alice);
    const revision = Buffer.from(nem12([HEADER, '200,NCDE001111,E1B1Q1E2,1,E1,N1,METSER123,Wh,15,', day('20031204', Array(96).fill('20'), 'A,,,20240101120000,'), '900']));
    expect((await loadFile(db.pool, { open: () => [revision], fileName: 'revision.csv', org: 'alice' })).ok).toBe(true);
    expect(BigInt(await version('alice'))).toBeGreaterThan(BigInt(alice));
    expect(await version('bob')).toBe(bob);
    // A rejected file records nothing.
    const rejected = await load('nem-reader/invalid/Example_NEM12_incomplete_interval.csv', 'carol');
    expect(rejected.ok).toBe(false);
    expect((await withClient((client) => listNmis(client, 'carol', { limit: 10 }))).nmis).toEqual([]);
    expect(await version('carol')).toBe('0');
  });

  it("the organisation's figures per day are its day rows', whatever was loaded, merged or repeated", async () => {
    const figures = 'streams::int, readings::int, complete::int, partial::int, actual::int, estimated::int, substituted::int, variable::int';
    const kept = await db.query(`SELECT org_id, day::text, ${figures} FROM org_days ORDER BY 1, 2`);
    const counted = await db.query(
      `SELECT org_id, day::text, ${figures} FROM (
         SELECT c.org_id, d.day, count(*) AS streams, sum(d.readings) AS readings,
                count(*) FILTER (WHERE d.readings = 1440 / d.interval_length) AS complete, count(*) FILTER (WHERE d.readings < 1440 / d.interval_length) AS partial,
                sum(d.actual) AS actual, sum(d.estimated) AS estimated, sum(d.substituted) AS substituted, sum(d.variable) AS variable
         FROM days d JOIN channels c ON c.id = d.channel_id GROUP BY 1, 2) x ORDER BY 1, 2`,
    );
    expect(kept.length).toBeGreaterThan(3);
    expect(kept).toEqual(counted);
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
      // ... and through 0009, which keeps an upload's first NMIs in place of a row per stream.
      expect(await db.query('SELECT first_nmis FROM uploads')).toEqual([{ first_nmis: ['NOLD000001'] }]);
      expect(await db.query('SELECT published FROM channels')).toEqual([{ published: true }]);
      expect(await db.query('SELECT day::text, streams, readings::int FROM org_days')).toEqual([{ day: '2024-05-01', streams: 1, readings: 48 }]);
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
    await db.query(
      `INSERT INTO uploads (org_id, source_key, file_name, owner, status, published_at, first_nmis)
       VALUES ('alice', 'synthetic', 'synthetic.csv', 'alice', 'done', now(), '{NMI0000001,NMI0000002}')`,
    );
    await db.query(`INSERT INTO channels (org_id, nmi, suffix, published) SELECT 'alice', 'NMI' || lpad(n::text, 7, '0'), 'E1', true FROM generate_series(1, 40) n`);
    // Many organisations' streams beside Alice's (no readings), and many of Alice's own: enough that
    // finding hers by a scan would be considered, and a search by any part of an NMI needs its index.
    await db.query(`INSERT INTO channels (org_id, nmi, suffix, published) SELECT 'org' || (n % 500), 'NMI' || lpad(n::text, 7, '0'), 'E1', true FROM generate_series(1, 60000) n`);
    await db.query(`INSERT INTO channels (org_id, nmi, suffix, published) SELECT 'alice', 'ALICE' || lpad(n::text, 5, '0'), 'E1', true FROM generate_series(1, 5000) n`);
    // An organisation of 50,000 NMIs (a retailer's daily file): a search by any part of an NMI there.
    await db.query(`INSERT INTO channels (org_id, nmi, suffix, published) SELECT 'big', 'BIG' || lpad(n::text, 7, '0'), 'E1', true FROM generate_series(1, 50000) n`);
    // ... and their uploads, figures per day and data versions.
    await db.query(
      `INSERT INTO uploads (org_id, source_key, file_name, status, published_at, first_nmis)
       SELECT 'org' || (n % 500), 'synthetic' || n, 'f.csv', 'done', now() - n * interval '1 hour', '{NMI0000001}' FROM generate_series(1, 5000) n`,
    );
    await db.query(`INSERT INTO org_days SELECT 'org' || o, '2022-01-01'::date + d, 100, 4800 FROM generate_series(0, 499) o, generate_series(0, 364) d`);
    await db.query(`INSERT INTO org_data SELECT 'org' || o, o FROM generate_series(0, 499) o UNION ALL SELECT 'alice', 1`);
    await db.query(`SELECT ensure_day_partitions(ARRAY(SELECT generate_series('2022-01-01'::date, '2024-12-31', '1 month')::date))`);
    await db.query(
      `INSERT INTO days (channel_id, day, interval_length, uom, kwh_factor, intervals, quality, readings, total, kwh, peak, peak_interval, fingerprint, upload_id, line)
       SELECT c.id, d::date, 30, 'kWh', 1, v.a, '{48,65,NULL,NULL,0}', 48, v.t, v.t, v.p, 1, md5(c.id || ':' || d)::uuid, 1, 1
       FROM channels c, generate_series('2022-01-01'::date, '2024-12-30', '1 day') d,
            LATERAL (SELECT array_agg(round((random() * 2)::numeric, 3)) AS a FROM generate_series(1, 48) WHERE c.id > 0 AND d IS NOT NULL) g,
            LATERAL (SELECT (SELECT sum(x) FROM unnest(g.a) x) AS t, (SELECT max(x) FROM unnest(g.a) x) AS p, g.a) v
       WHERE c.org_id = 'alice' AND c.nmi LIKE 'NMI%'`,
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
    // `days` is partitioned by month: its relations are days_yYYYYmMM, each with its own key.
    const isDays = (node: PlanNode) => /^days(_y\d{4}m\d{2})?$/.test(node['Relation Name'] ?? '');
    expect(nodes.filter((node) => isDays(node) && node['Node Type'] === 'Seq Scan')).toEqual([]);
    expect(nodes.some((node) => isDays(node) && /^days(_y\d{4}m\d{2})?_pkey$/.test(node['Index Name'] ?? ''))).toBe(true);
  });

  it.each([
    ['a stream of the organisation', orgChannelQuery('alice', 'NMI0000007', 'E1'), 'channels_org_nmi_suffix'],
    ["the organisation's data version", orgDataVersionQuery('alice'), 'org_data_pkey'],
    ["a page of the organisation's NMIs, in natural order", listNmisQuery('alice', { limit: 200 }), 'channels_natural'],
    ['NMIs with any part matching a search, in any case, among 50,000', listNmisQuery('big', { limit: 200, search: 'g004217' }), 'channels_nmi_search'],
    ['the NMIs loaded last', recentNmisQuery('alice', 'NMI'), 'uploads_recent'],
    ['the streams of the NMIs loaded last', listNmisQuery('alice', { limit: 5 }, ['NMI0000001', 'NMI0000002']), 'channels_org_nmi_suffix'],
    ["the organisation's overview", overviewDataQuery('alice'), 'org_days_pkey'],
  ])('%s: found through an index (%s), never a scan of every stream or day', async (_name, query, index) => {
    const nodes = await planNodes(query);
    const scanned = (node: PlanNode) => /^(channels|days(_y\d{4}m\d{2})?|uploads|org_days)$/.test(node['Relation Name'] ?? '') && node['Node Type'] === 'Seq Scan';
    expect(nodes.filter(scanned)).toEqual([]);
    expect(nodes.map((node) => node['Index Name']).filter(Boolean)).toContain(index);
  });

  it("the NMI list finds each stream's first and last reading through the key", async () => {
    const client = await db.pool.connect();
    try {
      const listed = await listNmis(client, 'alice', { limit: 3, search: 'NMI' });
      expect(listed.nmis.map((n) => n.nmi)).toEqual(['NMI0000001', 'NMI0000002', 'NMI0000003']);
      expect(listed.nmis[0].channels[0]).toMatchObject({ firstReading: '2022-01-01T00:30:00+10:00', lastReading: '2024-12-31T00:00:00+10:00', firstDate: '2022-01-01', lastDate: '2024-12-30' });
    } finally {
      client.release();
    }
  });
});
