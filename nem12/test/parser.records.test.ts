import { describe, expect, it } from 'vitest';
import { intervalEndMs, readingsOf, type ChannelRecord, type DayRecord, type HeaderRecord } from '../src/index.js';
import { CHANNEL_E1, codes, day, HEADER, nem12, parse } from './helpers.js';

describe('100 header', () => {
  it('is read with its participants and creation time', () => {
    const result = parse(nem12([HEADER, CHANNEL_E1, day('20040201'), '900']));
    const header = result.events[0] as HeaderRecord;
    expect(header).toMatchObject({ type: 'header', line: 1, version: 'NEM12', createdAt: '200405011135', fromParticipant: 'MDA1', toParticipant: 'Ret1' });
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
  });

  it('rejects another version', () => {
    const result = parse(nem12(['100,NEM14,200405011135,A,B', CHANNEL_E1, day('20040201'), '900']));
    expect(codes(result.errors)).toEqual(['UNSUPPORTED_VERSION']);
    expect(result.days).toEqual([]);
  });

  it('rejects NEM13 files clearly, whether the header or a 250 record says so', () => {
    const byHeader = parse(nem12(['100,NEM13,200401101030,MDA1,Ret1', '250,1234567890,11,1,11,11,METSER,E,001,001,1,0,0,0,0,0,0,kWh,20040407,20040108100333,20040108091133', '900']));
    expect(codes(byHeader.errors)).toEqual(['NEM13_NOT_SUPPORTED']);
    const mixed = parse(nem12([HEADER, CHANNEL_E1, day('20040201'), '250,1234567890,11,1,11,11,METSER,E,001,001,1,0,0,0,0,0,0,kWh,20040407,20040108100333,20040108091133', '550,N,,E,', '900']));
    expect(codes(mixed.errors)).toEqual(['NEM13_NOT_SUPPORTED']);
    expect(mixed.errors[0].line).toBe(4);
  });
});

