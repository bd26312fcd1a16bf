import type { OpenDay } from './decode/day.js';
import type { IssueReporter } from './fields.js';
import type { QualityFlag, QualityRange } from './records.js';

/**
 * Resolves a day's per-interval quality from its 300 row and its 400 rows: the 400 ranges must
 * ascend without overlapping, and on a V day they must cover every interval; under a non-V row they
 * override the row's quality for their intervals. Returns the ranges tiling 1..N in order, or null
 * when the day is rejected (reported).
 */
export function resolveDayQuality(day: OpenDay, reporter: IssueReporter): QualityRange[] | null {
  const count = day.record.channel.intervalCount;
  const { base, ranges, rangeLines } = day;
  const stream = `${day.record.channel.nmi} ${day.record.channel.suffix} ${day.record.date}`;
  let next = 1;
  for (let i = 0; i < ranges.length; i++) {
    if (ranges[i].from < next) {
      reporter.report('INVALID_QUALITY_RANGE', rangeLines[i], `${stream}: 400 range ${ranges[i].from}-${ranges[i].to} overlaps or is out of order.`);
      return null;
    }
    if (base.flag === 'V' && ranges[i].from > next) {
      reporter.report('QUALITY_RANGES_INCOMPLETE', rangeLines[i], `${stream}: intervals ${next}-${ranges[i].from - 1} have no quality: 400 ranges of a V day must cover every interval.`);
      return null;
    }
    next = ranges[i].to + 1;
  }
  if (base.flag === 'V') {
    if (ranges.length === 0) {
      reporter.report('MISSING_QUALITY_RANGES', day.record.line, `${stream}: quality V (variable) needs 400 rows giving the quality of each interval; none follow.`);
      return null;
    }
    if (next <= count) {
      reporter.report('QUALITY_RANGES_INCOMPLETE', rangeLines[ranges.length - 1], `${stream}: intervals ${next}-${count} have no quality: 400 ranges of a V day must cover every interval.`);
      return null;
    }
    return ranges;
  }
  if (ranges.length > 0) {
    reporter.report('QUALITY_RANGE_ON_UNIFORM_DAY', rangeLines[0], `${stream}: 400 rows under a ${base.flag} row (not V); their ranges override the row's quality.`);
  }
  // The row's own quality, with any 400 ranges laid over it.
  const flag = base.flag as QualityFlag;
  const { method, reasonCode, reasonDescription } = base;
  const quality: QualityRange[] = [];
  let at = 1;
  for (const range of ranges) {
    if (range.from > at) quality.push({ from: at, to: range.from - 1, flag, method, reasonCode, reasonDescription });
    quality.push(range);
    at = range.to + 1;
  }
  if (at <= count) quality.push({ from: at, to: count, flag, method, reasonCode, reasonDescription });
  return quality;
}
