import type { QualityFlag } from 'nem12';

/**
 * What a stored day says about its data's completeness and quality, for the organisation's figures
 * per day (load/publish.ts keeps them) and the completeness report: its readings by quality, and
 * whether it is whole. Pure; the same for a parsed day and a merged one.
 *
 *   actual       readings flagged A
 *   estimated    readings flagged E
 *   substituted  readings flagged S or F
 *   variable     the readings of a day whose intervals carry more than one quality flag (a V day)
 * (N, null data, counts in none of them.)
 */
export interface DayQualityCounts {
  actual: number;
  estimated: number;
  substituted: number;
  variable: number;
}

/**
 * Counts over a day's quality runs (`to`: the run's last interval, 1-based, ascending) and its
 * values (null: an empty interval; `values` null when every interval has one).
 */
export function qualityCountsOf(runs: readonly { to: number; flag: QualityFlag }[], values: readonly (string | null)[] | null): DayQualityCounts {
  const counts: DayQualityCounts = { actual: 0, estimated: 0, substituted: 0, variable: 0 };
  let from = 0;
  let readings = 0;
  const flags = new Set<QualityFlag>();
  for (const run of runs) {
    let present = run.to - from;
    if (values !== null) for (let i = from; i < run.to; i++) if (values[i] === null) present--;
    from = run.to;
    readings += present;
    flags.add(run.flag);
    if (run.flag === 'A') counts.actual += present;
    else if (run.flag === 'E') counts.estimated += present;
    else if (run.flag === 'S' || run.flag === 'F') counts.substituted += present;
  }
  if (flags.size > 1) counts.variable = readings;
  return counts;
}