describe('200 data stream', () => {
  it('carries NMI, suffix, unit and interval length to the rows that follow', () => {
    const result = parse(nem12([HEADER, '200,NCDE001111,E1B1Q1,1,E1,N1,METSER123,Wh,15,20040101', day('20031204', Array(96).fill('10')), '900']));
    const channel = result.events[1] as ChannelRecord;
    expect(channel).toMatchObject({ nmi: 'NCDE001111', nmiConfiguration: 'E1B1Q1', registerId: '1', suffix: 'E1', mdmDataStreamId: 'N1', meterSerialNumber: 'METSER123', uom: 'Wh', kwhFactor: '0.001', intervalLength: 15, intervalCount: 96, nextScheduledReadDate: '20040101' });
    expect(result.days[0].channel).toBe(channel);
  });

  it('accepts a 200 without the NextScheduledReadDate column', () => {
    const result = parse(nem12([HEADER, '200,NMI1110000,E1,E1,E1,N1,METER_SN,KWH,15', day('20190904', Array(96).fill('0.061')), '900']));
    expect(result.errors).toEqual([]);
    expect(result.days[0].channel.nextScheduledReadDate).toBeNull();
  });

  it.each([
    ['200,,E1,1,E1,N1,M,kWh,30,', 'INVALID_NMI'],
    ['200,NMI12345678901,E1,1,E1,N1,M,kWh,30,', 'INVALID_NMI'],
    ['200,NMI1234567,E1,1,1,N1,M,kWh,30,', 'INVALID_SUFFIX'],
    ['200,NMI1234567,E1,1,E1,N1,M,kWh,7,', 'INVALID_INTERVAL_LENGTH'],
    ['200,NMI1234567,E1,1,E1,N1,M,kWh,abc,', 'INVALID_INTERVAL_LENGTH'],
    ['200,NMI1234567,E1,1,E1', 'TOO_FEW_FIELDS'],
    ['200,NMI1234567,E1,1,E1,N1,M,kWh,45,', 'INVALID_INTERVAL_LENGTH'],
    ['200,NMI1234567,E1,1,E1,N1,M,kWh,60,', 'INVALID_INTERVAL_LENGTH'],
    ['200,NMI1234567,E1,1,E1,N1,M,kWh,1440,', 'INVALID_INTERVAL_LENGTH'],
    ['200,NMI1234567,E1,1,E1,N1,M,kW h,30,', 'INVALID_UNIT'],
    ['200,NMI1234567,E1,1,E1,N1,M,kWh,30,,300', 'TOO_MANY_FIELDS'],
    ['200,NMI1234567\u00a0,E1,1,E1,N1,M,kWh,30,', 'INVALID_NMI'],
  ])('rejects %s with %s, and its rows with it', (record, code) => {
    const result = parse(nem12([HEADER, record, day('20040201'), '900']));
    expect(codes(result.errors)).toEqual([code]);
    expect(result.errors[0].line).toBe(2);
    expect(result.days).toEqual([]);
  });

  it('warns when the suffix is not in the NMIConfiguration, or that is empty (AEMO error files 22 and DerpyNMIConfig)', () => {
    const notListed = parse(nem12([HEADER, '200,NMI1234567,E1Q1,1,B1,N1,M,kWh,30,', day('20040201'), '900']));
    expect(notListed.warnings.map((w) => [w.code, w.line])).toEqual([['SUFFIX_NOT_IN_NMI_CONFIGURATION', 2]]);
    expect(notListed.days).toHaveLength(1);
    const empty = parse(nem12([HEADER, '200,NMI1234567,,1,E1,N1,M,kWh,30,', day('20040201'), '900']));
    expect(codes(empty.warnings)).toEqual(['MISSING_NMI_CONFIGURATION']);
    const garbled = parse(nem12([HEADER, '200,NMI1234567,E1-Q1,1,E1,N1,M,kWh,30,', day('20040201'), '900']));
    expect(codes(garbled.warnings)).toEqual(['INVALID_NMI_CONFIGURATION']);
  });

  it('reads a lower-case suffix as upper case, and says so', () => {
    const result = parse(nem12([HEADER, '200,NMI1234567,E1,1,e1,N1,M,kWh,30,', day('20040201'), '900']));
    expect(result.days[0].channel.suffix).toBe('E1');
    expect(codes(result.warnings)).toEqual(['LOWER_CASE_SUFFIX']);
  });

  it('ignores an unreadable NextScheduledReadDate, with a warning', () => {
    const result = parse(nem12([HEADER, '200,NMI1234567,E1,1,E1,N1,M,kWh,30,2004-03-01', day('20040201'), '900']));
    expect(codes(result.warnings)).toEqual(['INVALID_SCHEDULED_READ_DATE']);
    expect(result.days[0].channel.nextScheduledReadDate).toBeNull();
  });

  it('warns about non-standard interval lengths and missing units, and keeps the data', () => {
    const result = parse(nem12([HEADER, '200,C123,E1E2V1,,V1,,,,10,', day('20040402', Array(144).fill('230.1')), '900']));
    expect(codes(result.warnings)).toEqual(['NMI_NOT_10_CHARACTERS', 'NON_STANDARD_INTERVAL_LENGTH', 'MISSING_UNIT']);
    expect(result.days[0].values).toHaveLength(144);
    expect(result.days[0].channel.kwhFactor).toBeNull();
  });
});

