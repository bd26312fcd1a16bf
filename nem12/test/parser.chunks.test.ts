import { describe, expect, it } from 'vitest';
import { Nem12Parser, type Nem12Event, type Nem12Issue } from '../src/index.js';
import { CHANNEL_E1, day, HEADER, nem12 } from './helpers.js';

/** Everything a parse produces, as plain data (DayRecord values included), for exact comparison. */
function run(chunks: Uint8Array[]) {
  const events: unknown[] = [];
  const issues: Nem12Issue[] = [];
  const parser = new Nem12Parser({
    onEvent: (event: Nem12Event) => events.push(event.type === 'day' ? { ...event, channel: event.channel.line, values: event.values } : event),
    onIssue: (found) => issues.push(found),
  });
  for (const chunk of chunks) parser.push(chunk);
  parser.end();
  return { events, issues, info: parser.info };
}

// A file with most of what can go wrong across a chunk boundary: BOM, CRLF, a multi-byte UTF-8
// character, blank lines, padding, a hard-wrapped row, 400 ranges, a 500, a warning and an error.
const wrapped = day('20040203', Array.from({ length: 48 }, (_, i) => `${i}.5`));
const FILE = new TextEncoder().encode(
  '\uFEFF' +
    nem12([
      HEADER,
      CHANNEL_E1,
      day('20040201', Array.from({ length: 48 }, (_, i) => (i % 7 === 0 ? '.005' : `${i}.125`))),
      day('20040202', undefined, 'V,,,20040202120025,20040202142516'),
      '400,1,20,F14,76,Météo',
      '400,21,48,A,,',
      '',
      wrapped.slice(0, 100),
      wrapped.slice(100),
      '500,O,S01009,20050310121004,',
      '200,VABD000163,E1Q1,2,Q1,,METSER123,kVArh,30,,,,',
      day('20040201', Array(48).fill('')),
      day('2004020X'),
      '900',
    ]),
);

describe('chunk boundaries', () => {
  const whole = run([FILE]);

  it('the reference parse saw what the file holds', () => {
    expect(whole.events.filter((e) => (e as Nem12Event).type === 'day')).toHaveLength(4);
    expect(whole.issues.map((i) => i.code).sort()).toEqual(
      ['BLANK_LINE', 'EMPTY_VALUES', 'HARD_WRAPPED_ROW', 'INVALID_DATE', 'TRAILING_EMPTY_FIELDS'].sort(),
    );
  });

  it('splitting the file in two at every byte gives exactly the same result', () => {
    for (let at = 0; at <= FILE.length; at++) {
      expect(run([FILE.subarray(0, at), FILE.subarray(at)]), `split at byte ${at}`).toEqual(whole);
    }
  });

  it('one byte at a time gives exactly the same result', () => {
    const bytes = Array.from({ length: FILE.length }, (_, i) => FILE.subarray(i, i + 1));
    expect(run(bytes)).toEqual(whole);
  });

  it('three chunks at many pairs of positions give the same result', () => {
    for (let a = 0; a < FILE.length; a += 37) {
      for (let b = a; b <= FILE.length; b += 53) {
        expect(run([FILE.subarray(0, a), FILE.subarray(a, b), FILE.subarray(b)]), `split at ${a} and ${b}`).toEqual(whole);
      }
    }
  });

  it('empty chunks change nothing', () => {
    expect(run([new Uint8Array(0), FILE, new Uint8Array(0)])).toEqual(whole);
  });
});
