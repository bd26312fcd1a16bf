import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DaySet } from '../src/daySet.js';
import { FUZZ } from './nem12Arbitraries.js';

/** What a DaySet must answer, from a plain Set. */
function model(days: number[]) {
  const set = new Set<number>();
  const added = days.map((day) => (set.has(day) ? false : (set.add(day), true)));
  const sorted = [...set].sort((a, b) => a - b);
  const gaps: [number, number][] = [];
  for (let i = 1; i < sorted.length; i++) if (sorted[i] > sorted[i - 1] + 1) gaps.push([sorted[i - 1] + 1, sorted[i] - 1]);
  const span = sorted.length ? sorted.at(-1)! - sorted[0] + 1 : 0;
  return { added, set, gaps, size: set.size, missing: sorted.length ? span - set.size : 0 };
}

// The run fast path (days without gaps) and the bitmap answer alike, whatever the order of the days.
describe('DaySet', () => {
  const day = fc.oneof(fc.integer({ min: 738_000, max: 738_040 }), fc.integer({ min: -25_000, max: 2_900_000 }));
  const sequences = fc.oneof(
    fc.array(day, { maxLength: 60 }),
    // Runs in order, backwards, or with a repeat or a gap at some point: the shapes the fast path takes and leaves.
    fc.tuple(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 1, max: 400 }), fc.boolean(), fc.array(day, { maxLength: 3 })).map(([start, length, backwards, extra]) => {
      const run = Array.from({ length }, (_, i) => start + (backwards ? length - 1 - i : i));
      return [...run, ...extra];
    }),
  );

  it('adds, finds, counts and lists gaps as a plain set does', () => {
    fc.assert(
      fc.property(sequences, fc.array(day, { maxLength: 20 }), (days, probes) => {
        const set = new DaySet();
        const expected = model(days);
        expect(days.map((d) => set.add(d))).toEqual(expected.added);
        expect(set.size).toBe(expected.size);
        expect(set.missing).toBe(expected.missing);
        expect([...set.gaps()]).toEqual(expected.gaps);
        if (expected.size > 0) {
          expect(set.min).toBe(Math.min(...expected.set));
          expect(set.max).toBe(Math.max(...expected.set));
        }
        for (const probe of [...probes, ...days]) expect(set.has(probe)).toBe(expected.set.has(probe));
      }),
      { seed: FUZZ.seed, numRuns: FUZZ.runs(300) },
    );
  });
});
