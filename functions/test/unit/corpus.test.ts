import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inspect } from '../../src/source/inspect';
import { CORPUS, corpusFile } from './helpers';

// The public sample files of ../fixtures/corpus (see its SOURCES.md for origin and licence). Expected
// figures were worked out from the files by hand or with awk, independently of this parser.
async function check(path: string) {
  return inspect([corpusFile(path)]);
}

function channel(result: Awaited<ReturnType<typeof check>>, nmi: string, suffix: string) {
  const found = result.summary.channels.filter((c) => c.nmi === nmi && c.suffix === suffix);
  expect(found, `${nmi} ${suffix}`).toHaveLength(1);
  return found[0];
}

const codes = (issues: { code: string }[]) => [...new Set(issues.map((i) => i.code))].sort();

describe('public NEM12 samples load as their authors meant', () => {
  it('actual interval data: E1 in kWh and Q1 in kVArh (never counted as kWh)', async () => {
    const result = await check('nem-reader/unzipped/Example_NEM12_actual_interval.csv');
    expect(result.ok).toBe(true);
    expect(result.summary.readings).toBe(96);
    expect(channel(result, 'VABD000163', 'E1')).toMatchObject({ uom: 'kWh', total: '53.328', totalKwh: '53.328', quality: { A: 48 } });
    expect(channel(result, 'VABD000163', 'Q1')).toMatchObject({ uom: 'kVArh', total: '106.656', totalKwh: null });
  });

  it('upper-case units (KWH, KVARH) read the same as the original', async () => {
    const upper = await check('nem-reader/unzipped/Example_NEM12_upper_case_units.csv');
    const original = await check('nem-reader/unzipped/Example_NEM12_actual_interval.csv');
    expect(upper.ok).toBe(true);
    expect(upper.summary.channels.map((c) => [c.suffix, c.totalKwh])).toEqual(original.summary.channels.map((c) => [c.suffix, c.totalKwh]));
  });

  it('substituted data carries F14 and reason 32', async () => {
    const result = await check('nem-reader/unzipped/Example_NEM12_substituted_interval.csv');
    expect(channel(result, 'VBCD000022', 'E1')).toMatchObject({ total: '110.976', quality: { F: 48 } });
    expect(channel(result, 'VBCD000022', 'Q1')).toMatchObject({ total: '47053.848' });
  });

  it('a V day with three 400 ranges gives 20 F, 4 A and 24 S readings', async () => {
    const result = await check('nem-reader/unzipped/Example_NEM12_multiple_quality.csv');
    expect(result.ok).toBe(true);
    expect(channel(result, 'CCCC123456', 'E1')).toMatchObject({ total: '896.99', quality: { F: 20, A: 4, S: 24 } });
  });

  it('two meters, Wh converted exactly to kWh, VArh kept apart', async () => {
    const result = await check('nem-reader/unzipped/Example_NEM12_multiple_meters.csv');
    expect(result.summary.channels).toHaveLength(6);
    expect(channel(result, 'NCDE001111', 'E1')).toMatchObject({ uom: 'Wh', intervalLength: 15, total: '1920', totalKwh: '1.92', days: 2 });
    expect(channel(result, 'NCDE001111', 'Q1')).toMatchObject({ uom: 'VArh', totalKwh: null });
    expect(channel(result, 'NDDD001888', 'B1')).toMatchObject({ totalKwh: '3.84' });
  });

  it('5-minute solar month with values like .005', async () => {
    const result = await check('nem-reader/unzipped/Example_NEM12_month_solar.csv');
    expect(channel(result, 'NMI1234567', 'B1')).toMatchObject({ days: 31, readings: 8928, total: '589.172' });
    expect(channel(result, 'NMI1234567', 'E1')).toMatchObject({ days: 31, readings: 8928, total: '270.738' });
  });

  it('channels covering different days', async () => {
    const result = await check('nem-reader/unzipped/Example_NEM12_partialchannel.csv');
    expect(channel(result, 'NMI1234567', 'B1').days).toBe(1);
    expect(channel(result, 'NMI1234567', 'E1').days).toBe(31);
  });

  it('no NextScheduledReadDate column; a 6-character NMI is warned about', async () => {
    const result = await check('nem-reader/unzipped/Example_NEM12_no_scheduled_read.csv');
    expect(result.ok).toBe(true);
    expect(codes(result.issues.warnings)).toEqual(['NMI_NOT_10_CHARACTERS']);
  });

  it('30-minute kWh channels beside a 10-minute voltage channel without a unit', async () => {
    const result = await check('nem-reader/unzipped/Example_NEM12_different_interval_length.csv');
    expect(result.ok).toBe(true);
    expect(codes(result.issues.warnings)).toEqual(['MISSING_UNIT', 'NMI_NOT_10_CHARACTERS', 'NON_STANDARD_INTERVAL_LENGTH']);
    expect(channel(result, 'C123', 'V1')).toMatchObject({ intervalLength: 10, readings: 144, totalKwh: null });
  });

  it('Western Power export: padded rows, 12-digit UpdateDateTime, no MSATSLoadDateTime', async () => {
    const result = await check('nem-reader/unzipped/Example_WesternPower.csv');
    expect(result.ok).toBe(true);
    expect(codes(result.issues.warnings)).toEqual(['MISSING_TRAILING_FIELDS', 'TRAILING_EMPTY_FIELDS']);
    expect(result.summary.channels.map((c) => c.suffix)).toEqual(['E1', 'B1', 'Q1', 'K1']);
  });

  it('zipped: 198 streams of 5-minute data, 57,024 readings', async () => {
    const result = await check('nem-reader/Example_NEM12_ManyNMIs.zip');
    expect(result.ok).toBe(true);
    expect(result.summary.channels).toHaveLength(198);
    expect(result.summary.readings).toBe(57_024);
    const total = result.summary.channels.reduce((sum, c) => sum + Number(c.total), 0);
    expect(total).toBe(214_621);
  });

  it('zipped AEMO scenario 1: E1 and E2 in two blocks, with 500 records', async () => {
    const result = await check('nem-reader/nem12/NEM12#SCENARIO1#UNITEDDP#NEMMCO.zip');
    expect(result.ok).toBe(true);
    expect(result.summary.channels.map((c) => [c.nmi, c.suffix, c.days])).toEqual([
      ['NEM1201009', 'E1', 4],
      ['NEM1201009', 'E2', 4],
    ]);
  });

  it('zipped mixed interval lengths', async () => {
    const result = await check('nem-reader/Example_different_intervals.zip');
    expect(result.ok).toBe(true);
    expect(result.summary.channels.map((c) => c.intervalLength)).toEqual([30, 30, 10]);
  });

  it('aemo-mdff-reader sample: a 400 under an A row overrides five intervals', async () => {
    const result = await check('aemo-mdff-reader/sample_nem12.csv');
    expect(result.ok).toBe(true);
    expect(codes(result.issues.warnings)).toEqual(['QUALITY_METHOD_MISSING', 'QUALITY_RANGE_ON_UNIFORM_DAY']);
    expect(channel(result, 'NMI1234567', 'E1').quality).toEqual({ A: 91, S: 5 });
  });

  it.each([
    ['nem-reader/unzipped/Example_NEM13_consumption_data.csv'],
    ['nem-reader/unzipped/Example_NEM13_forward_estimate.csv'],
    ['aemo-mdff-reader/sample_nem13.csv'],
  ])('NEM13 %s is rejected as NEM13', async (path) => {
    const result = await check(path);
    expect(result.ok).toBe(false);
    expect(codes(result.issues.errors)).toEqual(['NEM13_NOT_SUPPORTED']);
    expect(result.issues.errors[0].line).toBe(1);
  });
});

