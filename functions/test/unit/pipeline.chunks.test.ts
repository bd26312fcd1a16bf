import { describe, expect, it } from 'vitest';
import { Nem12Parser, type DayRecord, type Nem12Issue } from 'nem12';
import { ChunkPlanner, type ChunkPlan } from '../../src/pipeline/chunkPlanner';
import { CHANNEL_E1, corpusFile, day, HEADER, nem12 } from './helpers';

function plan(bytes: Uint8Array, targetBytes: number): ChunkPlan[] {
  const planner = new ChunkPlanner(targetBytes);
  const parser = new Nem12Parser({ onEvent: planner.onEvent });
  parser.push(bytes);
  parser.end();
  return planner.finish(bytes.length);
}

function days(bytes: Uint8Array, fragment?: ChunkPlan) {
  const found: DayRecord[] = [];
  const issues: Nem12Issue[] = [];
  const parser = new Nem12Parser({
    onEvent: (event) => event.type === 'day' && found.push(event),
    onIssue: (issue) => issues.push(issue),
    fragment: fragment && { firstLine: fragment.firstLine, firstOffset: fragment.start, channel: fragment.channel },
  });
  parser.push(fragment ? bytes.subarray(fragment.start, fragment.end) : bytes);
  parser.end();
  return { days: found.map((d) => ({ line: d.line, nmi: d.channel.nmi, suffix: d.channel.suffix, date: d.date, values: d.values, quality: d.quality, updatedAt: d.updatedAt })), issues };
}

const wrapped = day('20040203', Array.from({ length: 48 }, (_, i) => `${i}.5`));
const FILE = new TextEncoder().encode(
  nem12([
    HEADER,
    CHANNEL_E1,
    day('20040201'),
    day('20040202', undefined, 'V,,,20040202120025,'),
    '400,1,20,F14,76,',
    '400,21,48,A,,',
    wrapped.slice(0, 120),
    wrapped.slice(120),
    '500,O,S01009,20050310121004,',
    '200,VABD000163,E1Q1,2,Q1,,METSER123,kVArh,30,',
    day('20040201', Array(48).fill('2')),
    '',
    day('20040202', Array(48).fill('3')),
    '900',
  ]),
);

describe('chunk planning', () => {
  it.each([1, 200, 700, 5000])('chunks of ~%i bytes each parse on their own to exactly the whole file', (target) => {
    const chunks = plan(FILE, target);
    expect(chunks[0].start).toBe(0);
    expect(chunks.at(-1)!.end).toBe(FILE.length);
    for (let i = 1; i < chunks.length; i++) expect(chunks[i].start).toBe(chunks[i - 1].end);
    const whole = days(FILE);
    const pieces = chunks.map((chunk) => days(FILE, chunk));
    expect(pieces.flatMap((piece) => piece.issues.filter((i) => i.severity === 'error'))).toEqual([]);
    expect(pieces.flatMap((piece) => piece.days)).toEqual(whole.days);
  });

  it('cuts only before 200 and 300 records, never between a 300 and its 400s or wrapped lines', () => {
    const text = new TextDecoder().decode(FILE);
    for (const chunk of plan(FILE, 1).slice(1)) {
      expect(text.slice(chunk.start, chunk.start + 4)).toMatch(/^(200|300),/);
    }
    // The header alone, then one chunk per 200 (2) and per 300 (5).
    expect(plan(FILE, 1).length).toBe(8);
  });

  it('a real zipped file of 198 streams splits into many chunks that add up', async () => {
    const { unzipSync } = await import('fflate');
    const [bytes] = Object.values(unzipSync(corpusFile('nem-reader/Example_NEM12_ManyNMIs.zip')));
    const chunks = plan(bytes, 8 * 1024);
    expect(chunks.length).toBeGreaterThan(10);
    const readings = chunks.map((chunk) => days(bytes, chunk).days.reduce((sum, d) => sum + d.values.length, 0));
    expect(readings.reduce((a, b) => a + b, 0)).toBe(57_024);
  });
});
