import type { DayRecord, QualityFlag } from './records.js';
import { intervalEndMs } from './time.js';

/** One interval reading with its own effective quality. */
export interface Reading {
  nmi: string;
  suffix: string;
  uom: string;
  /** End of the interval (NEM12 timestamps are interval ends). */
  intervalEnd: Date;
  /** Exact decimal string as written, in `uom`. */
  value: string;
  quality: QualityFlag;
  method: number | null;
  reasonCode: number | null;
}

/**
 * The readings of a day, one per non-empty interval. Convenient for library users; the loader walks
 * `values` and `quality` directly because it formats millions of rows.
 */
export function* readingsOf(day: DayRecord): Generator<Reading> {
  const { nmi, suffix, uom, intervalLength } = day.channel;
  for (const range of day.quality) {
    for (let index = range.from; index <= range.to; index++) {
      const value = day.values[index - 1];
      if (value === null) continue;
      yield {
        nmi,
        suffix,
        uom,
        intervalEnd: new Date(intervalEndMs(day.date, index, intervalLength)),
        value,
        quality: range.flag,
        method: range.method,
        reasonCode: range.reasonCode,
      };
    }
  }
}
