import { describe, expect, it } from 'vitest';
import { CHANNEL_E1, codes, day, HEADER, nem12, parse } from './helpers.js';

// Each quirk of real NEM12 files (docs/NEM12.md, "Quirks seen in real files") is decided on purpose:
// accepted with a warning, or rejected with a line-numbered error. See README "How quirks are handled".
describe('quirks of real files', () => {
  it('missing 100 header: accepted, warned', () => {
    const result = parse(nem12([CHANNEL_E1, day('20040201'), '900']));
    expect(result.ok).toBe(true);
    expect(codes(result.warnings)).toEqual(['MISSING_HEADER']);
    expect(result.info.readings).toBe(48);
  });

  it('blank lines (first line or between blocks): ignored, warned with their line', () => {
    const result = parse(nem12(['', HEADER, CHANNEL_E1, day('20040201'), '', '900']));
    expect(result.ok).toBe(true);
    expect(result.warnings.map((w) => [w.code, w.line])).toEqual([
      ['BLANK_LINE', 1],
      ['BLANK_LINE', 5],
    ]);
  });

  it('rows of only commas: ignored, warned', () => {
    const result = parse(nem12([HEADER, ',,,,,', CHANNEL_E1, day('20040201'), '900']));
    expect(result.warnings.map((w) => [w.code, w.line])).toEqual([['EMPTY_ROW', 2]]);
    expect(result.info.readings).toBe(48);
  });

  it('several 900 (concatenated exports): read on, warned', () => {
    const result = parse(nem12([HEADER, CHANNEL_E1, day('20040201'), '900', CHANNEL_E1, day('20040202'), '900']));
    expect(result.ok).toBe(true);
    expect(result.warnings.map((w) => [w.code, w.line])).toEqual([['RECORD_AFTER_END', 5]]);
    expect(result.days.map((d) => d.date)).toEqual(['2004-02-01', '2004-02-02']);
  });

  it('a second 100 after a 900 starts a concatenated file; in the middle of data it is an error', () => {
    expect(parse(nem12([HEADER, CHANNEL_E1, day('20040201'), '900', HEADER, CHANNEL_E1, day('20040202'), '900'])).ok).toBe(true);
    const middle = parse(nem12([HEADER, CHANNEL_E1, day('20040201'), HEADER, '900']));
    expect(codes(middle.errors)).toEqual(['UNEXPECTED_HEADER']);
  });

  it('rows padded with trailing empty fields: padding ignored, one warning for the file', () => {
    const pad = ','.repeat(40);
    const result = parse(nem12([HEADER + pad, CHANNEL_E1 + pad, day('20040201') + pad, day('20040202') + pad, '900' + pad]));
    expect(result.ok).toBe(true);
    expect(result.warnings.map((w) => [w.code, w.line])).toEqual([['TRAILING_EMPTY_FIELDS', 1]]);
    expect(result.days[1].values).toHaveLength(48);
    expect(result.days[1].updatedAt).toBe('2004-02-02T12:00:25+10:00');
  });

  it('300 rows without their trailing columns: read as empty, one warning for the file', () => {
    const result = parse(nem12([HEADER, CHANNEL_E1, day('20040201', undefined, 'A,'), day('20040202', undefined, 'A'), '900']));
    expect(result.ok).toBe(true);
    expect(result.warnings.map((w) => [w.code, w.line])).toEqual([['MISSING_TRAILING_FIELDS', 3]]);
    expect(result.days.map((d) => d.updatedAt)).toEqual([null, null]);
  });

  it('a 300 row without even its quality method: rejected', () => {
    const result = parse(nem12([HEADER, CHANNEL_E1, `300,20040201,${Array(48).fill('1').join(',')}`, '900']));
    expect(codes(result.errors)).toEqual(['TOO_FEW_FIELDS']);
  });

  it('hard-wrapped 300 rows (line breaks between fields or inside a number): joined, warned', () => {
    const row = day('20040201', Array.from({ length: 48 }, (_, i) => `${i}.125`));
    // Cut inside "17.125" and after a comma, and hand it over with CRLF line ends.
    const cutInNumber = row.indexOf('17.125') + 3;
    const cutAfterComma = row.indexOf('30.125,') + 7;
    const wrapped = [row.slice(0, cutInNumber), row.slice(cutInNumber, cutAfterComma), row.slice(cutAfterComma)];
    const result = parse(nem12([HEADER, CHANNEL_E1, ...wrapped, day('20040202'), '900']));
    expect(result.ok).toBe(true);
    expect(result.warnings.map((w) => [w.code, w.line])).toEqual([['HARD_WRAPPED_ROW', 3]]);
    expect(result.days[0].values).toEqual(Array.from({ length: 48 }, (_, i) => `${i}.125`));
    expect(result.days[1]).toMatchObject({ line: 6, date: '2004-02-02' });
  });

  it('a short 300 row followed by a new record is not joined: rejected as too few values', () => {
    const result = parse(nem12([HEADER, CHANNEL_E1, day('20040201', Array(20).fill('1')), day('20040202'), '900']));
    expect(codes(result.errors)).toEqual(['VALUE_COUNT_MISMATCH']);
    expect(result.errors[0].line).toBe(3);
  });

  it('a 200 whose IntervalLength disagrees with its 300 value count: rejected (the declared length is authoritative)', () => {
    const result = parse(nem12([HEADER, '200,NMI1234567,E1,1,E1,N1,M,kWh,15,', day('20230225', Array(48).fill('1')), '900']));
    expect(codes(result.errors)).toEqual(['VALUE_COUNT_MISMATCH']);
    expect(result.errors[0].message).toContain('48 interval values; IntervalLength 15 (line 2) needs 96');
  });

  it('empty values: accepted, no reading stored for those intervals, warned with the intervals', () => {
    const values = Array(48).fill('2');
    values[0] = '';
    values[47] = '';
    const result = parse(nem12([HEADER, CHANNEL_E1, day('20040201', values), '900']));
    expect(result.ok).toBe(true);
    expect(codes(result.warnings)).toEqual(['EMPTY_VALUES']);
    expect(result.warnings[0].message).toContain('intervals 1, 48');
    expect(result.days[0].values.filter((v) => v === null)).toHaveLength(2);
    expect(result.info.readings).toBe(46);
    expect(result.summary.channels[0]).toMatchObject({ readings: 46, emptyIntervals: 2, total: '92' });
  });

  it('invalid quality flags: rejected', () => {
    const result = parse(nem12([HEADER, CHANNEL_E1, day('20040201', undefined, 'Q,,,20040202120025,'), '900']));
    expect(codes(result.errors)).toEqual(['INVALID_QUALITY']);
    expect(result.errors[0].line).toBe(3);
  });

  it('400 ranges that do not tile a V day: rejected', () => {
    const result = parse(nem12([HEADER, CHANNEL_E1, day('20040201', undefined, 'V,,,20040202120025,'), '400,1,10,A,,', '400,12,48,E52,,', '900']));
    expect(codes(result.errors)).toEqual(['QUALITY_RANGES_INCOMPLETE']);
    expect(result.errors[0].message).toContain('intervals 11-11');
  });

  it('the same NMI, suffix and date twice in one file: accepted, warned; the loader keeps the newer', () => {
    const result = parse(nem12([HEADER, CHANNEL_E1, day('20040201'), '900', CHANNEL_E1, day('20040201', Array(48).fill('3')), '900']));
    expect(result.ok).toBe(true);
    expect(result.warnings.map((w) => [w.code, w.line])).toEqual([
      ['RECORD_AFTER_END', 5],
      ['DUPLICATE_DAY', 6],
    ]);
    expect(result.days).toHaveLength(2);
  });

  it('the same date for two suffixes of one NMI is not a duplicate', () => {
    const result = parse(nem12([HEADER, CHANNEL_E1, day('20040201'), '200,VABD000163,E1E2,2,E2,N2,METSER123,kWh,30,', day('20040201'), '900']));
    expect(result.warnings).toEqual([]);
  });

  it('an Excel-mangled header DateTime (2.02607E+11): warned, the data is still read', () => {
    const result = parse(nem12(['100,NEM12,2.02607E+11,MDA1,Ret1', CHANNEL_E1, day('20040201'), '900']));
    expect(result.ok).toBe(true);
    expect(codes(result.warnings)).toEqual(['INVALID_HEADER_DATETIME']);
  });

  it('LF or CRLF line ends and a UTF-8 byte-order mark read the same', () => {
    const lines = [HEADER, CHANNEL_E1, day('20040201'), '900'];
    const lf = parse(nem12(lines, '\n'));
    const crlf = parse(`\uFEFF${nem12(lines, '\r\n')}`);
    expect(crlf.ok).toBe(true);
    expect(crlf.warnings).toEqual([]);
    expect(crlf.summary).toEqual(lf.summary);
  });

  it('an empty file: rejected', () => {
    expect(codes(parse('').errors)).toEqual(['EMPTY_FILE']);
    expect(codes(parse('\r\n\r\n').errors)).toEqual(['EMPTY_FILE']);
  });

  it('a very long line (garbage, not NEM12) is rejected without holding it in memory', () => {
    const result = parse(`${HEADER}\n${'9'.repeat(2_000_000)}\n900\n`);
    expect(codes(result.errors)).toContain('LINE_TOO_LONG');
  });
});
