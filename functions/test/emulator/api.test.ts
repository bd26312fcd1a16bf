import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpusFile, day, HEADER, nem12 } from '../unit/helpers';
import { callApi, db, finalStatus, member, PROJECT, query, REGION, upload, type Member } from './harness';

// The readings API (the `api` HTTPS function) on the functions emulator, with real ID tokens from
// the Auth emulator and readings loaded through the whole pipeline into the real PostgreSQL. Its
// answers are checked against straight SQL over the same rows.

const DIRECT = `http://127.0.0.1:5001/${PROJECT}/${REGION}/api`;
const THROUGH_HOSTING = 'http://127.0.0.1:5000/api';
// Fixtures under NMIs of their own, so this file and the others do not depend on what each loads.
const NMI = 'APITEST001';
const QUALITY_NMI = 'APITEST002';
const BOBS_NMI = 'APITEST003';
const fixture = (path: string, nmi: string, as: string) => Buffer.from(corpusFile(`nem-reader/unzipped/${path}`).toString('utf8').replaceAll(nmi, as));

type User = Member;

const get = (path: string, user: User | null, headers: Record<string, string> = {}, base = DIRECT) => callApi(path, user, { headers, base });

let alice: User;
let bob: User;

beforeAll(async () => {
  [alice, bob] = await Promise.all([member('api-a', 'alice'), member('api-b', 'bob')]);
  const uploads = await Promise.all([
    upload(fixture('Example_NEM12_month_solar.csv', 'NMI1234567', NMI), `uploads/api-a/${alice.uid}/solar.csv`),
    upload(fixture('Example_NEM12_multiple_quality.csv', 'CCCC123456', QUALITY_NMI), `uploads/api-a/${alice.uid}/quality.csv`),
    upload(fixture('Example_NEM12_actual_interval.csv', 'VABD000163', BOBS_NMI), `uploads/api-b/${bob.uid}/actual.csv`),
  ]);
  for (const uploaded of uploads) expect((await finalStatus(uploaded.statusId)).status).toBe('done');
});
afterAll(() => db.end());

