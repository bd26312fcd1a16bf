import type { PoolClient } from 'pg';
import type { DayQualityCounts } from '../days';

/**
 * An organisation's figures per NEM day (org_days), kept by every publish in its transaction: what
 * each day row adds (a stream received, whole or with empty intervals, its readings by quality), and
 * what a merge changes (the day before and after). The overview and the completeness report read
 * these rows, not every day row.
 */
export interface DayTally extends DayQualityCounts {
  streams: number;
  readings: number;
  complete: number;
  partial: number;
}

const FIGURES = ['streams', 'readings', 'complete', 'partial', 'actual', 'estimated', 'substituted', 'variable'] as const;

/** A day row's flags in the organisation's daily bitmaps (orgDayStreams.ts). */
export const PARTIAL = 1;
export const FLAGGED = 2;

/**
 * What a load changes in its organisation's days, as far as it is known in JavaScript (the merges,
 * and the rows rendered straight into `days`; rows staged are counted from their table): the
 * figures per day, and per day the streams written with their flags.
 */
export class OrgDayChanges {
  readonly tallies = new Map<string, DayTally>();
  readonly written = new Map<string, { channels: number[]; flags: number[] }>();

  /** A day row as written (`sign` 1), or as it was before a merge replaced it (-1: taken away). */
  add(channelId: number, day: string, readings: number, intervals: number, counts: DayQualityCounts, sign: 1 | -1 = 1): void {
    const tally: DayTally = {
      streams: sign,
      readings: sign * readings,
      complete: readings === intervals ? sign : 0,
      partial: readings < intervals ? sign : 0,
      actual: sign * counts.actual,
      estimated: sign * counts.estimated,
      substituted: sign * counts.substituted,
      variable: sign * counts.variable,
    };
    const sum = this.tallies.get(day);
    if (sum === undefined) this.tallies.set(day, tally);
    else for (const figure of FIGURES) sum[figure] += tally[figure];
    if (sign === -1) return;
    let rows = this.written.get(day);
    if (rows === undefined) this.written.set(day, (rows = { channels: [], flags: [] }));
    rows.channels.push(channelId);
    rows.flags.push((readings < intervals ? PARTIAL : 0) | (counts.estimated + counts.substituted > 0 ? FLAGGED : 0));
  }
}

/**
 * Adds to the organisation's days: the figures `changes` holds, and those of the rows of
 * `insertedFrom` (a staging table) that the plan inserts. Taken just before commit, in day order.
 */
export async function recordOrgDays(client: PoolClient, org: string, changes: OrgDayChanges, insertedFrom: string | null): Promise<void> {
  const days = [...changes.tallies].filter(([, tally]) => FIGURES.some((figure) => tally[figure] !== 0));
  const inserted = insertedFrom === null
    ? ''
    : `SELECT s.day, count(*), sum(s.readings), count(*) FILTER (WHERE s.readings = 1440 / s.interval_length), count(*) FILTER (WHERE s.readings < 1440 / s.interval_length),
              sum(s.actual), sum(s.estimated), sum(s.substituted), sum(s.variable)
       FROM ${insertedFrom} s JOIN load_plan p ON p.line = s.line WHERE p.action = 'insert' GROUP BY s.day
       UNION ALL`;
  const arrays = FIGURES.map((figure) => days.map(([, tally]) => tally[figure]));
  await client.query(
    `INSERT INTO org_days AS o (org_id, day, ${FIGURES.join(', ')})
     SELECT $1, day, ${FIGURES.map((figure) => `sum(${figure})`).join(', ')} FROM (
       ${inserted}
       SELECT * FROM unnest($2::date[], ${FIGURES.map((_, i) => `$${i + 3}::bigint[]`).join(', ')})
     ) delta (day, ${FIGURES.join(', ')}) GROUP BY day ORDER BY day
     ON CONFLICT (org_id, day) DO UPDATE SET ${FIGURES.map((figure) => `${figure} = o.${figure} + EXCLUDED.${figure}`).join(', ')}`,
    [org, days.map(([day]) => day), ...arrays],
  );
}