describe('300 interval data', () => {
  it('reads values as exact strings, interval ends in NEM time, and quality', () => {
    const values = Array.from({ length: 48 }, (_, i) => (i === 0 ? '.005' : `${i}.25`));
    const result = parse(nem12([HEADER, CHANNEL_E1, day('20040201', values, 'F14,32,Late read,20040202120025,20040202142516'), '900']));
    const [record] = result.days;
    expect(record).toMatchObject({ date: '2004-02-01', line: 3, updatedAt: '2004-02-02T12:00:25+10:00', msatsLoadedAt: '2004-02-02T14:25:16+10:00' });
    expect(record.values).toEqual(values);
    expect(record.quality).toEqual([{ from: 1, to: 48, flag: 'F', method: 14, reasonCode: 32, reasonDescription: 'Late read' }]);
    const readings = [...readingsOf(record)];
    expect(readings).toHaveLength(48);
    // Interval 1 ends at 00:30 NEM time = 14:30 UTC the day before; interval 48 at midnight NEM time.
    expect(readings[0].intervalEnd.toISOString()).toBe('2004-01-31T14:30:00.000Z');
    expect(readings[47].intervalEnd.toISOString()).toBe('2004-02-01T14:00:00.000Z');
    expect(readings[0]).toMatchObject({ value: '.005', quality: 'F', method: 14, reasonCode: 32, nmi: 'VABD000163', suffix: 'E1', uom: 'kWh' });
  });

  it('uses UTC+10 all year: no daylight-saving gap or repeat around October and April changes', () => {
    const october = parse(nem12([HEADER, '200,NMI1234567,E1,1,E1,N1,M,kWh,30,', day('20241006'), '900'])).days[0];
    const ends = [...readingsOf(october)].map((r) => r.intervalEnd.getTime());
    const steps = new Set(ends.slice(1).map((end, i) => end - ends[i]));
    expect([...steps]).toEqual([30 * 60_000]);
    expect(ends[0]).toBe(Date.parse('2024-10-06T00:30:00+10:00'));
    expect(intervalEndMs('2024-04-07', 48, 30)).toBe(Date.parse('2024-04-08T00:00:00+10:00'));
  });

  it.each([
    [5, 288],
    [15, 96],
    [30, 48],
  ])('needs 1440/%i = %i values', (length, count) => {
    const channel = `200,NMI1234567,E1,1,E1,N1,M,kWh,${length},`;
    expect(parse(nem12([HEADER, channel, day('20240101', Array(count).fill('1')), '900'])).errors).toEqual([]);
    const short = parse(nem12([HEADER, channel, day('20240101', Array(count - 1).fill('1')), '900']));
    expect(codes(short.errors)).toEqual(['VALUE_COUNT_MISMATCH']);
    expect(short.errors[0].message).toContain(`${count - 1} interval values`);
  });

  it.each([
    ['-1.5', 'INVALID_VALUE'],
    ['1e3', 'INVALID_VALUE'],
    ['1.2.3', 'INVALID_VALUE'],
    ['abc', 'INVALID_VALUE'],
  ])('rejects the value %s', (bad, code) => {
    const values = Array(48).fill('1');
    values[6] = bad;
    const result = parse(nem12([HEADER, CHANNEL_E1, day('20040201', values), '900']));
    expect(codes(result.errors)).toEqual([code]);
    expect(result.errors[0]).toMatchObject({ line: 3 });
    expect(result.errors[0].message).toContain('interval 7');
    expect(result.days).toEqual([]);
  });

  it.each([['20040230'], ['2004021'], ['20041301'], ['2004020X']])('rejects the date %s', (date) => {
    const result = parse(nem12([HEADER, CHANNEL_E1, `300,${date},${Array(48).fill('1').join(',')},A,,,,`, '900']));
    expect(result.errors.length).toBe(1);
    expect(['INVALID_DATE', 'VALUE_COUNT_MISMATCH']).toContain(result.errors[0].code);
  });

  it.each([['X'], ['A1'], ['a'], ['F123']])('rejects the quality method %s', (quality) => {
    const result = parse(nem12([HEADER, CHANNEL_E1, day('20040201', undefined, `${quality},,,20040202120025,`), '900']));
    expect(codes(result.errors)).toEqual(['INVALID_QUALITY']);
  });

  it('rejects an unreadable UpdateDateTime but accepts the 12-digit form real files use', () => {
    const bad = parse(nem12([HEADER, CHANNEL_E1, day('20040201', undefined, 'A,,,20049999120000,'), '900']));
    expect(codes(bad.errors)).toEqual(['INVALID_DATETIME']);
    const short = parse(nem12([HEADER, CHANNEL_E1, day('20040201', undefined, 'A,,,200402021200,'), '900']));
    expect(short.errors).toEqual([]);
    expect(short.days[0].updatedAt).toBe('2004-02-02T12:00:00+10:00');
  });

  it('warns when E, F or S come without a method number, or a reason code is not a number', () => {
    const result = parse(nem12([HEADER, CHANNEL_E1, day('20040201', undefined, 'S,X1,,20040202120025,'), '900']));
    expect(codes(result.warnings)).toEqual(['QUALITY_METHOD_MISSING', 'INVALID_REASON_CODE']);
    expect(result.days[0].quality[0]).toMatchObject({ flag: 'S', method: null, reasonCode: null });
  });

  it('rejects data after MSATSLoadDateTime', () => {
    const result = parse(nem12([HEADER, CHANNEL_E1, day('20040201', undefined, 'A,,,20040202120025,20040202142516,extra'), '900']));
    expect(codes(result.errors)).toEqual(['TOO_MANY_FIELDS']);
  });

  it('rejects a 300 with no 200 before it', () => {
    const result = parse(nem12([HEADER, day('20040201'), '900']));
    expect(codes(result.errors)).toEqual(['ORPHAN_INTERVAL_DATA']);
    expect(result.errors[0].line).toBe(2);
  });
});

