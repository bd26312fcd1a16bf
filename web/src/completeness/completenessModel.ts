import type { CompletenessDay, CompletenessSummary, GapStatus, GapStream, GapStreamsPage, RegisterSummary } from '../../../functions/src/api/apiTypes';
import { isCalendarDay, MONTHS, nemDayOf } from '../explorer/dates';
import { addDays, daysInRange } from '../explorer/explorerModel';
import { viewHash } from '../explorer/viewUrl';
import { formatCount } from '../uploads/format';

export type { CompletenessDay, CompletenessSummary, GapStatus, GapStream, GapStreamsPage, RegisterSummary };

/**
 * The completeness view: which NEM days, and which list of streams. Pure: days are `YYYY-MM-DD`
 * strings, never converted through the browser's time zone.
 */
export interface CompletenessView {
  from: string;
  to: string;
  status: GapStatus;
}

/** The API's limit (functions/src/api/apiParams.ts, COMPLETENESS_MAX_DAYS). */
export const MAX_RANGE_DAYS = 366;
export const DEFAULT_RANGE_DAYS = 28;

/** The DEFAULT_RANGE_DAYS NEM days ending yesterday: today's files have not all arrived yet. */
export function defaultRange(now: Date): { from: string; to: string } {
  const to = addDays(nemDayOf(now), -1);
  return { from: addDays(to, -(DEFAULT_RANGE_DAYS - 1)), to };
}

/** What is wrong with a range of ISO days for the report, or null. */
export function rangeProblem(from: string, to: string): string | null {
  if (!isCalendarDay(from) || !isCalendarDay(to)) return 'Choose both dates.';
  if (from > to) return 'The first day must not be after the last.';
  const days = daysInRange(from, to);
  return days > MAX_RANGE_DAYS ? `The report covers at most ${MAX_RANGE_DAYS} days; this range has ${days}.` : null;
}

export const STATUSES: { id: GapStatus; label: string; streams: string }[] = [
  { id: 'missing', label: 'Missing days', streams: 'with missing days' },
  { id: 'partial', label: 'Empty intervals', streams: 'with empty intervals' },
  { id: 'estimated', label: 'Estimated', streams: 'with estimated or substituted readings' },
];

export const statusOf = (id: GapStatus) => STATUSES.find((status) => status.id === id)!;

/** Share of the streams expected that day received complete; null when none was expected. */
export function shareComplete(day: Pick<CompletenessDay, 'complete' | 'expected'>): number | null {
  return day.expected === 0 ? null : day.complete / day.expected;
}

/** The calendar's colours, worst last; a day with no stream expected has none. */
export type ShareBand = 'all' | 'most' | 'some' | 'few' | 'none';
export const BANDS: { band: ShareBand; label: string }[] = [
  { band: 'all', label: 'Every stream complete' },
  { band: 'most', label: '90% or more' },
  { band: 'some', label: '50% to 90%' },
  { band: 'few', label: 'Under 50%' },
  { band: 'none', label: 'No stream expected' },
];

export function shareBand(share: number | null): ShareBand {
  if (share === null) return 'none';
  return share >= 1 ? 'all' : share >= 0.9 ? 'most' : share >= 0.5 ? 'some' : 'few';
}

/** Whole percent, rounded down below 100: a day with one stream missing never reads "100%". */
export function formatPercent(share: number): string {
  return `${share >= 1 ? 100 : Math.floor(share * 100)}%`;
}

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
export const WEEKDAY_NAMES = WEEKDAYS.map((name) => ({ name, short: name.slice(0, 3) }));