describe('the invalid/ samples, decided on purpose', () => {
  it.each([
    ['Example_NEM12_15min_200_30min_300.csv', 'VALUE_COUNT_MISMATCH', 3],
    ['Example_NEM12_30min_200_15min_300.csv', 'VALUE_COUNT_MISMATCH', 3],
    ['Example_NEM12_30min_200_15min_400.csv', 'VALUE_COUNT_MISMATCH', 3],
    ['Example_NEM12_15min_200_30min_400.csv', 'QUALITY_RANGES_INCOMPLETE', 5],
    ['Example_NEM12_incomplete_interval.csv', 'VALUE_COUNT_MISMATCH', 3],
    ['Example_empty_file.csv', 'EMPTY_FILE', 0],
  ])('%s is rejected: %s at line %i', async (file, code, line) => {
    const result = await check(`nem-reader/invalid/${file}`);
    expect(result.ok).toBe(false);
    expect(result.issues.errors.map((e) => [e.code, e.line])).toEqual([[code, line]]);
  });

  it('a file of only 100 and 900 is accepted with NO_INTERVAL_DATA', async () => {
    const result = await check('nem-reader/invalid/Example_NEM12_empty.csv');
    expect(result.ok).toBe(true);
    expect(codes(result.issues.warnings)).toEqual(['NO_INTERVAL_DATA']);
  });

  it('missing header with a blank first line is accepted with warnings', async () => {
    const result = await check('nem-reader/invalid/Example_NEM12_missing_header.csv');
    expect(result.ok).toBe(true);
    expect(result.issues.warnings.map((w) => [w.code, w.line])).toEqual([
      ['BLANK_LINE', 1],
      ['MISSING_HEADER', 2],
    ]);
  });

  it.each([['Example_NEM12_powercor.csv'], ['Example_NEM12_powercor.csv.zip'], ['Example_NEM12_powercor_missing_fields.csv']])(
    'portal export %s (no 100, two blocks each ending in 900, a day twice) is accepted with warnings',
    async (file) => {
      const result = await check(`nem-reader/invalid/${file}`);
      expect(result.ok).toBe(true);
      expect(codes(result.issues.warnings)).toEqual(
        expect.arrayContaining(['BLANK_LINE', 'DUPLICATE_DAY', 'MISSING_HEADER', 'RECORD_AFTER_END']),
      );
      expect(result.issues.warnings.filter((w) => w.code === 'DUPLICATE_DAY').map((w) => w.line)).toEqual([9, 11]);
    },
  );
});

it('every corpus file is covered by a test above', () => {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name !== 'SOURCES.md') files.push(relative(CORPUS, path));
    }
  };
  walk(CORPUS);
  const source = readFileSync(__filename, 'utf8');
  const missing = files.filter((file) => !source.includes(file.split('/').pop()!));
  expect(missing).toEqual([]);
});