describe('the readings API', () => {
  it('requires a valid Firebase ID token', async () => {
    const attempts: Record<string, string>[] = [{}, { Authorization: 'Bearer not-a-token' }, { Authorization: 'Basic YWxpY2U6eA==' }];
    for (const headers of attempts) {
      const answer = await get('/nmis', null, headers);
      expect(answer.status).toBe(401);
      expect(answer.body.error.code).toBe('UNAUTHENTICATED');
      expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
  });

  it("lists the organisation's own NMIs and channels only, also through Hosting's /api rewrite", async () => {
    const mine = await get('/nmis', alice);
    expect(mine.status).toBe(200);
    expect(mine.body.nmis.map((n: { nmi: string }) => n.nmi)).toEqual([NMI, QUALITY_NMI]);
    const [range] = await query<{ first: string; last: string }>(
      `SELECT nem_iso(min(interval_end)) AS first, nem_iso(max(interval_end)) AS last FROM channel_readings WHERE nmi = $1 AND suffix = 'E1'`,
      [NMI],
    );
    expect(mine.body.nmis[0].channels).toEqual([
      expect.objectContaining({ suffix: 'B1', uom: 'kWh', unit: 'kWh', energy: true, intervalLength: 5 }),
      { suffix: 'E1', uom: 'kWh', unit: 'kWh', energy: true, intervalLength: 5, firstReading: range.first, lastReading: range.last, firstDate: '2023-03-01', lastDate: '2023-03-31' },
    ]);
    expect((await get('/nmis', bob)).body.nmis.map((n: { nmi: string }) => n.nmi)).toEqual([BOBS_NMI]);
    const hosted = await get('/nmis', alice, {}, THROUGH_HOSTING);
    expect(hosted.status).toBe(200);
    expect(hosted.body).toEqual(mine.body);
  });

  it("denies another organisation's NMI exactly as one that does not exist", async () => {
    const theirs = await get(`/readings?nmi=${NMI}&suffix=E1`, bob);
    const nowhere = await get(`/readings?nmi=NOSUCHNMI1&suffix=E1`, bob);
    expect(theirs.status).toBe(404);
    expect(theirs.body.error).toMatchObject({ code: 'NMI_NOT_FOUND', parameter: 'nmi' });
    expect(JSON.stringify(theirs.body).replace(NMI, '?')).toBe(JSON.stringify(nowhere.body).replace('NOSUCHNMI1', '?'));
    expect((await get(`/stats?nmi=${NMI}&suffix=E1&from=2023-03-01&to=2023-03-31`, bob)).status).toBe(404);
    expect((await get(`/stats?nmi=${NMI}&suffix=E1&from=2023-03-01&to=2023-03-31`, alice)).status).toBe(200);
  });

  const stats = `/stats?nmi=${NMI}&suffix=E1&from=2023-03-01&to=2023-03-31`;
  it.each([
    ['/readings?suffix=E1', 'nmi', /required/],
    ['/readings?nmi=APITEST001&suffix=E1&limit=0', 'limit', /at least 1/],
    ['/readings?nmi=APITEST001&suffix=E1&limit=10001', 'limit', /at most 10000/],
    ['/readings?nmi=APITEST001&suffix=E1&limit=ten', 'limit', /whole number/],
    ['/readings?nmi=APITEST001&suffix=E1&cursor=bm90LWEtY3Vyc29y', 'cursor', /not a cursor/],
    ['/readings?nmi=APITEST001&suffix=E1&from=2023-02-30', 'from', /not a calendar date/],
    ['/readings?nmi=APITEST001&suffix=E1&from=2023-03-01T00:00:00', 'from', /offset/],
    ['/readings?nmi=APITEST001&suffix=EE1', 'suffix', /2 characters/],
    ['/readings?nmi=APITEST001&suffix=E1&nmi=APITEST001', 'nmi', /more than once/],
    ['/readings?nmi=APITEST001&suffix=E1&granularity=day', 'granularity', /not a parameter/],
    [`${stats}&granularity=hour`, 'granularity', /interval, day or month/],
    [`/stats?nmi=${NMI}&suffix=E1&from=2023-03-31&to=2023-03-01`, 'from', /before to/],
    [`/stats?nmi=${NMI}&suffix=E1&to=2023-03-01`, 'from', /required/],
    [`/stats?nmi=${NMI}&suffix=E1&from=2023-01-01&to=2023-03-31&granularity=interval`, 'to', /at most 31/],
    [`/stats?nmi=${NMI}&suffix=E1&from=2020-01-01&to=2023-03-31`, 'to', /at most 1096/],
  ])('rejects %s with a 400 naming %s', async (path, parameter, message) => {
    const answer = await get(path, alice);
    expect(answer.status).toBe(400);
    expect(answer.body.error.parameter).toBe(parameter);
    expect(answer.body.error.message).toMatch(new RegExp(`^${parameter}: `));
    expect(answer.body.error.message).toMatch(message);
  });

  it('pages through a month of readings in time order, with no duplicates and no gaps', async () => {
    const expected = await query<{ intervalEnd: string; value: string; quality: string }>(
      `SELECT nem_iso(interval_end) AS "intervalEnd", value::text AS value, quality::text AS quality FROM channel_readings
       WHERE nmi = $1 AND suffix = 'E1' AND nem_interval_end > '2023-03-01 00:00' AND nem_interval_end <= '2023-04-01 00:00' ORDER BY interval_end`,
      [NMI],
    );
    expect(expected).toHaveLength(8928);
    const seen: { intervalEnd: string; value: string; quality: string }[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const answer = await get(`/readings?nmi=${NMI}&suffix=E1&from=2023-03-01&to=2023-03-31&limit=1000${cursor ? `&cursor=${cursor}` : ''}`, alice);
      expect(answer.status).toBe(200);
      expect(answer.body.readings.length).toBeLessThanOrEqual(1000);
      seen.push(...answer.body.readings.map(({ intervalEnd, value, quality }: (typeof seen)[number]) => ({ intervalEnd, value, quality })));
      cursor = answer.body.nextCursor;
      pages++;
    } while (cursor !== null && pages < 20);
    expect(pages).toBe(9);
    expect(seen).toEqual(expected);
  });

  it("exports a month of readings as CSV: the same rows as /readings, never another organisation's", async () => {
    const params = `nmi=${NMI}&suffix=E1&from=${encodeURIComponent('2023-03-01T00:00:00+10:00')}&to=${encodeURIComponent('2023-04-01T00:00:00+10:00')}`;
    const pages: { intervalEnd: string; value: string; kwh: string | null; quality: string; method: number | null; reasonCode: number | null; updatedAt: string | null }[] = [];
    for (let cursor: string | null = ''; cursor !== null; ) {
      const page = await get(`/readings?${params}&limit=1000${cursor ? `&cursor=${cursor}` : ''}`, alice);
      pages.push(...page.body.readings);
      cursor = page.body.nextCursor;
    }
    const response = await fetch(`${DIRECT}/readings.csv?${params}`, { headers: { Authorization: `Bearer ${alice.token}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="${NMI}-E1-from-2023-03-01-to-2023-04-01.csv"`);
    const lines = (await response.text()).split('\r\n');
    expect(lines.at(-1)).toBe('');
    expect(lines[0]).toBe('interval_end,value,uom,kwh,quality,method,reason_code,updated_at');
    expect(lines.slice(1, -1)).toEqual(pages.map((r) => [r.intervalEnd, r.value, 'kWh', r.kwh ?? '', r.quality, r.method ?? '', r.reasonCode ?? '', r.updatedAt ?? ''].join(',')));
    expect(pages).toHaveLength(31 * 288);
    const theirs = await fetch(`${DIRECT}/readings.csv?${params}`, { headers: { Authorization: `Bearer ${bob.token}` } });
    expect(theirs.status).toBe(404);
    expect(((await theirs.json()) as { error: { code: string } }).error.code).toBe('NMI_NOT_FOUND');
    expect((await fetch(`${DIRECT}/readings.csv?${params}`)).status).toBe(401);
  });

  it('stats equal a straight SQL computation over the same rows', async () => {
    const answer = await get(`${stats}&granularity=day`, alice);
    expect(answer.status).toBe(200);
    const body = answer.body;
    const where = `nmi = '${NMI}' AND suffix = 'E1' AND nem_interval_end > '2023-03-01 00:00' AND nem_interval_end <= '2023-04-01 00:00'`;
    const [total] = await query<{ n: string; total: string; average: string }>(
      `SELECT count(*) AS n, trim_scale(sum(kwh))::text AS total, round(avg(kwh), 6)::text AS average FROM channel_readings WHERE ${where}`,
    );
    expect(body).toMatchObject({ unit: 'kWh', energy: true, readings: Number(total.n), total: total.total, average: total.average, days: 31 });
    // Days by the interval's START (5-minute data): the reading ending at midnight is the day's last.
    const days = await query<{ period: string; readings: number; total: string }>(
      `SELECT (nem_interval_end - interval '5 minutes')::date::text AS period, count(*)::int AS readings, trim_scale(sum(kwh))::text AS total
       FROM channel_readings WHERE ${where} GROUP BY 1 ORDER BY 1`,
    );
    expect(body.series).toEqual(days);
    expect(body.series.every((d: { readings: number }) => d.readings === 288)).toBe(true);
    const [peak] = await query<{ intervalEnd: string; value: string }>(
      `SELECT nem_iso(interval_end) AS "intervalEnd", kwh::text AS value FROM channel_readings WHERE ${where} ORDER BY kwh DESC, interval_end LIMIT 1`,
    );
    expect(body.peak).toEqual(peak);
    const profile = await query<{ time: string; readings: number; average: string }>(
      `SELECT CASE WHEN nem_interval_end::time = '00:00' THEN '24:00' ELSE to_char(nem_interval_end, 'HH24:MI') END AS time,
              count(*)::int AS readings, round(avg(kwh), 6)::text AS average
       FROM channel_readings WHERE ${where} GROUP BY 1 ORDER BY 1`,
    );
    expect(body.profile).toHaveLength(288);
    expect(body.profile).toEqual(profile);
    const month = await get(`${stats}&granularity=month`, alice);
    expect(month.body.series).toEqual([{ period: '2023-03', readings: Number(total.n), total: total.total }]);
  });

  it('breaks totals down by the quality each reading carries (400 ranges applied)', async () => {
    const answer = await get(`/stats?nmi=${QUALITY_NMI}&suffix=E1&from=2004-04-17&to=2004-04-17&granularity=interval`, alice);
    expect(answer.status).toBe(200);
    const flags = await query<{ flag: string; readings: number; total: string }>(
      `SELECT quality::text AS flag, count(*)::int AS readings, trim_scale(sum(kwh))::text AS total FROM channel_readings WHERE nmi = $1 GROUP BY 1 ORDER BY 1`,
      [QUALITY_NMI],
    );
    expect(flags.length).toBeGreaterThan(1);
    expect(answer.body.quality).toEqual(flags);
    expect(answer.body.series).toHaveLength(48);
  });

  it('serves repeated queries from its cache, and a new load for the NMI invalidates it', async () => {
    const path = `${stats}&granularity=day`;
    const first = await get(path, alice);
    const again = await get(path, alice);
    expect(again.headers.get('x-cache')).toBe('hit');
    expect(again.headers.get('etag')).toBe(first.headers.get('etag'));
    expect(again.headers.get('cache-control')).toBe('private, no-cache');
    expect(again.body).toEqual(first.body);
    const revalidated = await get(path, alice, { 'If-None-Match': first.headers.get('etag')! });
    expect(revalidated.status).toBe(304);

    // A revision of 15 March (later UpdateDateTime) for the same NMI and channel.
    const channel = `200,${NMI},B1E1,E1,E1,E1,SERNO1234,kWh,5,`;
    const revision = nem12([HEADER, channel, day('20230315', Array(288).fill('0.5'), 'A,,,20230601000000,20230601000000'), '900']);
    expect((await finalStatus((await upload(Buffer.from(revision), `uploads/api-a/${alice.uid}/revision.csv`)).statusId)).readings).toMatchObject({ updated: 288 });

    const after = await get(path, alice);
    expect(after.headers.get('x-cache')).toBe('miss');
    expect(after.headers.get('etag')).not.toBe(first.headers.get('etag'));
    expect((await get(path, alice, { 'If-None-Match': first.headers.get('etag')! })).status).toBe(200);
    expect(after.body.series.find((d: { period: string }) => d.period === '2023-03-15')).toEqual({ period: '2023-03-15', readings: 288, total: '144' });
    const [total] = await query<{ total: string }>(
      `SELECT trim_scale(sum(kwh))::text AS total FROM channel_readings WHERE nmi = $1 AND suffix = 'E1' AND nem_interval_end > '2023-03-01' AND nem_interval_end <= '2023-04-01'`,
      [NMI],
    );
    expect(after.body.total).toBe(total.total);
    expect(after.body.total).not.toBe(first.body.total);
  });
});
