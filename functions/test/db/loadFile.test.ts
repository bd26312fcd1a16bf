import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadFile, type LoadResult } from '../../src/ingest/loadFile';
import { CHANNEL_E1, corpusFile, day, HEADER, nem12 } from '../unit/helpers';
import { FUZZ } from '../../../nem12/test/fuzz';
import { freshDatabase, type TestDatabase } from './testDatabase';

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(() => db.drop());
beforeEach(async () => {
  await db.query('TRUNCATE days, channels, uploads RESTART IDENTITY CASCADE');
});

function load(content: string | Buffer, fileName = 'test.csv'): Promise<LoadResult> {
  const bytes = typeof content === 'string' ? Buffer.from(content) : content;
  return loadFile(db.pool, { org: 'local', open: () => [bytes], fileName });
}

const count = async (table: string) => Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`))[0].n);

interface Row {
  nmi: string;
  suffix: string;
  interval_end: Date;
  value: string;
  uom: string;
  kwh: string | null;
  quality: string;
  method: number | null;
  reason_code: number | null;
}
const readings = (where = 'true') =>
  db.query<Row>(`SELECT nmi, suffix, interval_end, value::text, uom, kwh::text, quality, method, reason_code FROM channel_readings WHERE ${where} ORDER BY nmi, suffix, interval_end`);

describe('loading a file', () => {
  it('stores every reading with its stream, interval end, unit, kWh and quality', async () => {
    const result = await load(corpusFile('nem-reader/unzipped/Example_NEM12_multiple_quality.csv'));
    expect(result).toMatchObject({ ok: true, readings: 48, new: 48, updated: 0, unchanged: 0 });
    const rows = await readings();
    expect(rows).toHaveLength(48);
    expect(rows[0]).toMatchObject({ nmi: 'CCCC123456', suffix: 'E1', value: '18.023', uom: 'kWh', kwh: '18.023', quality: 'F', method: 14, reason_code: 76 });
    expect(rows[0].interval_end.toISOString()).toBe('2004-04-16T14:30:00.000Z'); // 2004-04-17 00:30 NEM time
    expect(rows[47].interval_end.toISOString()).toBe('2004-04-17T14:00:00.000Z'); // midnight ending the day
    expect(rows.slice(20, 24).every((r) => r.quality === 'A' && r.method === null)).toBe(true);
    expect(rows[24]).toMatchObject({ quality: 'S', method: 14, reason_code: 1 });
    const [sum] = await db.query<{ total: string }>('SELECT sum(value)::text AS total FROM readings');
    expect(sum.total).toBe('896.990');
  });

  it('keeps E1 and E2 of one NMI apart, converts Wh exactly, and never counts VArh as kWh', async () => {
    await load(corpusFile('nem-reader/unzipped/Example_NEM12_multiple_meters.csv'));
    const totals = await db.query<{ nmi: string; suffix: string; n: string; value: string; kwh: string | null }>(
      'SELECT nmi, suffix, count(*) AS n, sum(value)::text AS value, sum(kwh)::text AS kwh FROM channel_readings GROUP BY 1, 2 ORDER BY 1, 2',
    );
    expect(totals).toEqual([
      { nmi: 'NCDE001111', suffix: 'B1', n: '192', value: '1920', kwh: '1.92' },
      { nmi: 'NCDE001111', suffix: 'E1', n: '192', value: '1920', kwh: '1.92' },
      { nmi: 'NCDE001111', suffix: 'E2', n: '192', value: '19200', kwh: '19.2' },
      { nmi: 'NCDE001111', suffix: 'Q1', n: '192', value: '9600', kwh: null },
      { nmi: 'NDDD001888', suffix: 'B1', n: '192', value: '3840', kwh: '3.84' },
      { nmi: 'NDDD001888', suffix: 'K2', n: '192', value: '9600', kwh: null },
    ]);
  });

  it('meter_readings (the Flo shape) sums E channels per NMI and interval, in NEM time, without B or Q', async () => {
    await load(corpusFile('nem-reader/unzipped/Example_NEM12_multiple_meters.csv'));
    const rows = await db.query<{ nmi: string; timestamp: Date; consumption: string }>(
      `SELECT nmi, to_char("timestamp", 'YYYY-MM-DD HH24:MI') AS timestamp, consumption::text FROM meter_readings ORDER BY nmi, "timestamp"`,
    );
    // NDDD001888 has only B1 and K2: no consumption rows. NCDE001111: E1 + E2 per 15 minutes.
    expect(new Set(rows.map((r) => r.nmi))).toEqual(new Set(['NCDE001111']));
    expect(rows).toHaveLength(192);
    const [check] = await db.query<{ mismatches: string }>(
      `SELECT count(*) AS mismatches FROM meter_readings m
       WHERE m.consumption <> (SELECT sum(kwh) FROM channel_readings c WHERE c.nmi = m.nmi AND c.suffix IN ('E1', 'E2') AND c.nem_interval_end = m."timestamp")`,
    );
    expect(check.mismatches).toBe('0');
    expect(rows[0].timestamp).toBe('2003-12-04 00:15');
  });

  it('loads zip files by content', async () => {
    const result = await load(corpusFile('nem-reader/Example_NEM12_ManyNMIs.zip'), 'many.zip');
    expect(result).toMatchObject({ ok: true, readings: 57_024, new: 57_024 });
    expect(await count('readings')).toBe(57_024);
    expect(await count('channels')).toBe(198);
  });

  it('does not store empty intervals', async () => {
    const values = Array(48).fill('1');
    values[3] = '';
    const result = await load(nem12([HEADER, CHANNEL_E1, day('20040201', values), '900']));
    expect(result).toMatchObject({ ok: true, readings: 47, new: 47 });
    expect(await count('readings')).toBe(47);
  });
});

describe('every value form NEM12 allows', () => {
  // The loader renders values as PostgreSQL prints them (its check of what was written compares
  // that text): leading zeros, a leading or trailing point, long fractions must all load as written.
  const decimal = fc
    .tuple(fc.stringMatching(/^[0-9]{0,15}$/), fc.option(fc.stringMatching(/^[0-9]{0,15}$/), { nil: undefined }))
    .filter(([int, frac]) => int !== '' || (frac !== undefined && frac !== ''))
    .map(([int, frac]) => (frac === undefined ? int : `${int}.${frac}`));
  const dayOfValues = fc.array(fc.oneof({ weight: 5, arbitrary: decimal }, { weight: 1, arbitrary: fc.constant('') }), { minLength: 48, maxLength: 48 });

  it('loads and verifies days of any valid decimals and empty intervals, values equal to the file', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(dayOfValues, async (values) => {
        await db.query('TRUNCATE days, channels, uploads RESTART IDENTITY CASCADE');
        const result = await load(nem12([HEADER, CHANNEL_E1, day('20040201', values), '900']));
        expect(result.issues.errors).toEqual([]);
        const present = values.filter((v) => v !== '').length;
        expect(result).toMatchObject({ ok: true, readings: present, new: present });
        const [stored] = await db.query<{ equal: boolean }>(
          `SELECT intervals = $1::numeric[] AS equal FROM days`,
          [`{${values.map((v) => (v === '' ? 'NULL' : v)).join(',')}}`],
        );
        expect(stored.equal).toBe(true);
      }),
      { seed: FUZZ.seed, numRuns: FUZZ.runs(40) },
    );
  });

  it('loads complete days of any valid decimals (the fast path: one scan for forms and peak) with their values and peak', { timeout: 120_000 }, async () => {
    // Mostly plain values with now and then an odd form, as files have them: a day's text is
    // rewritten only when one of its values is one PostgreSQL prints otherwise.
    const plain = fc.stringMatching(/^[1-9][0-9]{0,3}\.[0-9]{3}$/);
    const completeDay = fc.array(fc.oneof({ weight: 20, arbitrary: plain }, { weight: 1, arbitrary: decimal }), { minLength: 48, maxLength: 48 });
    await fc.assert(
      fc.asyncProperty(completeDay, async (values) => {
        await db.query('TRUNCATE days, channels, uploads RESTART IDENTITY CASCADE');
        const result = await load(nem12([HEADER, CHANNEL_E1, day('20040201', values), '900']));
        expect(result).toMatchObject({ ok: true, readings: 48, new: 48 });
        const [stored] = await db.query<{ equal: boolean; peak: boolean }>(
          `SELECT intervals = $1::numeric[] AS equal,
                  peak = (SELECT max(v) FROM unnest($1::numeric[]) v)
                  AND peak_interval = (SELECT min(i) FROM unnest($1::numeric[]) WITH ORDINALITY u(v, i) WHERE v = peak) AS peak
           FROM days`,
          [`{${values.join(',')}}`],
        );
        expect(stored).toEqual({ equal: true, peak: true });
      }),
      { seed: FUZZ.seed, numRuns: FUZZ.runs(40) },
    );
  });
});

describe('exactly once', () => {
  it('loading the same file twice changes nothing and reports 0 new', async () => {
    const file = corpusFile('nem-reader/unzipped/Example_NEM12_month_solar.csv');
    const first = await load(file);
    expect(first).toMatchObject({ new: 17_856, updated: 0 });
    const before = await db.query('SELECT * FROM readings ORDER BY channel_id, interval_end');
    const second = await load(file);
    expect(second).toMatchObject({ ok: true, new: 0, updated: 0, unchanged: 17_856 });
    expect(second.days).toEqual({ insert: 0, merge: 0, skip: 62 });
    expect(await db.query('SELECT * FROM readings ORDER BY channel_id, interval_end')).toEqual(before);
    expect(await count('uploads')).toBe(1);
  });

  it('a re-send that overlaps stored days loads only what is new or changed', async () => {
    await load(nem12([HEADER, CHANNEL_E1, day('20240101'), day('20240102'), '900']));
    const resend = await load(nem12([HEADER, CHANNEL_E1, day('20240102'), day('20240103'), '900']));
    expect(resend).toMatchObject({ new: 48, updated: 0, unchanged: 48, days: { insert: 1, merge: 0, skip: 1 } });
    expect(await count('readings')).toBe(144);
  });

  it('a rejected file leaves nothing behind, not even its upload or channels', async () => {
    const result = await load(nem12([HEADER, CHANNEL_E1, day('20040201'), '200,NEWNMI0001,E1,1,E1,N1,M,kWh,30,', day('20040201', ['x', ...Array(47).fill('1')]), '900']));
    expect(result.ok).toBe(false);
    expect(result.issues.errors.map((e) => [e.code, e.line])).toEqual([['INVALID_VALUE', 5]]);
    for (const table of ['readings', 'days', 'channels', 'uploads']) expect(await count(table), table).toBe(0);
  });

  it('a load that fails half-way (the source breaks on the second pass) leaves nothing behind', async () => {
    const bytes = corpusFile('nem-reader/unzipped/Example_NEM12_month_solar.csv');
    let opened = 0;
    const breaking = function* () {
      opened++;
      yield bytes.subarray(0, 30_000);
      if (opened === 2) throw new Error('storage read failed');
      yield bytes.subarray(30_000);
    };
    await expect(loadFile(db.pool, { org: 'local', open: breaking, fileName: 'x.csv' })).rejects.toThrow('storage read failed');
    for (const table of ['readings', 'days', 'channels', 'uploads']) expect(await count(table), table).toBe(0);
  });
});

describe('revisions', () => {
  const e1 = (value: string, updated: string) => nem12([HEADER, CHANNEL_E1, day('20240301', Array(48).fill(value), `A,,,${updated},`), '900']);
  const stored = async () => (await readings()).map((r) => r.value);

  it('the newer UpdateDateTime wins, whatever the order files arrive in', async () => {
    const older = e1('1.5', '20240302010000');
    const newer = e1('2.5', '20240303010000');
    await load(older);
    const update = await load(newer);
    expect(update).toMatchObject({ new: 0, updated: 48, unchanged: 0 });
    expect(new Set(await stored())).toEqual(new Set(['2.5']));

    await db.query('TRUNCATE days, channels, uploads RESTART IDENTITY CASCADE');
    await load(newer);
    const late = await load(older);
    expect(late).toMatchObject({ new: 0, updated: 0, unchanged: 48 });
    expect(new Set(await stored())).toEqual(new Set(['2.5']));
  });

  it('substituted readings replaced by actuals, per interval, with their quality', async () => {
    const estimated = nem12([HEADER, CHANNEL_E1, day('20240301', Array(48).fill('1'), 'E52,,,20240302010000,'), '900']);
    const partlyActual = nem12([HEADER, CHANNEL_E1, day('20240301', Array(48).fill('1.25'), 'V,,,20240305010000,'), '400,1,24,A,,', '400,25,48,E52,,', '900']);
    await load(estimated);
    const result = await load(partlyActual);
    // Intervals 25-48 keep value 1.25 vs 1 too: they all change (value differs), with their own quality.
    expect(result).toMatchObject({ updated: 48 });
    const rows = await readings();
    expect(rows.slice(0, 24).every((r) => r.quality === 'A' && r.value === '1.25')).toBe(true);
    expect(rows.slice(24).every((r) => r.quality === 'E' && r.method === 52)).toBe(true);
  });

  it('a day repeated within one file: the later row wins on a tie, the newer UpdateDateTime otherwise', async () => {
    const tie = await load(nem12([HEADER, CHANNEL_E1, day('20240301', Array(48).fill('1')), day('20240301', Array(48).fill('3')), '900']));
    expect(tie).toMatchObject({ ok: true, new: 48, readings: 96, unchanged: 48 });
    expect(new Set(await stored())).toEqual(new Set(['3']));

    await db.query('TRUNCATE days, channels, uploads RESTART IDENTITY CASCADE');
    await load(
      nem12([HEADER, CHANNEL_E1, day('20240301', Array(48).fill('7'), 'A,,,20240305000000,'), day('20240301', Array(48).fill('3'), 'A,,,20240304000000,'), '900']),
    );
    expect(new Set(await stored())).toEqual(new Set(['7']));
  });

  it('equal values written differently (1.50 and 1.5) are not an update', async () => {
    await load(e1('1.50', '20240302010000'));
    const again = await load(e1('1.5', '20240302010000'));
    expect(again).toMatchObject({ new: 0, updated: 0, unchanged: 48 });
  });
});
