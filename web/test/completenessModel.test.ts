import { describe, expect, it } from 'vitest';
import { calendarMonths, dayLabel, defaultRange, explorerHash, formatPercent, formatRuns, formatShare, rangeProblem, shareBand } from '../src/completeness/completenessModel';
import { completenessHash, completenessViewOfHash } from '../src/completeness/completenessUrl';
import { nemDayOf } from '../src/explorer/dates';
import { day } from './completeness.fixtures';

describe('the days of the report', () => {
  it('are NEM days: UTC+10 whatever the browser says', () => {
    // 13:59 UTC is 23:59 in NEM time; 14:00 UTC is already the next NEM day.
    expect(nemDayOf(new Date('2024-03-10T13:59:00Z'))).toBe('2024-03-10');
    expect(nemDayOf(new Date('2024-03-10T14:00:00Z'))).toBe('2024-03-11');
  });

  it('open on the 28 days ending yesterday', () => {
    expect(defaultRange(new Date('2024-03-10T14:30:00Z'))).toEqual({ from: '2024-02-12', to: '2024-03-10' });
    expect(defaultRange(new Date('2024-03-01T03:00:00Z'))).toEqual({ from: '2024-02-02', to: '2024-02-29' });
  });

  it('are at most 366, first before last', () => {
    expect(rangeProblem('2024-01-01', '2024-12-31')).toBeNull();
    expect(rangeProblem('2024-01-01', '2025-01-01')).toBe('The report covers at most 366 days; this range has 367.');
    expect(rangeProblem('2024-03-02', '2024-03-01')).toBe('The first day must not be after the last.');
    expect(rangeProblem('2024-02-30', '2024-03-01')).toBe('Choose both dates.');
  });

  it('live in the URL; a link that makes no report is ignored', () => {
    const view = { from: '2024-03-01', to: '2024-03-28', status: 'partial' as const };
    expect(completenessHash(view)).toBe('#/completeness?from=2024-03-01&to=2024-03-28&status=partial');
    expect(completenessViewOfHash(completenessHash(view))).toEqual(view);
    expect(completenessViewOfHash('#/completeness?from=2024-03-01&to=2024-03-28&status=gone')).toEqual({ ...view, status: 'missing' });
    expect(completenessViewOfHash('#/completeness')).toBeNull();
    expect(completenessViewOfHash('#/completeness?from=2024-03-01&to=2025-03-28')).toBeNull();
    expect(completenessViewOfHash('#/explorer?from=2024-03-01&to=2024-03-28')).toBeNull();
  });
});

describe('the calendar', () => {
  it('lays the range out by month, in weeks starting on Monday', () => {
    const months = calendarMonths({ from: '2024-02-28', to: '2024-03-04', days: [day('2024-02-28'), day('2024-03-04', { expected: 0, complete: 0, received: 0, readings: 0, actual: 0 })] });
    expect(months.map((month) => month.label)).toEqual(['February 2024', 'March 2024']);
    // 28 February 2024 is a Wednesday; 1 March a Friday; 4 March a Monday.
    expect(months[0].weeks.map((week) => week.map((cell) => cell?.day.slice(8) ?? '..'))).toEqual([['..', '..', '28', '29', '..', '..', '..']]);
    expect(months[1].weeks.map((week) => week.map((cell) => cell?.day.slice(8) ?? '..'))).toEqual([
      ['..', '..', '..', '..', '01', '02', '03'],
      ['04', '..', '..', '..', '..', '..', '..'],
    ]);
    // A day the API did not list is one with nothing expected.
    expect(months[1].weeks[0][4]).toMatchObject({ day: '2024-03-01', expected: 0 });
  });

  it('colours a day by the share of its expected streams received complete', () => {
    expect([1, 0.95, 0.9, 0.899, 0.5, 0.49, 0, null].map(shareBand)).toEqual(['all', 'most', 'most', 'some', 'some', 'few', 'few', 'none']);
    // Rounded down: one stream missing of 1,000 is not "100%".
    expect([1, 0.999, 0.5, 0].map(formatPercent)).toEqual(['100%', '99%', '50%', '0%']);
  });

  it('says a day in words: its counts and its readings by quality', () => {
    expect(dayLabel(day('2024-03-05', { expected: 12, received: 11, complete: 10, partial: 1, missing: 1, readings: 4512, actual: 4000, estimated: 500, substituted: 12, variable: 0 }))).toBe(
      'Tuesday 5 March 2024: 10 of 12 expected streams complete (83%), 1 partial, 1 missing; 4,512 readings: 4,000 actual, 500 estimated, 12 substituted.',
    );
    expect(dayLabel(day('2024-03-10', { expected: 0, received: 0, complete: 0, readings: 0, actual: 0 }))).toBe('Sunday 10 March 2024: no stream expected.');
  });
});

describe('a stream with gaps', () => {
  it('shows its runs of missing days, a few at most', () => {
    const runs = [
      { from: '2024-03-05', to: '2024-03-07' },
      { from: '2024-03-09', to: '2024-03-09' },
      { from: '2024-03-11', to: '2024-03-12' },
      { from: '2024-03-20', to: '2024-03-20' },
    ];
    expect(formatRuns(runs.slice(0, 2))).toBe('2024-03-05 to 2024-03-07, 2024-03-09');
    expect(formatRuns(runs)).toBe('2024-03-05 to 2024-03-07, 2024-03-09, 2024-03-11 to 2024-03-12 and 1 more');
    expect([0.0213, 0, null].map(formatShare)).toEqual(['2.1%', '0%', '—']);
  });

  it('opens the explorer on its NMI and the report’s days; a registered NMI never received has no stream to open', () => {
    expect(explorerHash({ nmi: 'NCDE001111', suffix: 'E1' }, { from: '2024-03-01', to: '2024-03-28' })).toBe('#/explorer?nmi=NCDE001111&channel=E1&from=2024-03-01&to=2024-03-28&by=day');
    expect(explorerHash({ nmi: 'NEVER00001', suffix: null }, { from: '2024-03-01', to: '2024-03-28' })).toBeNull();
  });
});
