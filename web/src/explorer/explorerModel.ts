import { csvText } from '../csvText';
import type { ChannelListing, ChannelStats, Granularity, NmiListing } from '../../../functions/src/api/apiTypes';
import type { Upload } from '../uploads/model';
import { isCalendarDay } from './dates';

export type { ChannelListing, ChannelStats, Granularity, NmiListing };
/** One NMI with its channels, as /nmis lists it. */
export type NmiEntry = NmiListing['nmis'][number];
export type { Reading, ReadingsPage } from '../../../functions/src/api/apiTypes';

/**
 * What the explorer shows: one NMI's channel over a range of NEM days, at a granularity. Pure:
 * dates are `YYYY-MM-DD` strings and times the API's ISO strings in NEM time, never converted
 * through the browser's time zone.
 */
export interface Selection {
  nmi: string;
  suffix: string;
  from: string;
  to: string;
  granularity: Granularity;
  /** Another channel of the NMI drawn with it (energy channels only: both in kWh). */
  overlay?: string;
}

/** The channels of an NMI that can be drawn with `channel`: other energy channels (kWh, like it). */
export function overlayChoices(channels: readonly ChannelListing[], channel: ChannelListing | undefined): ChannelListing[] {
  if (!channel?.energy) return [];
  return channels.filter((other) => other.suffix !== channel.suffix && other.energy);
}

/** The selection without its overlay: what the main figures are asked for. */
export function mainOf(selection: Selection): Selection {
  const { overlay: _overlay, ...main } = selection;
  return main;
}

/** The API's limits (functions/src/api/apiParams.ts): interval series up to 31 days, others 1096. */
export const MAX_DAYS: Record<Granularity, number> = { interval: 31, day: 1096, month: 1096 };
export const DEFAULT_RANGE_DAYS = 30;

const DAY_MS = 86_400_000;

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Days from `from` to `to`, both included. */
export function daysInRange(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;
}

/** Consumption channels (E...) first: that is what people usually come to look at. */
export function preferredChannel(channels: readonly ChannelListing[]): ChannelListing | undefined {
  return channels.find((channel) => channel.suffix.startsWith('E')) ?? channels[0];
}

/** The channel's last DEFAULT_RANGE_DAYS days of data (fewer when it has fewer). */
export function defaultRange(channel: ChannelListing): { from: string; to: string } | null {
  if (channel.firstDate === null || channel.lastDate === null) return null;
  const from = addDays(channel.lastDate, -(DEFAULT_RANGE_DAYS - 1));
  return { from: from < channel.firstDate ? channel.firstDate : from, to: channel.lastDate };
}

export function selectionFor(nmi: string, channel: ChannelListing, granularity: Granularity = 'day'): Selection | null {
  const range = defaultRange(channel);
  return range === null ? null : fitGranularity({ nmi, suffix: channel.suffix, ...range, granularity });
}

/** The most recently loaded NMI's preferred channel (else the first NMI's), or null when there is nothing to show. */
export function defaultSelection(listing: NmiListing): Selection | null {
  for (const { nmi, channels } of [...listing.recent, ...listing.nmis]) {
    const channel = preferredChannel(channels);
    const selection = channel && selectionFor(nmi, channel);
    if (selection) return selection;
  }
  return null;
}

/** Interval series are limited to MAX_DAYS.interval: a longer range falls back to days. */
export function fitGranularity(selection: Selection): Selection {
  return daysInRange(selection.from, selection.to) > MAX_DAYS[selection.granularity] ? { ...selection, granularity: 'day' } : selection;
}

/** Why a granularity cannot chart a range (null: it can). */
export function granularityProblem(from: string, to: string, granularity: Granularity): string | null {
  const days = daysInRange(from, to);
  return days > MAX_DAYS[granularity] ? `${granularity === 'interval' ? 'Interval charts cover' : 'A chart covers'} at most ${MAX_DAYS[granularity]} days; this range has ${days}.` : null;
}

export type QuickRange = 'week' | 'days30' | 'thisMonth' | 'lastMonth' | 'all';
export const QUICK_RANGES: { id: QuickRange; label: string }[] = [
  { id: 'week', label: '7 days' },
  { id: 'days30', label: '30 days' },
  { id: 'thisMonth', label: 'This month' },
  { id: 'lastMonth', label: 'Last month' },
  { id: 'all', label: 'All' },
];

/**
 * A quick range of a channel's data, relative to its latest day (meter data arrives days late:
 * "this month" is the month of its latest reading), within its first and last day and at most
 * MAX_DAYS.day long. Null when the channel has no readings there.
 */
export function quickRange(id: QuickRange, channel: Pick<ChannelListing, 'firstDate' | 'lastDate'>): { from: string; to: string } | null {
  const { firstDate, lastDate } = channel;
  if (firstDate === null || lastDate === null) return null;
  const monthStart = `${lastDate.slice(0, 7)}-01`;
  const previousMonthStart = `${addDays(monthStart, -1).slice(0, 7)}-01`;
  const ranges: Record<QuickRange, { from: string; to: string }> = {
    week: { from: addDays(lastDate, -6), to: lastDate },
    days30: { from: addDays(lastDate, -29), to: lastDate },
    thisMonth: { from: monthStart, to: lastDate },
    lastMonth: { from: previousMonthStart, to: addDays(monthStart, -1) },
    all: { from: firstDate, to: lastDate },
  };
  const range = ranges[id];
  const from = [range.from, firstDate, addDays(range.to, -(MAX_DAYS.day - 1))].sort().at(-1)!;
  const to = range.to < lastDate ? range.to : lastDate;
  return from <= to ? { from, to } : null;
}

