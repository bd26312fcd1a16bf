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
  days: DaySet;
}

const MAX_GAPS_LISTED = 20;

/**
 * Totals and data-quality figures of a file, built from the parser's day events: what `nem12 check`
 * prints and what an upload's status shows. Memory grows with channels, not readings.
 */
export class SummaryBuilder {
  private readonly channels = new Map<string, ChannelTotals>();

  addDay(day: DayRecord): void {
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
        days: new DaySet(),
      };
      this.channels.set(key, totals);
    }
    totals.days.add(dayNumber(day.date));
    totals.total.add(day.total);
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

  result(): FileSummary {
    const channels: ChannelSummary[] = [];
    const quality: QualityCounts = {};
    let readings = 0;
    let first = Infinity;
    let last = -Infinity;
    for (const totals of this.channels.values()) {
      const total = totals.total.toString();
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
