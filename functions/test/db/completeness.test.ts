import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompletenessDay, GapStream } from '../../src/api/apiTypes';
import { completenessOf, completenessSummary, gapStreams, rankedStreams } from '../../src/api/completenessQueries';
import { parseRegister } from '../../src/completeness/registerCsv';
import { loadFile } from '../../src/ingest/loadFile';
import { replaceRegister } from '../../src/load/register';
import { HEADER, nem12 } from '../unit/helpers';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nem12Json } from './nem12Cli';
import { freshDatabase, type TestDatabase } from './testDatabase';

// The completeness report against a real PostgreSQL, over files loaded the way `nem12 load` loads
// them (new days straight in; a revision staged and merged). Every figure is compared with a model
// of the fixture written here from its definition, day by day, without bitmaps or SQL.

const FROM = '2024-03-01';
const TO = '2024-03-31';
const WINDOW = 35;

interface StreamSpec {
  nmi: string;
  days: string[];
  /** Day -> empty intervals (their indexes). */
  empty?: Record<string, number[]>;
  estimated?: string[];
}

const dates = (from: string, to: string) => {
  const out: string[] = [];
  for (let t = Date.parse(from); t <= Date.parse(to); t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
};
const except = (list: string[], ...gone: string[]) => list.filter((d) => !gone.includes(d));
const FEB_MAR = dates('2024-02-01', '2024-03-31');

/** The first file: a history of eight streams. */
const HISTORY: StreamSpec[] = [
  { nmi: 'A000000001', days: FEB_MAR },
  { nmi: 'A000000002', days: except(FEB_MAR, '2024-03-10', '2024-03-11', '2024-03-12') },
  { nmi: 'A000000003', days: FEB_MAR, empty: { '2024-03-15': [3, 4], '2024-03-16': [0] } },
  { nmi: 'A000000004', days: FEB_MAR, estimated: ['2024-03-20'] },
  { nmi: 'A000000005', days: except(FEB_MAR, '2024-03-05') },
  { nmi: 'A000000006', days: dates('2024-02-01', '2024-03-10') },
  { nmi: 'A000000007', days: dates('2024-01-01', '2024-01-20') },
  // Stopped on 10 February: expected for 35 days more, to 16 March.
  { nmi: 'A000000008', days: dates('2024-01-01', '2024-02-10') },
];
/** The revision: fills A000000005's missing day and A000000003's empty interval of the 16th (newer). */
const REVISION: StreamSpec[] = [
  { nmi: 'A000000003', days: ['2024-03-16'] },
  { nmi: 'A000000005', days: ['2024-03-05'] },
];
const REGISTER = 'nmi,suffixes,from,to\nA000000009,,2024-03-10,\nA000000007,E1,2024-01-01,\n';

function fileOf(streams: StreamSpec[], updated: string): string {
  const lines = [HEADER];
  for (const stream of streams) {
    lines.push(`200,${stream.nmi},E1,1,E1,N1,M1,kWh,30,`);
    for (const date of stream.days) {
      const empty = stream.empty?.[date] ?? [];
      const values = Array.from({ length: 48 }, (_, i) => (empty.includes(i) ? '' : '0.5'));
      const quality = stream.estimated?.includes(date) ? 'E' : 'A';
      lines.push(`300,${date.replaceAll('-', '')},${values.join(',')},${quality === 'E' ? 'E52' : 'A'},,,${updated},`);
    }
  }
  lines.push('900');
  return nem12(lines);
}

/** What the report must say, from the fixture's definition: per day and per stream. */
function model(streams: StreamSpec[], register: { nmi: string; from: string }[]) {
  // The stored state: the last file's day wins (the revision is newer).
  const state = new Map<string, Map<string, { empty: number; estimated: boolean }>>();
  for (const stream of streams) {
    const days = state.get(stream.nmi) ?? new Map();
    for (const date of stream.days) days.set(date, { empty: stream.empty?.[date]?.length ?? 0, estimated: stream.estimated?.includes(date) ?? false });
    state.set(stream.nmi, days);
  }
  for (const entry of register) if (!state.has(entry.nmi)) state.set(entry.nmi, new Map());
  const days: Partial<CompletenessDay>[] = [];
  const perStream = new Map<string, { missing: string[]; partial: string[]; empty: number; estimated: string[]; readings: number; estimatedReadings: number }>();
  for (const date of dates(FROM, TO)) {
    const figures = { day: date, expected: 0, received: 0, complete: 0, partial: 0, missing: 0, readings: 0, actual: 0, estimated: 0 };
    for (const [nmi, stored] of state) {
      const mine = perStream.get(nmi) ?? { missing: [], partial: [], empty: 0, estimated: [], readings: 0, estimatedReadings: 0 };
      perStream.set(nmi, mine);
      const today = stored.get(date);
      const recent = dates(new Date(Date.parse(date) - WINDOW * 86_400_000).toISOString().slice(0, 10), date).some((d) => stored.has(d));
      const registered = register.some((entry) => entry.nmi === nmi && entry.from <= date);
      if (today !== undefined) {
        figures.expected++;
        figures.received++;
        const readings = 48 - today.empty;
        figures.readings += readings;
        if (today.estimated) figures.estimated += readings;
        else figures.actual += readings;
        if (today.empty > 0) {
          figures.partial++;
          mine.partial.push(date);
          mine.empty += today.empty;
        } else figures.complete++;
        mine.readings += readings;
        if (today.estimated) {
          mine.estimated.push(date);
          mine.estimatedReadings += readings;
        }
      } else if (recent || registered) {
        figures.expected++;
        figures.missing++;
        mine.missing.push(date);
      }
    }
    days.push(figures);
  }
  return { days, perStream };
}

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(() => db.drop());

async function report(org: string, status: 'missing' | 'partial' | 'estimated' = 'missing', limit = 100, after: { ordinal: number; days: number } | null = null) {
  const client = await db.pool.connect();
  try {
    const found = await completenessOf(client, org, FROM, TO);
    const summary = await completenessSummary(client, org, found);
    const page = rankedStreams(found, status, after, limit);
    return { summary, page, streams: await gapStreams(client, org, found, page.streams) };
  } finally {
    client.release();
  }
}

const load = async (org: string, name: string, text: string) => expect(await loadFile(db.pool, { open: () => [Buffer.from(text)], fileName: name, org })).toMatchObject({ ok: true });

describe('completeness of an organisation', () => {
  it('per day and per stream, exactly as the fixture says: gaps, a stopped stream, empty intervals, estimates, revisions, the register', async () => {
    await load('alice', 'history.csv', fileOf(HISTORY, '20240401120000'));
    await load('alice', 'revision.csv', fileOf(REVISION, '20240402120000'));
    const parsed = parseRegister(REGISTER);
    expect(parsed.errors).toEqual([]);
    await replaceRegister(db.pool, 'alice', parsed.entries);

    const expected = model([...HISTORY, ...REVISION], [
      { nmi: 'A000000009', from: '2024-03-10' },
      { nmi: 'A000000007', from: '2024-01-01' },
    ]);
    const { summary, page, streams } = await report('alice');
    expect(summary.days.map(({ substituted, variable, ...day }) => (expect(substituted + variable).toBe(0), day))).toEqual(expected.days);
    // Spot checks of the model itself, so that a wrong model cannot pass with wrong code.
    expect(summary.days.find((d) => d.day === '2024-03-11')).toMatchObject({ expected: 9, received: 4, missing: 5 });
    expect(summary.days.find((d) => d.day === '2024-03-05')).toMatchObject({ expected: 8, received: 6, missing: 2 });
    expect(summary.registered).toBe(2);
    expect(summary.streams).toEqual({ missing: 5, partial: 1, estimated: 1 });

    // Worst first: the registered stream not received since January, the registered NMI never
    // received, the streams that stopped (one expected to the end of its 35 days), the gap; not the stream filled by the revision.
    expect(streams.map((s) => [s.nmi, s.suffix, s.missingDays])).toEqual([
      ['A000000007', 'E1', 31],
      ['A000000009', null, 22],
      ['A000000006', 'E1', 21],
      ['A000000008', 'E1', 16],
      ['A000000002', 'E1', 3],
    ]);
    expect(page.total).toBe(5);
    for (const stream of streams) {
      const mine = expected.perStream.get(stream.nmi)!;
      expect(stream.missingDays).toBe(mine.missing.length);
      expect(stream.missing.flatMap((run) => dates(run.from, run.to))).toEqual(mine.missing);
    }
    expect(streams[4].missing).toEqual([{ from: '2024-03-10', to: '2024-03-12' }]);
    expect(streams[3].missing).toEqual([{ from: '2024-03-01', to: '2024-03-16' }]);
    expect(streams[0]).toMatchObject({ lastReceived: '2024-01-20', lastUpload: null, estimatedShare: null });
    expect(streams[1]).toMatchObject({ lastReceived: null, lastUpload: null });
    expect(streams[2]).toMatchObject({ lastReceived: '2024-03-10', lastUpload: { fileName: 'history.csv' } });

    const partial = await report('alice', 'partial');
    expect(partial.streams).toEqual([
      expect.objectContaining({ nmi: 'A000000003', partialDays: 1, emptyIntervals: 2, missingDays: 0, lastReceived: '2024-03-31', lastUpload: expect.objectContaining({ fileName: 'revision.csv' }) }),
    ]);
    const estimated = await report('alice', 'estimated');
    expect(estimated.streams).toEqual([expect.objectContaining({ nmi: 'A000000004', estimatedDays: 1, estimatedShare: 1 / 31 })]);
  });

  it('pages worst first with a keyset: every stream once, in order, whatever the page size', async () => {
    const all = (await report('alice')).streams.map((s: GapStream) => s.nmi);
    for (const limit of [1, 2, 3]) {
      const seen: string[] = [];
      let after: { ordinal: number; days: number } | null = null;
      for (;;) {
        const { page, streams } = await report('alice', 'missing', limit, after);
        seen.push(...streams.map((s) => s.nmi));
        if (page.next === null) break;
        after = page.next;
      }
      expect(seen).toEqual(all);
    }
  });

  it("another organisation's streams, gaps and register never show, and change nothing", async () => {
    const before = await report('alice');
    // Bob holds one of Alice's NMIs with gaps of its own, another NMI, and registers one of hers.
    await load('bob', 'bob.csv', fileOf([{ nmi: 'A000000001', days: except(FEB_MAR, '2024-03-20') }, { nmi: 'B000000001', days: dates('2024-02-01', '2024-03-01') }], '20240401120000'));
    await replaceRegister(db.pool, 'bob', parseRegister('A000000002,,,\n').entries);
    const after = await report('alice');
    expect(after.summary).toEqual(before.summary);
    expect(after.streams).toEqual(before.streams);
    const bob = await report('bob');
    expect(bob.streams.map((s) => [s.nmi, s.suffix, s.missingDays])).toEqual([
      ['A000000002', null, 31],
      ['B000000001', 'E1', 30],
      ['A000000001', 'E1', 1],
    ]);
    expect(bob.summary.days[0]).toMatchObject({ received: 2, missing: 1 });
  });

  it('an organisation with nothing stored: every day expects nothing', async () => {
    const { summary, streams } = await report('nobody');
    expect(summary.days).toHaveLength(31);
    expect(summary.days.every((d) => d.expected === 0 && d.missing === 0)).toBe(true);
    expect(streams).toEqual([]);
  });

  it('the CLI: nem12 register refuses a bad file whole and takes a good one; nem12 completeness prints the same summary', async () => {
    const work = mkdtempSync(join(tmpdir(), 'register-'));
    const bad = join(work, 'bad.csv');
    writeFileSync(bad, 'A000000001,E1\nA0000000x1,,2024-01-01\nA000000002,,2024-02-31\n');
    const refused = await nem12Json(db.url, ['register', bad, '--org', 'carol']);
    expect(refused.status).toBe(1);
    expect(refused.json).toMatchObject({ ok: false, errorCount: 2, errors: [{ line: 2, code: 'INVALID_NMI' }, { line: 3, code: 'INVALID_DATE' }] });
    expect(await db.query("SELECT * FROM nmi_register WHERE org_id = 'carol'")).toEqual([]);
    const good = join(work, 'good.csv');
    writeFileSync(good, 'A000000001,E1\nA000000002,,2024-03-20,2024-03-25\n');
    expect(await nem12Json(db.url, ['register', good, '--org', 'carol'])).toMatchObject({ status: 0, json: { ok: true, lines: 2, nmis: 2 } });
    const printed = await nem12Json(db.url, ['completeness', '--org', 'carol', '--from', FROM, '--to', TO]);
    expect(printed.status).toBe(0);
    const { summary, streams } = await report('carol');
    expect(printed.json).toEqual(JSON.parse(JSON.stringify({ ...summary, worstMissing: streams })));
    expect(streams.map((s) => [s.nmi, s.suffix, s.missingDays])).toEqual([
      ['A000000001', 'E1', 31],
      ['A000000002', null, 6],
    ]);
  });
});