describe('400 quality ranges', () => {
  const v = (lines: string[]) => parse(nem12([HEADER, CHANNEL_E1, day('20040417', undefined, 'V,,,20040418203500,20040419003500'), ...lines, '900']));

  it('give every reading of a V day its own quality, method and reason', () => {
    const result = v(['400,1,20,F14,76,', '400,21,24,A,,', '400,25,48,S14,1,Meter fault']);
    expect(result.errors).toEqual([]);
    const readings = [...readingsOf(result.days[0])];
    expect(readings[0]).toMatchObject({ quality: 'F', method: 14, reasonCode: 76 });
    expect(readings[19]).toMatchObject({ quality: 'F' });
    expect(readings[20]).toMatchObject({ quality: 'A', method: null, reasonCode: null });
    expect(readings[47]).toMatchObject({ quality: 'S', method: 14, reasonCode: 1 });
    expect(result.summary.quality).toEqual({ F: 20, A: 4, S: 24 });
  });

  it('accept the N (null data) flag of old AEMO examples', () => {
    expect(v(['400,1,47,A,,', '400,48,48,N,,']).errors).toEqual([]);
  });

  it('must tile the whole V day: gaps are rejected', () => {
    const gap = v(['400,1,20,A,,', '400,25,48,A,,']);
    expect(codes(gap.errors)).toEqual(['QUALITY_RANGES_INCOMPLETE']);
    expect(gap.errors[0].line).toBe(5);
    const short = v(['400,1,40,A,,']);
    expect(codes(short.errors)).toEqual(['QUALITY_RANGES_INCOMPLETE']);
    expect(codes(v([]).errors)).toEqual(['MISSING_QUALITY_RANGES']);
  });

  it('must not overlap, run backwards or leave the day', () => {
    expect(codes(v(['400,1,30,A,,', '400,25,48,A,,']).errors)).toEqual(['INVALID_QUALITY_RANGE']);
    expect(codes(v(['400,1,48,A,,', '400,49,96,A,,']).errors)).toEqual(['INVALID_QUALITY_RANGE']);
    expect(codes(v(['400,20,1,A,,', '400,21,48,A,,']).errors)).toEqual(['INVALID_QUALITY_RANGE']);
  });

  it('may not carry V themselves', () => {
    expect(codes(v(['400,1,48,V,,']).errors)).toEqual(['INVALID_QUALITY']);
  });

  it('under a non-V row override its quality for their intervals, with a warning', () => {
    const result = parse(nem12([HEADER, CHANNEL_E1, day('20240102'), '400,1,5,S53,1,Substituted opening intervals', '900']));
    expect(codes(result.warnings)).toEqual(['QUALITY_RANGE_ON_UNIFORM_DAY']);
    expect(result.days[0].quality).toEqual([
      { from: 1, to: 5, flag: 'S', method: 53, reasonCode: 1, reasonDescription: 'Substituted opening intervals' },
      { from: 6, to: 48, flag: 'A', method: null, reasonCode: null, reasonDescription: '' },
    ]);
  });

  it('with no 300 before them are rejected', () => {
    const result = parse(nem12([HEADER, CHANNEL_E1, '400,1,48,A,,', '900']));
    expect(codes(result.errors)).toEqual(['ORPHAN_QUALITY_RANGE']);
  });
});

describe('500 and 900', () => {
  it('500 manual reads are reported as events and change no value', () => {
    const result = parse(nem12([HEADER, CHANNEL_E1, day('20050301'), '500,O,S01009,20050310121004,', '900']));
    const read = result.events.find((event) => event.type === 'manualRead');
    expect(read).toMatchObject({ transactionCode: 'O', retailServiceOrder: 'S01009', readAt: '2005-03-10T12:10:04+10:00', line: 4 });
    expect(result.days[0].values.every((value) => value === '1.5')).toBe(true);
  });

  it('a file without 900 may be truncated: rejected', () => {
    const result = parse(nem12([HEADER, CHANNEL_E1, day('20040201')]));
    expect(codes(result.errors)).toEqual(['MISSING_END']);
  });

  it('a file with only 100 and 900 is loadable, with a warning that it has no data', () => {
    const result = parse(nem12([HEADER, '900']));
    expect(result.ok).toBe(true);
    expect(codes(result.warnings)).toEqual(['NO_INTERVAL_DATA']);
  });

  it('an unknown record is rejected with its line', () => {
    const result = parse(nem12([HEADER, CHANNEL_E1, day('20040201'), '700,X', '900']));
    expect(codes(result.errors)).toEqual(['UNKNOWN_RECORD']);
    expect(result.errors[0].line).toBe(4);
  });

  it('a file that is not NEM12 at all stops at its first line', () => {
    const result = parse('name,age\nbob,42\n'.repeat(1000));
    expect(codes(result.errors)).toEqual(['NOT_NEM12']);
    expect(result.errors[0].line).toBe(1);
  });
});

