import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseNem12 } from '../src/index.js';

// The minimal files of known defects (fixtures/defects/README.md): what the parser says of each.
// The loader's side of them (repeated days, revisions) is in functions/test/db/revisions.test.ts.
const DEFECTS = join(import.meta.dirname, 'fixtures', 'defects');
const parse = (name: string) => {
  const result = parseNem12(readFileSync(join(DEFECTS, name)));
  return { ...result, found: [...result.issues.errors, ...result.issues.warnings].map((i) => `${i.code}@${i.line}`) };
};

describe('defect files: each is refused at its line, or read exactly', () => {
  it.each([
    ['check_ok_load_fails_140000_integer_digits.csv', 'VALUE_TOO_LONG@3'],
    ['check_ok_load_fails_17000_fraction_digits.csv', 'VALUE_TOO_LONG@3'],
    ['check_ok_load_fails_nul_in_reason_code.csv', 'INVALID_CHARACTER@3'],
    ['check_ok_load_fails_nul_in_uom.csv', 'INVALID_CHARACTER@2'],
    ['crash_300_without_comma.csv', 'UNKNOWN_RECORD@3'],
    ['crash_truncated_after_300.csv', 'TOO_FEW_FIELDS@3'],
    ['misattributed_second_200_joined_to_first.csv', 'TOO_MANY_FIELDS@4'],
    ['silent_drop_300_after_lone_cr_in_200_line.csv', 'INVALID_CHARACTER@2'],
    ['silent_drop_300_joined_to_200_line.csv', 'TOO_MANY_FIELDS@2'],
    ['silent_drop_300_joined_to_400_line.csv', 'TOO_MANY_FIELDS@4'],
    ['silent_drop_300_joined_to_500_line.csv', 'TOO_MANY_FIELDS@4'],
    ['slow_hard_wrap_chain_400KB.csv', 'TOO_FEW_FIELDS@3'],
  ])('%s: rejected with %s', (name, expected) => {
    const result = parse(name);
    expect(result.ok).toBe(false);
    expect(result.found[0]).toBe(expected);
  });

  it('the reference file of the silent drops reads both days', () => {
    const result = parse('silent_drop_reference_ok.csv');
    expect(result.ok).toBe(true);
    expect(result.found).toEqual([]);
    expect(result.days.map((d) => d.date)).toEqual(['2004-01-01', '2004-01-02']);
  });

  it('a repeated day is read twice and warned about (the loader keeps the newer)', () => {
    const result = parse('lost_whole_file_duplicate_day.csv');
    expect(result.ok).toBe(true);
    expect(result.found).toEqual(['DUPLICATE_DAY@4']);
    expect(result.info.readings).toBe(1248);
  });

  it('channels dated 1900 and 9999 are read, and their missing days counted, not listed one by one', () => {
    const result = parse('slow_wide_date_span_100_channels_51KB.csv');
    expect(result.ok).toBe(true);
    expect(result.summary.channels).toHaveLength(100);
    expect(result.summary.channels[0]).toMatchObject({ firstDate: '1900-01-01', lastDate: '9999-12-31', days: 2, missingDayCount: (Date.UTC(9999, 11, 31) - Date.UTC(1900, 0, 1)) / 86_400_000 - 1 });
    expect(result.summary.channels[0].missingDays).toEqual([['1900-01-02', '9999-12-30']]);
  });
});
