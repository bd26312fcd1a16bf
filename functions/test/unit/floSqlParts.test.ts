import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseNem12, type DayRecord } from 'nem12';
import { floSqlHead, floSqlTail, FloSqlWriter } from '../../src/days';
import { corpusFile, floSqlShape } from './helpers';
import { FUZZ } from '../../../nem12/test/fuzz';

// The pipeline writes the Flo SQL file in parts (one per chunk) and joins them between a head and a
// tail: whatever the cuts, the joined file holds the rows of the whole-file writer, in its order,
// with its head and tail (only the batching of the INSERTs differs).

const days = parseNem12(corpusFile('nem-reader/unzipped/Example_NEM12_multiple_meters.csv')).days;

function whole(source: DayRecord[], batchRows: number): string {
  const writer = new FloSqlWriter({ sourceName: 'f.csv', batchRows });
  for (const day of source) writer.addDay(day);
  return writer.drain() + writer.finish();
}

function joined(source: DayRecord[], cuts: number[], batchRows: number): string {
  const bounds = [0, ...[...new Set(cuts)].sort((a, b) => a - b), source.length];
  const parts: string[] = [];
  const total = { days: 0, readings: 0 };
  for (let i = 0; i + 1 < bounds.length; i++) {
    const writer = new FloSqlWriter({ part: true, batchRows });
    for (const day of source.slice(bounds[i], bounds[i + 1])) writer.addDay(day);
    parts.push(writer.drain() + writer.finish());
    total.days += writer.counts.days;
    total.readings += writer.counts.readings;
  }
  return floSqlHead('f.csv') + parts.join('') + floSqlTail(total);
}


describe('Flo SQL in parts', () => {
  it('the file has its rows, keyed by line, and its totals', () => {
    const sql = whole(days, 1000);
    expect(days.length).toBeGreaterThan(10);
    const dayRows = sql.split('\n').filter((line) => /^\(\d+,'[^']*','/.test(line));
    expect(dayRows.map((line) => Number(line.slice(1, line.indexOf(','))))).toEqual(days.filter((d) => d.channel.suffix.startsWith('E')).map((d) => d.line));
    expect(sql).toMatch(/-- \d+ interval readings from \d+ channel-days\.\n$/);
  });

  it('joined parts equal the whole file, whatever the cuts', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: days.length }), { maxLength: 8 }), fc.integer({ min: 1, max: 200 }), (cuts, batchRows) => {
        const expected = whole(days, batchRows);
        const actual = joined(days, cuts, batchRows);
        expect(floSqlShape(actual)).toEqual(floSqlShape(expected));
        expect(actual.slice(actual.lastIndexOf('\n--'))).toBe(expected.slice(expected.lastIndexOf('\n--')));
      }),
      { seed: FUZZ.seed, numRuns: FUZZ.runs(50) },
    );
  });
});
