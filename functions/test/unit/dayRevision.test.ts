import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareDecimal } from 'nem12';
import { compareRevisions, countChanges, figuresOf, mergeDay, type DayState, type Revision } from '../../src/days';
import { FUZZ } from '../../../nem12/test/fuzz';

// The revision rule on stored days: whatever order revisions arrive in, each interval ends up with
// the value (and quality) of the newest revision that has one there.
const COUNT = 8;
const flags = ['A', 'E', 'F', 'S', 'N'] as const;

const revisionState = (revision: Revision, values: (string | null)[], flag: (typeof flags)[number], intervalLength = 30): DayState => ({
  intervalLength,
  uom: 'kWh',
  kwhFactor: '1',
  values,
  runs: [{ to: values.length, flag, method: flag === 'A' ? null : 14, reasonCode: null, revision: 0 }],
  revision,
  older: [],
  fingerprint: `${revision.updatedAt}|${revision.uploadId}|${revision.line}|${values.join(',')}|${flag}`,
});

const revisions = fc
  .uniqueArray(
    fc.record({
      hour: fc.integer({ min: 0, max: 5 }),
      uploadId: fc.integer({ min: 1, max: 4 }),
      line: fc.integer({ min: 1, max: 50 }),
      values: fc.array(fc.option(fc.integer({ min: 0, max: 99 }).map(String), { freq: 3 }), { minLength: COUNT, maxLength: COUNT }),
      flag: fc.constantFrom(...flags),
    }),
    { minLength: 1, maxLength: 5, selector: (r) => `${r.hour}|${r.uploadId}|${r.line}` },
  )
  .map((list) =>
    list.map((r) => revisionState({ updatedAt: r.hour === 0 ? null : `2024-01-0${r.hour}T00:00:00+10:00`, uploadId: r.uploadId, line: r.line }, r.values, r.flag)),
  );

function fold(states: DayState[]): DayState | null {
  let current: DayState | null = null;
  for (const state of states) current = mergeDay(current, state).state;
  return current;
}

/** Interval i's (value, flag) in a stored day. */
function cells(state: DayState): string[] {
  return state.values.map((value, i) => {
    const run = state.runs.find((r) => r.to >= i + 1)!;
    return value === null ? '_' : `${value}:${run.flag}`;
  });
}