/** 0 for Monday ... 6 for Sunday: weeks start on Monday, as Australian calendars do. */
export function weekdayOf(date: string): number {
  return (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7;
}

/** "Tuesday 5 March 2024". */
export function longDate(date: string): string {
  return `${WEEKDAYS[weekdayOf(date)]} ${Number(date.slice(8, 10))} ${MONTHS[Number(date.slice(5, 7)) - 1]} ${date.slice(0, 4)}`;
}

export interface CalendarMonth {
  /** "March 2024". */
  label: string;
  /** Weeks of seven cells, Monday first: a day of the range, or null (outside it). */
  weeks: (CompletenessDay | null)[][];
}

/** A day the API did not list (it lists every day of the range): nothing expected, nothing received. */
const emptyDay = (day: string): CompletenessDay => ({ day, expected: 0, received: 0, complete: 0, partial: 0, missing: 0, readings: 0, actual: 0, estimated: 0, substituted: 0, variable: 0 });

/** The range's days laid out month by month, each as weeks. */
export function calendarMonths(summary: Pick<CompletenessSummary, 'from' | 'to' | 'days'>): CalendarMonth[] {
  const byDay = new Map(summary.days.map((day) => [day.day, day]));
  const months: CalendarMonth[] = [];
  for (let date = summary.from; date <= summary.to; date = addDays(date, 1)) {
    const label = `${MONTHS[Number(date.slice(5, 7)) - 1]} ${date.slice(0, 4)}`;
    let month = months.at(-1);
    if (month?.label !== label) {
      month = { label, weeks: [] };
      months.push(month);
    }
    let week = month.weeks.at(-1);
    if (week === undefined || weekdayOf(date) === 0) {
      week = Array<CompletenessDay | null>(7).fill(null);
      month.weeks.push(week);
    }
    week[weekdayOf(date)] = byDay.get(date) ?? emptyDay(date);
  }
  return months;
}

/** A day in words, for its cell's label and the calendar's readout: the counts the colour stands for. */
export function dayLabel(day: CompletenessDay): string {
  const share = shareComplete(day);
  if (share === null) return `${longDate(day.day)}: no stream expected.`;
  const streams = `${formatCount(day.complete)} of ${formatCount(day.expected)} expected streams complete (${formatPercent(share)}), ${formatCount(day.partial)} partial, ${formatCount(day.missing)} missing`;
  const kinds: [number, string][] = [
    [day.actual, 'actual'],
    [day.estimated, 'estimated'],
    [day.substituted, 'substituted'],
    [day.variable, 'of mixed quality'],
  ];
  const shown = kinds.filter(([count]) => count > 0).map(([count, kind]) => `${formatCount(count)} ${kind}`);
  const readings = `${formatCount(day.readings)} ${day.readings === 1 ? 'reading' : 'readings'}${shown.length > 0 ? `: ${shown.join(', ')}` : ''}`;
  return `${longDate(day.day)}: ${streams}; ${readings}.`;
}

/** The calendar in one sentence, before its days. */
export function calendarSummary(days: readonly CompletenessDay[]): string {
  const expected = days.filter((day) => day.expected > 0);
  const whole = expected.filter((day) => day.complete === day.expected).length;
  if (expected.length === 0) return 'No stream was expected on any of these days.';
  return `Every expected stream arrived complete on ${formatCount(whole)} of ${formatCount(expected.length)} ${expected.length === 1 ? 'day' : 'days'} with streams expected.`;
}

/** "2024-03-05 to 2024-03-07" or "2024-03-09"; at most `most` runs, then how many more. */
export function formatRuns(runs: readonly { from: string; to: string }[], most = 3): string {
  const shown = runs.slice(0, most).map((run) => (run.from === run.to ? run.from : `${run.from} to ${run.to}`));
  const more = runs.length - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${formatCount(more)} more` : shown.join(', ');
}

const shareFormat = new Intl.NumberFormat('en-AU', { style: 'percent', maximumFractionDigits: 1 });

/** A share of readings: "2.1%", "—" when none was received. */
export function formatShare(share: number | null): string {
  return share === null ? '—' : shareFormat.format(share);
}

/** The explorer on a stream over the report's days; none for a registered NMI never received (no stream to show). */
export function explorerHash(stream: Pick<GapStream, 'nmi' | 'suffix'>, view: Pick<CompletenessView, 'from' | 'to'>): string | null {
  return stream.suffix === null ? null : viewHash({ nmi: stream.nmi, suffix: stream.suffix, from: view.from, to: view.to, granularity: 'day' });
}

/** The name the API gives the list's CSV (its Content-Disposition), kept when saved. */
export function streamsCsvName(view: CompletenessView): string {
  return `${view.status}-streams-${view.from}-to-${view.to}.csv`;
}
