import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRegister } from '../../src/completeness/registerCsv';
import { bitmapWords, placePage } from '../../src/completeness/streamBitmaps';
import { FUZZ } from '../../../nem12/test/fuzz';
import { rankStreams, sweepStreams, WINDOW_DAYS, type RegisterPeriod } from '../../src/completeness/streamSweep';

// The completeness core against a model: every stream and day checked one by one, the way the
// rule is written (received that day or in the 35 before, or registered), with no bitmap tricks.

interface World {
  streams: number;
  from: number;
  to: number;
  /** Per stream: the day numbers received. */
  received: Set<number>[];
  register: RegisterPeriod[];
}

const world: fc.Arbitrary<World> = fc
  .record({
    streams: fc.integer({ min: 0, max: 40 }),
    span: fc.integer({ min: 1, max: 50 }),
    density: fc.double({ min: 0, max: 1, noNaN: true }),
    seed: fc.integer(),
    registered: fc.array(fc.record({ ordinal: fc.integer({ min: 0, max: 45 }), from: fc.integer({ min: -60, max: 60 }), length: fc.integer({ min: 0, max: 80 }) }), { maxLength: 6 }),
  })
  .map(({ streams, span, density, seed, registered }) => {
    const from = 1000;
    const to = from + span - 1;
    let state = seed;
    const next = () => ((state = (Math.imul(state, 1103515245) + 12345) | 0) >>> 0) / 2 ** 32;
    // Streams that arrive in runs with gaps, some stopping: each day kept with the stream's density.
    const received = Array.from({ length: streams }, () => {
      const days = new Set<number>();
      const stop = from - WINDOW_DAYS + Math.floor(next() * (span + WINDOW_DAYS + 10));
      for (let day = from - WINDOW_DAYS - 5; day <= to; day++) if (day <= stop && next() < density) days.add(day);
      return days;
    });
    const register = registered.map((r) => ({ ordinal: r.ordinal, from: r.from < -55 ? -Infinity : from + r.from, to: r.length > 75 ? Infinity : from + r.from + r.length }));
    return { streams, from, to, received, register };
  });

/** Days' sets as stored (a page of bytes, least significant bit first), then placed as the API places them. */
function bitmapsOf(w: World): Map<number, Uint32Array> {
  const pages = new Map<number, Uint8Array>();
  w.received.forEach((days, ordinal) => {
    for (const day of days) {
      let page = pages.get(day);
      if (page === undefined) pages.set(day, (page = new Uint8Array(Math.ceil(w.streams / 8))));
      page[ordinal >> 3] |= 1 << (ordinal & 7);
    }
  });
  const maps = new Map<number, Uint32Array>();
  for (const [day, page] of pages) {
    const words = bitmapWords(w.streams);
    placePage(words, 0, page);
    maps.set(day, words);
  }
  return maps;
}

function modelMissing(w: World, ordinal: number, day: number): boolean {
  const days = w.received[ordinal] ?? new Set<number>();
  if (days.has(day)) return false;
  for (let back = 1; back <= WINDOW_DAYS; back++) if (days.has(day - back)) return true;
  return w.register.some((period) => period.ordinal === ordinal && period.from <= day && day <= period.to);
}