/**
 * The quick range shown as pressed: the one chosen, while the view is still its range; else the
 * first whose range the view is (30 days first: the default). One at most, even when several
 * ranges are the same days (a channel with one day of data).
 */
export function pressedQuickRange(channel: Pick<ChannelListing, 'firstDate' | 'lastDate'>, view: { from: string; to: string }, chosen: QuickRange | null): QuickRange | null {
  const shows = (id: QuickRange) => {
    const range = quickRange(id, channel);
    return range !== null && range.from === view.from && range.to === view.to;
  };
  if (chosen !== null && shows(chosen)) return chosen;
  const order: QuickRange[] = ['days30', ...QUICK_RANGES.map((option) => option.id).filter((id) => id !== 'days30')];
  return order.find(shows) ?? null;
}

/** What is wrong with a range of ISO days, or null. */
export function rangeProblem(from: string, to: string, granularity: Granularity): string | null {
  if (!isCalendarDay(from) || !isCalendarDay(to)) return 'Choose both dates.';
  if (from > to) return 'The first day must not be after the last.';
  return granularityProblem(from, to, granularity);
}

/** `2023-03-01T00:05:00+10:00` -> `2023-03-01 00:05` (already NEM time: no conversion). */
export function nemClock(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}

/** Chart points: the API's exact strings as numbers (for drawing only; figures are shown from the strings). */
export function seriesPoints(stats: ChannelStats): { period: string; label: string; total: number }[] {
  return stats.series.map((point) => ({
    period: point.period,
    label: stats.granularity === 'interval' ? nemClock(point.period) : point.period,
    total: Number(point.total),
  }));
}

/**
 * Where the time axis has its ticks: whole days for intervals (every 3 hours within one day), the
 * 1st of each month for long daily ranges (Mondays for shorter ones, every day for a week), every
 * month (or every third, beyond two years) for monthly ones. Labels of points, in their order.
 */
export function timeTicks(labels: readonly string[], granularity: Granularity): string[] {
  if (granularity === 'interval') {
    const midnights = labels.filter((label) => label.endsWith(' 00:00'));
    return midnights.length >= 2 ? thin(midnights, 8) : labels.filter((label) => /(00|03|06|09|12|15|18|21):00$/.test(label));
  }
  if (granularity === 'month') return labels.length > 24 ? labels.filter((label) => ['01', '04', '07', '10'].includes(label.slice(5, 7))) : [...labels];
  if (labels.length <= 8) return [...labels];
  const firsts = labels.filter((label) => label.endsWith('-01'));
  if (labels.length > 62 && firsts.length >= 2) return thin(firsts, 12);
  return labels.filter((label) => new Date(`${label}T00:00:00Z`).getUTCDay() === 1);
}

/** At most `most` of them, evenly: every second, third ... */
function thin(ticks: string[], most: number): string[] {
  const step = Math.ceil(ticks.length / most);
  return ticks.filter((_, index) => index % step === 0);
}

/** The point with the largest value (the first of equals), for the chart to mark. */
export function peakPoint<T extends { total: number }>(points: readonly T[]): T | null {
  return points.reduce<T | null>((best, point) => (best === null || point.total > best.total ? point : best), null);
}

/** The series a chart shows, as CSV: its period, readings and total in the stream's unit. */
export function seriesCsv(stats: ChannelStats): string {
  const period = { interval: 'interval_end', day: 'nem_day', month: 'month' }[stats.granularity];
  const header = [period, 'readings', `total_${(stats.unit ?? 'value').replace(/[^A-Za-z0-9]/g, '')}`];
  return csvText([header, ...stats.series.map((point) => [point.period, point.readings, point.total])]);
}

export function profilePoints(stats: ChannelStats): { time: string; average: number }[] {
  return stats.profile.map((slot) => ({ time: slot.time, average: Number(slot.average) }));
}

const LOCALE = 'en-AU';
const formats = new Map<string, Intl.NumberFormat>();

/** A decimal string, grouped and to at most `digits` decimals (3: a Wh in kWh; at least `least`), with its unit. */
export function formatFigure(value: string | null, unit: string | null, digits = 3, least = 0): string {
  if (value === null) return '—';
  const number = Number(value);
  const key = `${least}-${digits}`;
  if (!formats.has(key)) formats.set(key, new Intl.NumberFormat(LOCALE, { minimumFractionDigits: least, maximumFractionDigits: digits }));
  const shown = Number.isFinite(number) ? formats.get(key)!.format(number) : value;
  return unit ? `${shown} ${unit}` : shown;
}

/** Averages always to 3 decimals (1.000, not 1, for 0.99981): the exact value goes in a title. */
export function formatAverage(value: string | null, unit: string | null): string {
  return formatFigure(value, unit, 3, 3);
}

/**
 * Whether an upload that is done may have changed a view: its days meet the view's, and it lists
 * the view's NMI among its channels, or its list is cut (channelCount beyond those kept) and so
 * may hold any NMI. Without a summary it may have changed anything.
 */
export function touchesView(upload: Pick<Upload, 'summary'>, view: Pick<Selection, 'nmi' | 'from' | 'to'>): boolean {
  const summary = upload.summary;
  if (summary === null) return true;
  if (summary.firstDate !== null && summary.firstDate > view.to) return false;
  if (summary.lastDate !== null && summary.lastDate < view.from) return false;
  const channels = summary.channels ?? [];
  return (summary.channelCount ?? 0) > channels.length || channels.some((channel) => channel.nmi === view.nmi);
}

/** "E1 · kWh · 30 min" for a channel picker. */
export function channelLabel(channel: ChannelListing): string {
  const parts = [channel.suffix, channel.uom || 'no unit'];
  if (channel.intervalLength !== null) parts.push(`${channel.intervalLength} min`);
  return parts.join(' · ');
}
