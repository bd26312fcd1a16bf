import { describe, expect, it } from 'vitest';
import { dateOfDayNumber, dayNumber, intervalEndClock, nemIsoOfEpochSeconds, nextDate, parseNemDate, parseNemDateTime } from '../src/index.js';

describe('NEM time', () => {
  it('validates calendar dates, leap years included', () => {
    expect(parseNemDate('20240229')).toBe('2024-02-29');
    expect(parseNemDate('20230229')).toBeNull();
    expect(parseNemDate('19000229')).toBeNull();
    expect(parseNemDate('20000229')).toBe('2000-02-29');
    expect(parseNemDate('20241301')).toBeNull();
    expect(parseNemDate('20240431')).toBeNull();
  });

  it('reads date-times as instants at UTC+10', () => {
    expect(parseNemDateTime('20040202120025')).toBe('2004-02-02T12:00:25+10:00');
    expect(new Date(parseNemDateTime('20240101000000')!).toISOString()).toBe('2023-12-31T14:00:00.000Z');
    expect(parseNemDateTime('20040202246000')).toBeNull();
  });

  it('numbers days the same way Date does', () => {
    for (let day = -30_000; day < 50_000; day += 997) {
      const date = new Date(day * 86_400_000).toISOString().slice(0, 10);
      expect(dayNumber(date)).toBe(day);
      expect(dateOfDayNumber(day)).toBe(date);
    }
    expect(nextDate('2024-02-28')).toBe('2024-02-29');
    expect(nextDate('2024-12-31')).toBe('2025-01-01');
  });

  it('names interval ends from 00:05 to 24:00', () => {
    const five = intervalEndClock(5);
    expect(five).toHaveLength(288);
    expect([five[0], five[11], five[287]]).toEqual(['00:05', '01:00', '24:00']);
    expect(intervalEndClock(30).slice(-2)).toEqual(['23:30', '24:00']);
  });

  it('writes instants in NEM time, UTC+10 all year (no daylight saving in January)', () => {
    expect(nemIsoOfEpochSeconds(Date.parse('2024-01-01T13:30:00Z') / 1000)).toBe('2024-01-01T23:30:00+10:00');
    expect(nemIsoOfEpochSeconds(Date.parse('2024-07-01T14:00:00Z') / 1000)).toBe('2024-07-02T00:00:00+10:00');
    expect(nemIsoOfEpochSeconds(0)).toBe('1970-01-01T10:00:00+10:00');
  });
});