describe('mergeDay', () => {
  it('any arrival order gives each interval the newest revision that has a value there', () => {
    fc.assert(
      fc.property(revisions, fc.nat(), (states, seed) => {
        const shuffled = [...states].sort((a, b) => ((a.revision.line * 7919 + seed) % 101) - ((b.revision.line * 7919 + seed) % 101));
        const expected = Array.from({ length: COUNT }, (_, i) => {
          const holders = states.filter((s) => s.values[i] !== null).sort((a, b) => compareRevisions(b.revision, a.revision));
          return holders.length === 0 ? '_' : `${holders[0].values[i]}:${holders[0].runs[0].flag}`;
        });
        const inOrder = fold(states)!;
        const reordered = fold(shuffled)!;
        expect(cells(inOrder)).toEqual(expected);
        expect(cells(reordered)).toEqual(expected);
        // The day's winner (and its fingerprint) is the newest revision, whatever the order.
        const newest = [...states].sort((a, b) => compareRevisions(b.revision, a.revision))[0];
        expect(reordered.revision).toEqual(newest.revision);
        expect(reordered.fingerprint).toBe(newest.fingerprint);
        // Runs tile the day, and older revisions are only those some interval still comes from.
        expect(reordered.runs.at(-1)!.to).toBe(COUNT);
        const used = new Set(reordered.runs.map((r) => r.revision));
        reordered.older.forEach((_, k) => expect(used.has(k + 1)).toBe(true));
      }),
      { seed: FUZZ.seed, numRuns: FUZZ.runs(2000) },
    );
  });

  it('counts what an upload did: new where nothing was, updated where it replaced a value; the rest changed nothing', () => {
    const older = revisionState({ updatedAt: '2024-01-01T00:00:00+10:00', uploadId: 1, line: 3 }, ['1', '1', null, '1', '1', '1', '1', '1'], 'A');
    const newer = revisionState({ updatedAt: '2024-01-02T00:00:00+10:00', uploadId: 2, line: 3 }, ['2', '1.0', '2', null, '1', '1', '1', '1'], 'A');
    const outcome = mergeDay(older, newer);
    expect(outcome.changed).toBe(true);
    // Interval 1 changes, 2 and 5-8 are the same number and quality but of another UpdateDateTime: replaced too.
    expect(countChanges(older, outcome.state, 2)).toEqual({ new: 1, updated: 6 });
    expect(outcome.state.values).toEqual(['2', '1.0', '2', '1', '1', '1', '1', '1']);
    // Interval 4, left empty by the newer revision, keeps the older value and says where it comes from.
    expect(outcome.state.runs.map((r) => [r.to, r.revision])).toEqual([[3, 0], [4, 1], [8, 0]]);
    expect(outcome.state.older).toEqual([older.revision]);
    // The older one arriving again changes nothing.
    expect(mergeDay(outcome.state, older)).toMatchObject({ changed: false });
    // Two revisions of one upload (a day twice in a file) on a new day: each interval counts once.
    const second = revisionState({ updatedAt: '2024-01-02T00:00:00+10:00', uploadId: 1, line: 9 }, Array(8).fill('3'), 'A');
    expect(countChanges(null, mergeDay(mergeDay(null, older).state, second).state, 1)).toEqual({ new: 8, updated: 0 });
  });

  it('a winner with another interval length or unit replaces the day whole; a loser changes nothing', () => {
    const fifteen = { ...revisionState({ updatedAt: '2024-01-01T00:00:00+10:00', uploadId: 1, line: 3 }, Array(16).fill('0.5'), 'A', 15) };
    const thirty = revisionState({ updatedAt: '2024-01-02T00:00:00+10:00', uploadId: 2, line: 3 }, Array(8).fill('1'), 'A');
    for (const state of [fold([fifteen, thirty])!, fold([thirty, fifteen])!]) {
      expect(state.values).toEqual(Array(8).fill('1'));
      expect(state.intervalLength).toBe(30);
    }
    const inWh = { ...revisionState({ updatedAt: '2024-01-03T00:00:00+10:00', uploadId: 3, line: 3 }, Array(8).fill('1000'), 'A'), uom: 'Wh' };
    expect(fold([thirty, inWh])!.values).toEqual(Array(8).fill('1000'));
  });

  it('a re-send of the stored revision changes nothing', () => {
    const day = revisionState({ updatedAt: null, uploadId: 1, line: 3 }, Array(8).fill('1'), 'A');
    expect(mergeDay(day, { ...day, revision: { ...day.revision, uploadId: 9 } })).toEqual({ changed: false, state: day });
  });
});

describe('figuresOf', () => {
  it('counts, sums exactly, converts to kWh and finds the first peak by value', () => {
    expect(figuresOf(['1.5', null, '10.25', '9.5', '10.250'], '0.001')).toEqual({ readings: 4, total: '31.5', kwh: '0.0315', peak: '10.25', peakInterval: 3 });
    expect(figuresOf([null, null], null)).toEqual({ readings: 0, total: null, kwh: null, peak: null, peakInterval: null });
  });

  it('compares decimals by value', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 9 }), fc.integer({ min: 0, max: 10 ** 9 }), fc.integer({ min: 0, max: 4 }), (a, b, zeros) => {
        const text = (n: number) => `${'0'.repeat(zeros)}${(n / 1000).toFixed(3)}${'0'.repeat(zeros)}`;
        expect(Math.sign(compareDecimal(text(a), text(b)))).toBe(Math.sign(a - b));
      }),
      { seed: FUZZ.seed, numRuns: FUZZ.runs(500) },
    );
  });
});
