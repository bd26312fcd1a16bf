import { DaySet } from './daySet.js';
import { DecimalSum, shiftDecimal } from './decimal.js';
import type { DayRecord, QualityFlag } from './records.js';
import { dateOfDayNumber, dayNumber } from './time.js';
import { KWH_EXPONENT } from './units.js';

export type QualityCounts = Partial<Record<QualityFlag, number>>;

export interface ChannelSummary {
  nmi: string;
  suffix: string;
  uom: string;
  intervalLength: number;
  /** Distinct days with a 300 row. */
  days: number;
  /** Intervals with a value. */
  readings: number;
  /** Exact sum of the values, in the channel's own unit. */
  total: string;
  /** The same in kWh, or null when the unit is not Wh/kWh/MWh. */
  totalKwh: string | null;
  firstDate: string;
  lastDate: string;
  /** Days between the first and the last without a 300 row, as inclusive date ranges (the first 20). */
  missingDays: [string, string][];
  /** How many days between the first and the last have no 300 row (all of them). */
  missingDayCount: number;
  /** Intervals written empty (no reading). */
  emptyIntervals: number;
  /** Readings by their effective quality flag (after 400 ranges). */
  quality: QualityCounts;
}

export interface FileSummary {
  readings: number;
  /** Every channel of the file. */
  channelCount: number;
  /** The first channels in file order, with their figures: all of them unless the builder lists fewer. */
  channels: ChannelSummary[];
  quality: QualityCounts;
  firstDate: string | null;
  lastDate: string | null;
  /** Days without a 300 row between each channel's first and last, over all channels. */
  missingDayCount: number;
  /** Intervals written empty, over all channels. */
  emptyIntervals: number;
}

interface ChannelState {
  nmi: string;
  suffix: string;
  uom: string;
  intervalLength: number;
  readings: number;
  emptyIntervals: number;
  quality: QualityCounts;
  days: DaySet;
  /** The exact total, kept for listed channels only (summing is the costly part of a summary). */
  total: DecimalSum | null;
  kwhExponent: number | null;
}

const MAX_GAPS_LISTED = 20;

/**
 * Totals and data-quality figures of a file, built from the parser's day events: what `nem12 check`
 * prints and what an upload's status shows. Memory grows with channels, not readings: a few small
 * objects per channel, and the decimal total only for the channels listed (the first `listed` in
 * file order), so a daily file of 100,000 NMIs costs little more than a history file.
 */
export class SummaryBuilder {
  private readonly channels = new Map<string, ChannelState>();
  private readonly listed: number;

  constructor(options: { listed?: number } = {}) {
    this.listed = options.listed ?? Infinity;
  }

  addDay(day: DayRecord): void {
    const state = this.stateOf(day);
    if (state.total !== null) state.total.add(day.total);
    state.days.add(dayNumber(day.date));
    const complete = day.valuesTextIfComplete;
    for (const range of day.quality) {
      let present = range.to - range.from + 1;
      if (complete === null) for (let i = range.from - 1; i < range.to; i++) if (day.values[i] === null) present--;
      state.readings += present;
      state.emptyIntervals += range.to - range.from + 1 - present;
      state.quality[range.flag] = (state.quality[range.flag] ?? 0) + present;
    }
  }

  private stateOf(day: DayRecord): ChannelState {
    const channel = day.channel;
    const key = `${channel.nmi},${channel.suffix},${channel.uom},${channel.intervalLength}`;
    let state = this.channels.get(key);
    if (state === undefined) {
      const listed = this.channels.size < this.listed;
      state = {
        nmi: channel.nmi,
        suffix: channel.suffix,
        uom: channel.uom,
        intervalLength: channel.intervalLength,
        readings: 0,
        emptyIntervals: 0,
        quality: {},
        days: new DaySet(),
        total: listed ? new DecimalSum() : null,
        kwhExponent: channel.kwhFactor === null ? null : KWH_EXPONENT[channel.kwhFactor],
      };
      this.channels.set(key, state);
    }
    return state;
  }

  result(): FileSummary {
    const channels: ChannelSummary[] = [];
    const quality: QualityCounts = {};
    let readings = 0;
    let missingDayCount = 0;
    let emptyIntervals = 0;
    let first = Infinity;
    let last = -Infinity;
    for (const state of this.channels.values()) {
      readings += state.readings;
      emptyIntervals += state.emptyIntervals;
      missingDayCount += state.days.missing;
      for (const flag in state.quality) quality[flag as QualityFlag] = (quality[flag as QualityFlag] ?? 0) + state.quality[flag as QualityFlag]!;
      if (state.days.min < first) first = state.days.min;
      if (state.days.max > last) last = state.days.max;
      if (state.total !== null) channels.push(channelSummary(state, state.total.toString()));
    }
    return {
      readings,
      channelCount: this.channels.size,
      channels,
      quality,
      firstDate: this.channels.size ? dateOfDayNumber(first) : null,
      lastDate: this.channels.size ? dateOfDayNumber(last) : null,
      missingDayCount,
      emptyIntervals,
    };
  }
}

function channelSummary(state: ChannelState, total: string): ChannelSummary {
  const missingDays: [string, string][] = [];
  for (const [from, to] of state.days.gaps()) {
    if (missingDays.length === MAX_GAPS_LISTED) break;
    missingDays.push([dateOfDayNumber(from), dateOfDayNumber(to)]);
  }
  return {
    nmi: state.nmi,
    suffix: state.suffix,
    uom: state.uom,
    intervalLength: state.intervalLength,
    days: state.days.size,
    readings: state.readings,
    total,
    totalKwh: state.kwhExponent === null ? null : shiftDecimal(total, state.kwhExponent),
    firstDate: dateOfDayNumber(state.days.min),
    lastDate: dateOfDayNumber(state.days.max),
    missingDays,
    missingDayCount: state.days.missing,
    emptyIntervals: state.emptyIntervals,
    quality: state.quality,
  };
}
