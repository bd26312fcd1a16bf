import { describe, expect, it } from 'vitest';
import { addDays, daysInRange, defaultSelection, fitGranularity, formatFigure, nemClock, rangeProblem, seriesPoints } from '../src/explorer/explorerModel';
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
