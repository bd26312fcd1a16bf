import { describe, expect, it } from 'vitest';
import { addDays, daysInRange, defaultSelection, fitGranularity, formatFigure, nemClock, peakPoint, rangeProblem, seriesCsv, seriesPoints, timeTicks } from '../src/explorer/explorerModel';
import { listing, stats } from './explorer.fixtures';

describe('the explorer model', () => {
  it('opens on the first NMI, its first consumption channel, over its latest 30 days', () => {
    expect(defaultSelection(listing)).toEqual({ nmi: 'NCDE001111', suffix: 'E1', from: '2003-11-06', to: '2003-12-05', granularity: 'day' });
  });

  it('starts at the first day of data when a channel has fewer than 30 days', () => {
    const short = { nmis: [{ nmi: 'X', channels: [listing.nmis[0].channels[2]] }], nextCursor: null, recent: [] };
    expect(defaultSelection(short)).toMatchObject({ suffix: 'Q1', from: '2003-12-04', to: '2003-12-05' });
  });

  it('has nothing to show without NMIs or readings', () => {
    expect(defaultSelection({ nmis: [], nextCursor: null, recent: [] })).toBeNull();
    const empty = { ...listing.nmis[0].channels[0], firstDate: null, lastDate: null, firstReading: null, lastReading: null };
    expect(defaultSelection({ nmis: [{ nmi: 'X', channels: [empty] }], nextCursor: null, recent: [] })).toBeNull();
  });

  it('counts days inclusively across months and leap days', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(daysInRange('2024-02-01', '2024-03-01')).toBe(30);
    expect(daysInRange('2024-05-05', '2024-05-05')).toBe(1);
  });

  it('falls back from interval to day charts beyond 31 days', () => {
    expect(fitGranularity({ nmi: 'X', suffix: 'E1', from: '2024-01-01', to: '2024-01-31', granularity: 'interval' }).granularity).toBe('interval');
    expect(fitGranularity({ nmi: 'X', suffix: 'E1', from: '2024-01-01', to: '2024-02-01', granularity: 'interval' }).granularity).toBe('day');
  });

  it('says what is wrong with a range', () => {
    expect(rangeProblem('2024-01-01', '2024-01-31', 'day')).toBeNull();
    expect(rangeProblem('', '2024-01-31', 'day')).toMatch(/both dates/);
    expect(rangeProblem('2024-02-01', '2024-01-31', 'day')).toMatch(/not be after/);
    expect(rangeProblem('2024-01-01', '2024-03-01', 'interval')).toMatch(/at most 31 days; this range has 61/);
    expect(rangeProblem('2020-01-01', '2024-01-01', 'month')).toMatch(/at most 1096/);
  });

  it("shows the API's NEM times as they are, without the browser's time zone", () => {
    expect(nemClock('2003-12-05T18:30:00+10:00')).toBe('2003-12-05 18:30');
    expect(seriesPoints({ ...stats, granularity: 'interval', series: [{ period: '2003-12-06T00:00:00+10:00', readings: 1, total: '0.5' }] })).toEqual([
      { period: '2003-12-06T00:00:00+10:00', label: '2003-12-06 00:00', total: 0.5 },
    ]);
  });

  it('formats exact decimal strings with their unit', () => {
    expect(formatFigure('1921.5', 'kWh')).toBe('1,921.5 kWh');
    expect(formatFigure('0.0100084', 'kWh', 6)).toBe('0.010008 kWh');
    expect(formatFigure('12', null)).toBe('12');
    expect(formatFigure(null, 'kWh')).toBe('—');
  });
});

describe('chart ticks and the peak', () => {
  const days = (from: string, count: number) => Array.from({ length: count }, (_, i) => addDays(from, i));

  it('puts ticks where people read time: midnights, Mondays, the 1st of months', () => {
    expect(timeTicks(days('2024-01-01', 7), 'day')).toEqual(days('2024-01-01', 7));
    // 30 days: Mondays (2024-01-01 was one).
    expect(timeTicks(days('2024-01-01', 30), 'day')).toEqual(['2024-01-01', '2024-01-08', '2024-01-15', '2024-01-22', '2024-01-29']);
    // A year: the 1st of each month.
    expect(timeTicks(days('2024-01-01', 366), 'day')).toEqual(['2024-01-01', '2024-02-01', '2024-03-01', '2024-04-01', '2024-05-01', '2024-06-01', '2024-07-01', '2024-08-01', '2024-09-01', '2024-10-01', '2024-11-01', '2024-12-01']);
    const intervals = days('2024-01-01', 3).flatMap((day) => Array.from({ length: 48 }, (_, i) => `${day} ${String(Math.floor(((i + 1) * 30) / 60) % 24).padStart(2, '0')}:${(i + 1) % 2 ? '30' : '00'}`));
    expect(timeTicks(intervals, 'interval')).toEqual(['2024-01-01 00:00', '2024-01-02 00:00', '2024-01-03 00:00']);
    expect(timeTicks(intervals.slice(0, 47), 'interval')).toEqual(['2024-01-01 03:00', '2024-01-01 06:00', '2024-01-01 09:00', '2024-01-01 12:00', '2024-01-01 15:00', '2024-01-01 18:00', '2024-01-01 21:00']);
  });

  it('marks the first of the largest points', () => {
    expect(peakPoint([{ total: 1 }, { total: 3, at: 'a' }, { total: 3, at: 'b' }])).toEqual({ total: 3, at: 'a' });
    expect(peakPoint([])).toBeNull();
  });
});

describe('the series as CSV', () => {
  it('has a line per period, with the unit in its header', () => {
    expect(seriesCsv(stats)).toBe('nem_day,readings,total_kWh\r\n2003-12-04,96,960\r\n2003-12-05,96,961.5\r\n');
  });
});
