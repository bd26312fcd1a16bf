import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { parseNem12 } from '../src/index.js';
import { HEADER, nem12 } from './helpers.js';

// Time linear in size, for the shapes that once were quadratic or ran away (hard-wrap chains, channels
// dated 1900 and 9999). Complexity, not speed: the size grows 8x and the time may grow at most 24x
// (a quadratic parser grows 64x), best of five runs each, so a busy machine does not decide it.
function bestTime(text: string): number {
  const bytes = new TextEncoder().encode(text);
  let best = Infinity;
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    parseNem12(bytes);
    best = Math.min(best, performance.now() - started);
  }
  return Math.max(best, 1);
}

function growth(make: (n: number) => string, n: number): number {
  bestTime(make(n)); // warm up the JIT on the shape
  return bestTime(make(n * 8)) / bestTime(make(n));
}

const CHANNEL = '200,NMI0000001,E1,1,E1,N1,M1,kWh,30,';
const row = (date: string) => `300,${date},${Array(48).fill('1.5').join(',')},A,,,20240102120000,20240102130000`;

describe('parser time is linear in the size of the input', { timeout: 120_000 }, () => {
  it('a 300 row followed by ever more continuation lines', () => {
    const chain = (n: number) => nem12([HEADER, CHANNEL, '300,20240101', ...Array(n).fill('1'), '900']);
    expect(growth(chain, 20_000)).toBeLessThan(24);
    const commas = (n: number) => nem12([HEADER, CHANNEL, '300,20240101,', ...Array(n).fill('1,'), '900']);
    expect(growth(commas, 20_000)).toBeLessThan(24);
  });

  it('channels dated both 1900-01-01 and 9999-12-31 cost what channels of two days cost', () => {
    const wide = (n: number) => nem12([HEADER, ...Array.from({ length: n }, (_, i) => [CHANNEL.replace('NMI0000001', `N${String(i).padStart(9, '0')}`), row('19000101'), row('99991231')]).flat(), '900']);
    const narrow = (n: number) => nem12([HEADER, ...Array.from({ length: n }, (_, i) => [CHANNEL.replace('NMI0000001', `N${String(i).padStart(9, '0')}`), row('20240101'), row('20240103')]).flat(), '900']);
    expect(growth(wide, 1000)).toBeLessThan(24);
    expect(bestTime(wide(400)) / bestTime(narrow(400))).toBeLessThan(4);
  });

  it('a file of many days and streams', () => {
    const days = (n: number) => nem12([HEADER, CHANNEL, ...Array.from({ length: n }, (_, i) => row(`2024${String(1 + Math.floor(i / 28) % 12).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')}`)), '900']);
    expect(growth(days, 300)).toBeLessThan(24);
  });
});