it('counts bytes, lines, records, days and readings as it goes', () => {
  const text = nem12([HEADER, CHANNEL_E1, day('20040201'), day('20040202'), '900']);
  const result = parse(text);
  expect(result.info).toEqual({ bytes: Buffer.byteLength(text), lines: 5, records: 5, days: 2, readings: 96, errors: 0, warnings: 0 });
  const days: DayRecord[] = result.days;
  expect(days.map((d) => d.offset)).toEqual([text.indexOf('300,20040201'), text.indexOf('300,20040202')]);
});

describe('fields are read exactly as written: nothing is trimmed away', () => {
  it.each([
    ['a space before a quality method', day('20040201', undefined, ' A,,,20040202120025,20040202142516'), 'INVALID_QUALITY'],
    ['a no-break space after a value', day('20040201', ['1.5\u00a0', ...Array(47).fill('1')]), 'INVALID_VALUE'],
    ['a NUL in a value', day('20040201', ['1\u00005', ...Array(47).fill('1')]), 'INVALID_CHARACTER'],
    ['a lone CR in the tail', day('20040201', undefined, 'A,,,20040202120025\r,20040202142516'), 'INVALID_CHARACTER'],
    ['a byte-order mark in a reason description', day('20040201', undefined, 'F14,76,\uFEFFfault,20040202120025,20040202142516'), 'INVALID_CHARACTER'],
    ['a space after the UpdateDateTime', day('20040201', undefined, 'A,,,20040202120025 ,20040202142516'), 'INVALID_DATETIME'],
    ['a value with 16 integer digits', day('20040201', ['1234567890123456', ...Array(47).fill('1')]), 'VALUE_TOO_LONG'],
  ])('%s: rejected', (_, row, code) => {
    const result = parse(nem12([HEADER, CHANNEL_E1, row, '900']));
    expect(codes(result.errors)).toEqual([code]);
    expect(result.errors[0].line).toBe(3);
  });

  it('a value of 15 digits before and after the point is exact', () => {
    const big = '123456789012345.123456789012345';
    const result = parse(nem12([HEADER, CHANNEL_E1, day('20040201', [big, ...Array(47).fill('1')]), '900']));
    expect(result.ok).toBe(true);
    expect(result.days[0].values[0]).toBe(big);
    expect(result.summary.channels[0].total).toBe('123456789012392.123456789012345');
  });

  it('a byte-order mark counts only at the very start of the file', () => {
    const start = parse(`\uFEFF${nem12([HEADER, CHANNEL_E1, day('20040201'), '900'])}`);
    expect(start.ok).toBe(true);
    const later = parse(nem12([HEADER, `\uFEFF${CHANNEL_E1}`, day('20040201'), '900']));
    expect(codes(later.errors)).toContain('INVALID_CHARACTER');
  });

  it('bytes that are not UTF-8 are read as U+FFFD with a warning', () => {
    const bytes = Buffer.concat([Buffer.from(`${HEADER}\n${CHANNEL_E1}\n`), Buffer.from(day('20040201', undefined, 'F14,76,M'), 'latin1'), Buffer.from([0xe9]), Buffer.from('t,20040202120025,20040202142516\n900\n')]);
    const result = parse(bytes as unknown as string);
    expect(result.ok).toBe(true);
    expect(result.warnings.map((w) => [w.code, w.line])).toEqual([['INVALID_ENCODING', 3]]);
    expect(result.days[0].quality[0].reasonDescription).toBe('M\uFFFDt');
  });

  it.each([
    ['100,NEM12,200405011135,MDA1,Ret1,EXTRA', 'TOO_MANY_FIELDS'],
    ['900,300', 'TOO_MANY_FIELDS'],
  ])('a header or end record with data after its fields (%s) is rejected', (record, code) => {
    const lines = record.startsWith('100') ? [record, CHANNEL_E1, day('20040201'), '900'] : [HEADER, CHANNEL_E1, day('20040201'), record];
    expect(codes(parse(nem12(lines)).errors)).toContain(code);
  });

  it('joins a hard wrap inside the last field of a complete 300 row (variant-B Flo sample)', () => {
    const row = day('20050301', Array(48).fill('0.461'), 'A,,,20050310121004,20050310182204');
    const cut = row.length - 11; // ...,2 | 0050310182204
    const result = parse(nem12([HEADER, CHANNEL_E1, row.slice(0, cut), row.slice(cut), '900']));
    expect(result.errors).toEqual([]);
    expect(result.warnings.map((w) => [w.code, w.line])).toEqual([['HARD_WRAPPED_ROW', 3]]);
    expect(result.days[0].msatsLoadedAt).toBe('2005-03-10T18:22:04+10:00');
  });
});