describe('the stream sweep', () => {
  it('finds exactly the missing days of every stream, per day and per stream, register included (property)', () => {
    fc.assert(
      fc.property(world, (w) => {
        const sweep = sweepStreams({ from: w.from, to: w.to, streams: w.streams, received: bitmapsOf(w), partial: new Map(), flagged: new Map(), register: w.register });
        const ordinals = Math.max(w.streams, ...w.register.map((r) => r.ordinal + 1));
        for (let day = w.from; day <= w.to; day++) {
          let missing = 0;
          for (let ordinal = 0; ordinal < ordinals; ordinal++) if (modelMissing(w, ordinal, day)) missing++;
          expect(sweep.missingPerDay[day - w.from]).toBe(missing);
        }
        for (let ordinal = 0; ordinal < ordinals; ordinal++) {
          const days: number[] = [];
          for (let day = w.from; day <= w.to; day++) if (modelMissing(w, ordinal, day)) days.push(day);
          expect(sweep.missingDays[ordinal] ?? 0).toBe(days.length);
          const runs = sweep.missingRuns.get(ordinal) ?? [];
          const listed: number[] = [];
          for (let i = 0; i < runs.length; i += 2) {
            // Runs are maximal: the day after one is not missing.
            expect(runs[i + 1] >= runs[i]).toBe(true);
            for (let day = runs[i]; day <= runs[i + 1]; day++) listed.push(day);
            if (i > 0) expect(runs[i]).toBeGreaterThan(runs[i - 1] + 1);
          }
          expect(listed).toEqual(days);
        }
      }),
      { seed: FUZZ.seed, numRuns: FUZZ.runs(300) },
    );
  });

  it('counts partial and flagged days per stream within the range only', () => {
    const bitmap = (ordinals: number[]) => {
      const b = new Uint8Array(2);
      for (const o of ordinals) b[o >> 3] |= 1 << (o & 7);
      const words = bitmapWords(12);
      placePage(words, 0, b);
      return words;
    };
    const sweep = sweepStreams({
      from: 10,
      to: 12,
      streams: 12,
      received: new Map([[10, bitmap([0, 1, 9, 11])], [11, bitmap([0, 1, 9, 11])], [12, bitmap([0, 1, 9, 11])]]),
      partial: new Map([[9, bitmap([0])], [10, bitmap([0, 11])], [12, bitmap([0])]]),
      flagged: new Map([[11, bitmap([9])], [13, bitmap([9])]]),
      register: [],
    });
    expect([...sweep.partialDays]).toEqual([2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect([...sweep.flaggedDays]).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0]);
    expect([...bitmap([0, 11])]).toEqual([(1 << 0) | (1 << 11)]);
  });

  it('places stored pages of 8,192 streams at their place in a day of words', () => {
    const words = bitmapWords(20_000);
    const first = new Uint8Array(1024);
    first[1023] = 0x80; // ordinal 8191
    const second = new Uint8Array(1024);
    second[0] = 0x03; // ordinals 8192 and 8193
    second[1] = 0x01; // 8200
    placePage(words, 0, first);
    placePage(words, 1, second);
    const set = [...words].flatMap((word, k) => Array.from({ length: 32 }, (_, b) => ((word >>> b) & 1 ? k * 32 + b : -1))).filter((o) => o >= 0);
    expect(set).toEqual([8191, 8192, 8193, 8200]);
  });

  it('ranks worst first, then by ordinal, and pages by keyset without repeating or skipping', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 60 }), fc.integer({ min: 1, max: 7 }), (counts, limit) => {
        const sweep = { from: 0, to: 0, missingPerDay: new Int32Array(1), missingDays: Int32Array.from(counts), partialDays: new Int32Array(counts.length), flaggedDays: new Int32Array(counts.length), missingRuns: new Map() };
        const expected = counts.map((days, ordinal) => ({ ordinal, days })).filter((s) => s.days > 0).sort((a, b) => b.days - a.days || a.ordinal - b.ordinal);
        const seen = [];
        let after = null;
        for (;;) {
          const page = rankStreams(sweep, 'missing', after, limit);
          expect(page.streams.length).toBeLessThanOrEqual(limit);
          seen.push(...page.streams);
          if (page.next === null) break;
          after = page.next;
        }
        expect(seen).toEqual(expected);
      }),
      { seed: FUZZ.seed, numRuns: FUZZ.runs(200) },
    );
  });
});

describe('the register file', () => {
  it('takes NMIs with or without suffixes and open dates, header or not', () => {
    expect(parseRegister('nmi,suffixes,from,to\r\nNMI0000001,E1 B1,2024-01-01,\r\nNMI0000002,,,20240630\r\n\r\nNMI0000003\r\n')).toEqual({
      entries: [
        { line: 2, nmi: 'NMI0000001', suffixes: ['E1', 'B1'], from: '2024-01-01', to: null },
        { line: 3, nmi: 'NMI0000002', suffixes: [], from: null, to: '2024-06-30' },
        { line: 5, nmi: 'NMI0000003', suffixes: [], from: null, to: null },
      ],
      errors: [],
      errorCount: 0,
    });
  });

  it('reports every problem with its line and a stable code, and nothing is corrected', () => {
    const text = [
      'NMI000001',
      ' NMI0000002',
      'nmi0000003',
      'NMI0000004,e1',
      'NMI0000005,E1  B1',
      'NMI0000006,E1 E1',
      'NMI0000007,,2024-02-30',
      'NMI0000008,,2024-03-01,2024-02-01',
      'NMI0000009,E1,2024-01-01,2024-12-31',
      'NMI0000009,B1 E1,2024-06-01,',
      'NMI0000009,B1,2023-01-01,2023-12-31',
      'NMI0000010,,,,extra',
    ].join('\n');
    const parsed = parseRegister(text);
    expect(parsed.errors.map((e) => [e.line, e.code])).toEqual([
      [1, 'INVALID_NMI'],
      [2, 'INVALID_NMI'],
      [3, 'INVALID_NMI'],
      [4, 'INVALID_SUFFIX'],
      [5, 'INVALID_SUFFIX'],
      [6, 'REPEATED_SUFFIX'],
      [7, 'INVALID_DATE'],
      [8, 'DATES_REVERSED'],
      [10, 'OVERLAPPING_ENTRY'],
      [12, 'COLUMN_COUNT'],
    ]);
    expect(parsed.errorCount).toBe(10);
    expect(parsed.errors[8].message).toBe('NMI0000009 is already registered by line 9 for E1, 2024-01-01 to 2024-12-31.');
    // The lines without a problem are read; the caller takes the register whole or not at all.
    expect(parsed.entries.map((e) => e.line)).toEqual([9, 11]);
  });

  it('stops at a line that is not CSV, saying where', () => {
    const parsed = parseRegister('NMI0000001,,2024-01-01,\nNMI0000002,"E1,2024-01-01\n');
    expect(parsed.errors).toEqual([expect.objectContaining({ code: 'CSV_SYNTAX', line: 2 })]);
  });
});
