import { DaySet } from './daySet';
import { DecimalSum, shiftDecimal } from './decimal';
import type { DayRecord, QualityFlag } from './records';
import { dateOfDayNumber, dayNumber } from './time';
import { KWH_EXPONENT } from './units';

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
  channels: ChannelSummary[];
  quality: QualityCounts;
  firstDate: string | null;
  lastDate: string | null;
}

interface ChannelTotals {
  summary: Omit<ChannelSummary, 'total' | 'totalKwh' | 'firstDate' | 'lastDate' | 'missingDays' | 'missingDayCount' | 'days'>;
  kwhExponent: number | null;
  total: DecimalSum;
  /** 300 rows seen, and how many of them are in `total` (all of them unless totals come later). */
  rows: number;
  totalled: number;
  days: DaySet;
}

const MAX_GAPS_LISTED = 20;

/**
 * Totals and data-quality figures of a file, built from the parser's day events: what `nem12 check`
 * prints and what an upload's status shows. Memory grows with channels, not readings.
 */
export class SummaryBuilder {
  private readonly channels = new Map<string, ChannelTotals>();
  private readonly taken = new Map<string, string>();

  /**
   * A day's figures; its total too unless `total` is false (a loader that sums the values on a
   * later pass adds it with `addTotal`, or takes the totals of the same bytes summarised before).
   */
  addDay(day: DayRecord, options: { total?: boolean } = {}): void {
    const totals = this.totalsOf(day);
    totals.rows++;
    if (options.total !== false) this.addTotal(day, totals);
    totals.days.add(dayNumber(day.date));
    const complete = day.valuesTextIfComplete;
    const { summary } = totals;
    for (const range of day.quality) {
      let present = range.to - range.from + 1;
      if (complete === null) for (let i = range.from - 1; i < range.to; i++) if (day.values[i] === null) present--;
      summary.readings += present;
      summary.emptyIntervals += range.to - range.from + 1 - present;
      summary.quality[range.flag] = (summary.quality[range.flag] ?? 0) + present;
    }
  }

  addTotal(day: DayRecord, totals = this.totalsOf(day)): void {
    totals.total.add(day.total);
    totals.totalled++;
  }

  /** Every day's total is in. */
  get totalsComplete(): boolean {
    for (const totals of this.channels.values()) if (totals.totalled !== totals.rows) return false;
    return true;
  }

  /**
   * The channel totals of a summary of the very same bytes (a re-load of a file already loaded):
   * taken as they are, when it has the same channels with the same readings. False otherwise.
   */
  takeTotals(from: FileSummary): boolean {
    const stored = new Map(from.channels.map((c) => [`${c.nmi},${c.suffix},${c.uom},${c.intervalLength}`, c]));
    if (stored.size !== this.channels.size) return false;
    for (const [key, totals] of this.channels) {
      const channel = stored.get(key);
      if (channel === undefined || channel.readings !== totals.summary.readings || typeof channel.total !== 'string') return false;
    }
    for (const [key, channel] of stored) this.taken.set(key, channel.total);
    return true;
  }

  private totalsOf(day: DayRecord): ChannelTotals {
    const channel = day.channel;
    const key = `${channel.nmi},${channel.suffix},${channel.uom},${channel.intervalLength}`;
    let totals = this.channels.get(key);
    if (totals === undefined) {
      totals = {
        summary: {
          nmi: channel.nmi,
          suffix: channel.suffix,
          uom: channel.uom,
          intervalLength: channel.intervalLength,
          readings: 0,
          emptyIntervals: 0,
          quality: {},
        },
        kwhExponent: channel.kwhFactor === null ? null : KWH_EXPONENT[channel.kwhFactor],
        total: new DecimalSum(),
        rows: 0,
        totalled: 0,
        days: new DaySet(),
      };
      this.channels.set(key, totals);
    }
    return totals;
  }

  result(): FileSummary {
    const channels: ChannelSummary[] = [];
    const quality: QualityCounts = {};
    let readings = 0;
    let first = Infinity;
    let last = -Infinity;
    if (!this.totalsComplete && this.taken.size === 0) throw new Error('SummaryBuilder: some days were added without their totals');
    for (const [key, totals] of this.channels) {
      const total = this.taken.get(key) ?? totals.total.toString();
      const missingDays: [string, string][] = [];
      for (const [from, to] of totals.days.gaps()) {
        if (missingDays.length === MAX_GAPS_LISTED) break;
        missingDays.push([dateOfDayNumber(from), dateOfDayNumber(to)]);
      }
      channels.push({
        ...totals.summary,
        days: totals.days.size,
        total,
        totalKwh: totals.kwhExponent === null ? null : shiftDecimal(total, totals.kwhExponent),
        firstDate: dateOfDayNumber(totals.days.min),
        lastDate: dateOfDayNumber(totals.days.max),
        missingDays,
        missingDayCount: totals.days.missing,
      });
      readings += totals.summary.readings;
      for (const [flag, count] of Object.entries(totals.summary.quality) as [QualityFlag, number][]) {
        quality[flag] = (quality[flag] ?? 0) + count;
      }
      first = Math.min(first, totals.days.min);
      last = Math.max(last, totals.days.max);
    }
    return {
      readings,
      channels,
      quality,
      firstDate: channels.length ? dateOfDayNumber(first) : null,
      lastDate: channels.length ? dateOfDayNumber(last) : null,
    };
  }
}
