import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatCount,
  formatDateRange,
  formatDateTime,
  formatDuration,
  formatInterval,
  formatKwh,
  formatRate,
  issueLocation,
  loadingRate,
  plural,
  qualityFlagName,
  secondsLeft,
} from '../src/uploads/format';
import { makeUpload } from './uploads.fixtures';

describe('formatBytes', () => {
  it.each([
    [0, '0 bytes'],
    [1, '1 byte'],
    [1023, '1,023 bytes'],
    [1024, '1 KB'],
    [1536, '1.5 KB'],
    [40 * 1024, '40 KB'],
    [5 * 1024 * 1024 + 300 * 1024, '5.3 MB'],
    [1024 ** 3, '1 GB'],
    [1.5 * 1024 ** 3, '1.5 GB'],
  ])('%d bytes is %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });

  it('does not pretend to format nonsense', () => {
    expect(formatBytes(-1)).toBe('—');
    expect(formatBytes(Number.NaN)).toBe('—');
  });
});

describe('counts', () => {
  it('groups thousands and pluralises', () => {
    expect(formatCount(17856)).toBe('17,856');
    expect(plural(1, 'error')).toBe('1 error');
    expect(plural(0, 'error')).toBe('0 errors');
    expect(plural(1152, 'reading')).toBe('1,152 readings');
    expect(plural(2, 'day')).toBe('2 days');
  });
});

describe('loading rate and time left', () => {
  const loadingAt = new Date('2024-05-01T02:00:00Z');

  it('is readings loaded over the seconds between loadingAt and the last progress report', () => {
    const upload = makeUpload({
      status: 'loading',
      readings: { total: 10_000, loaded: 2_500, new: 0, updated: 0, unchanged: 0 },
      loadingAt,
      updatedAt: new Date(loadingAt.getTime() + 5_000),
    });
    expect(loadingRate(upload)).toBe(500);
    expect(secondsLeft(10_000, 2_500, 500)).toBe(15);
  });

  it('is unknown before any progress or without timestamps', () => {
    const readings = { total: 100, loaded: 0, new: 0, updated: 0, unchanged: 0 };
    expect(loadingRate(makeUpload({ readings, loadingAt, updatedAt: loadingAt }))).toBeNull();
    expect(loadingRate(makeUpload({ readings: { ...readings, loaded: 50 }, loadingAt: null }))).toBeNull();
    expect(loadingRate(makeUpload({ readings: { ...readings, loaded: 50 }, loadingAt, updatedAt: loadingAt }))).toBeNull();
    expect(secondsLeft(100, 0, null)).toBeNull();
    expect(secondsLeft(100, 0, 0)).toBeNull();
  });

  it('never counts down below zero', () => {
    expect(secondsLeft(100, 120, 10)).toBe(0);
  });

  it('formats the rate', () => {
    expect(formatRate(12345.6)).toBe('12,346 readings/s');
    expect(formatRate(2.25)).toBe('2.3 readings/s');
  });
});

describe('formatDuration', () => {
  it.each([
    [0.4, 'under a second'],
    [42, '42 s'],
    [60, '1 min'],
    [185, '3 min 5 s'],
    [3600, '1 h'],
    [7800, '2 h 10 min'],
  ])('%d s is %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});

describe('quality flags', () => {
  it('names each NEM12 flag', () => {
    expect(qualityFlagName('A')).toBe('Actual');
    expect(qualityFlagName('E')).toBe('Forward estimate');
    expect(qualityFlagName('F')).toBe('Final substitute');
    expect(qualityFlagName('S')).toBe('Substitute');
    expect(qualityFlagName('N')).toBe('Null');
    expect(qualityFlagName('X')).toBe('Unknown flag');
    expect(qualityFlagName('toString')).toBe('Unknown flag');
  });
});

describe('other fields', () => {
  it('says where an issue is', () => {
    expect(issueLocation(3)).toBe('line 3');
    expect(issueLocation(12000)).toBe('line 12,000');
    expect(issueLocation(0)).toBe('file');
  });

  it('formats intervals, date ranges and kWh', () => {
    expect(formatInterval(30)).toBe('30 min');
    expect(formatInterval(5)).toBe('5 min');
    expect(formatInterval(60)).toBe('1 h');
    expect(formatInterval(1440)).toBe('1 day');
    expect(formatDateRange('2003-12-04', '2003-12-05')).toBe('2003-12-04 to 2003-12-05');
    expect(formatDateRange('2003-12-04', '2003-12-04')).toBe('2003-12-04');
    expect(formatDateRange(null, null)).toBe('—');
    expect(formatKwh('1234.5678')).toBe('1,234.568');
    expect(formatKwh(null)).toBe('—');
  });

  it('writes times as ISO dates in the browser\'s time zone', () => {
    expect(formatDateTime(new Date(2026, 11, 2, 9, 5))).toBe('2026-12-02 09:05');
  });
});
