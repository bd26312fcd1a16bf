import type { PoolClient, QueryConfig } from 'pg';
import { kwhFactorOf, nemIsoOfEpochSeconds } from '../nem12';
import { encodeCursor, type NmisParams, type ReadingsParams, type StatsParams } from './apiParams';
import type { ChannelListing, ChannelStats, Granularity, NmiListing, Reading, ReadingsPage } from './apiTypes';

/**
 * The SQL behind the readings API. Every query of readings is a range of the primary key
 * (channel_id, interval_end): one stream, a span of interval ends. Times are answered as ISO 8601
 * in NEM time, decimals as exact strings. The builders are exported so a test can EXPLAIN exactly
 * what runs.
 */

/** A stream of the caller's organisation, with what the queries need. */
export interface OrgChannel {
  id: number;
  nmi: string;
  suffix: string;
  uom: string | null;
  intervalLength: number | null;
  /** Moves whenever a load touches the stream: part of every cache key. */
  version: string;
}

/** The organisation's streams that hold published data (a load moved their version past 0). */
const ORG_CHANNELS = `c.org_id = $1 AND c.data_version > 0`;

/** The stream's unit and interval length now: those of its latest loaded day. */
const LATEST_DAY = `LEFT JOIN LATERAL (SELECT uom, interval_length FROM reading_days WHERE channel_id = c.id ORDER BY day DESC LIMIT 1) d ON true`;

export function orgChannelQuery(org: string, nmi: string, suffix: string): QueryConfig {
  return {
    text: `SELECT c.id, c.nmi, c.suffix, d.uom, d.interval_length AS "intervalLength", c.data_version::text AS version
           FROM channels c ${LATEST_DAY}
           WHERE ${ORG_CHANNELS} AND c.nmi = $2 AND c.suffix = $3`,
    values: [org, nmi, suffix],
  };
}

export async function orgChannel(db: PoolClient, org: string, nmi: string, suffix: string): Promise<OrgChannel | null> {
  return (await db.query<OrgChannel>(orgChannelQuery(org, nmi, suffix))).rows[0] ?? null;
}

/** A version of everything /nmis shows an organisation: moves when any of its streams loads. */
export function orgChannelsVersionQuery(org: string): QueryConfig {
  return { text: `SELECT coalesce(max(c.data_version), 0) || '.' || count(*) AS version FROM channels c WHERE ${ORG_CHANNELS}`, values: [org] };
}

export async function orgChannelsVersion(db: PoolClient, org: string): Promise<string> {
  return (await db.query<{ version: string }>(orgChannelsVersionQuery(org))).rows[0].version;
}

/** The organisation's NMIs in order, a page at a time (keyset on the NMI), with their streams. */
export function listNmisQuery(org: string, params: NmisParams): QueryConfig {
  return {
    text: `WITH mine AS (
             SELECT c.id, c.nmi, c.suffix FROM channels c
             WHERE ${ORG_CHANNELS} AND c.nmi LIKE $2 AND c.nmi > $3
           ), page AS (
             SELECT DISTINCT nmi FROM mine ORDER BY nmi LIMIT $4
           )
           SELECT c.nmi, c.suffix, d.uom, d.interval_length AS "intervalLength",
                  nem_iso(f.interval_end) AS "firstReading", nem_iso(l.interval_end) AS "lastReading",
                  nem_day(f.interval_end)::text AS "firstDate", nem_day(l.interval_end)::text AS "lastDate"
           FROM mine c JOIN page USING (nmi)
           ${LATEST_DAY}
           LEFT JOIN LATERAL (SELECT interval_end FROM readings WHERE channel_id = c.id ORDER BY interval_end LIMIT 1) f ON true
           LEFT JOIN LATERAL (SELECT interval_end FROM readings WHERE channel_id = c.id ORDER BY interval_end DESC LIMIT 1) l ON true
           ORDER BY c.nmi, c.suffix`,
    values: [org, `${params.search ?? ''}%`, params.cursor ?? '', params.limit + 1],
  };
}

export async function listNmis(db: PoolClient, org: string, params: NmisParams): Promise<NmiListing> {
  const result = await db.query<Omit<ChannelListing, 'unit' | 'energy'> & { nmi: string }>(listNmisQuery(org, params));
  const nmis: NmiListing['nmis'] = [];
  for (const { nmi, ...channel } of result.rows) {
    if (nmis.at(-1)?.nmi !== nmi) nmis.push({ nmi, channels: [] });
    const measure = measureOf(channel.uom);
    nmis.at(-1)!.channels.push({ ...channel, unit: measure.unit, energy: measure.energy });
  }
  const more = nmis.length > params.limit;
  if (more) nmis.length = params.limit;
  return { nmis, nextCursor: more ? encodeCursor(nmis.at(-1)!.nmi) : null };
}

/** What stats add up: kWh for energy streams (any of MWh, kWh, Wh), else the value in its own unit. */
export function measureOf(uom: string | null): { column: 'kwh' | 'value'; unit: string | null; energy: boolean } {
  return uom !== null && kwhFactorOf(uom) !== null ? { column: 'kwh', unit: 'kWh', energy: true } : { column: 'value', unit: uom || null, energy: false };
}

/** One page of a stream's readings in time order, after the cursor (or `from`) and up to `to`. */
export function readingsQuery(channelId: number, params: ReadingsParams): QueryConfig {
  const values: unknown[] = [channelId];
  const where = ['channel_id = $1'];
  // A cursor continues inside the range: it never reaches before `from`.
  const after = params.cursor !== undefined && (params.from === undefined || Date.parse(params.cursor) > Date.parse(params.from)) ? params.cursor : params.from;
  if (after !== undefined) where.push(`interval_end > $${values.push(after)}::timestamptz`);
  if (params.to !== undefined) where.push(`interval_end <= $${values.push(params.to)}::timestamptz`);
  // Times leave as epoch seconds, formatted here: to_char on every row would cost more than the scan.
  return {
    text: `SELECT date_part('epoch', interval_end)::bigint AS t, value::text AS value, kwh::text AS kwh, quality::text AS quality,
                  method, reason_code, date_part('epoch', updated_at)::bigint AS u
           FROM readings WHERE ${where.join(' AND ')}
           ORDER BY interval_end LIMIT $${values.push(params.limit + 1)}`,
    values,
  };
}

interface ReadingRow {
  t: string;
  value: string;
  kwh: string | null;
  quality: string;
  method: number | null;
  reason_code: number | null;
  u: string | null;
}

export async function readingsPage(db: PoolClient, channel: OrgChannel, params: ReadingsParams): Promise<ReadingsPage> {
  const rows = (await db.query<ReadingRow>(readingsQuery(channel.id, params))).rows;
  const more = rows.length > params.limit;
  if (more) rows.length = params.limit;
  const readings: Reading[] = rows.map((row) => ({
    intervalEnd: nemIsoOfEpochSeconds(Number(row.t)),
    value: row.value,
    kwh: row.kwh,
    quality: row.quality,
    method: row.method,
    reasonCode: row.reason_code,
    updatedAt: row.u === null ? null : nemIsoOfEpochSeconds(Number(row.u)),
  }));
  return {
    nmi: channel.nmi,
    suffix: channel.suffix,
    uom: channel.uom,
    intervalLength: channel.intervalLength,
    readings,
    nextCursor: more ? encodeCursor(readings.at(-1)!.intervalEnd) : null,
  };
}

/** The series part of /stats, by granularity: from the day totals, or one point per reading. */
const SERIES: Record<Granularity, (column: string) => string> = {
  day: () => `SELECT 'series', day::text, n, total::text, NULL, NULL, NULL FROM days`,
  month: () => `SELECT 'series', to_char(day, 'YYYY-MM'), sum(n), sum(total)::text, NULL, NULL, NULL FROM days GROUP BY 2`,
  interval: (column) =>
    `SELECT 'series', nem_iso(interval_end), 1, ${column}::text, NULL, NULL, NULL FROM readings
     WHERE channel_id = $1 AND interval_end > $2::timestamptz AND interval_end <= $3::timestamptz AND ${column} IS NOT NULL`,
};

/**
 * Every figure of /stats in one statement. The range is read once, through the primary key, into
 * two sets of groups at a time (GROUPING SETS): per NEM day and quality flag, and per time of day.
 * Days, quality totals, the series and the profile come from those few hundred groups; the peak is
 * the first reading, on the day with the highest maximum, that has that value (a one-day index scan).
 */
export function statsQuery(channelId: number, column: 'kwh' | 'value', params: StatsParams): QueryConfig {
  return {
    text: `WITH g AS MATERIALIZED (
             SELECT nem_day(interval_end) AS day, quality, nem_time(interval_end)::time AS clock,
                    count(*) AS n, sum(${column}) AS total, max(${column}) AS peak
             FROM readings
             WHERE channel_id = $1 AND interval_end > $2::timestamptz AND interval_end <= $3::timestamptz AND ${column} IS NOT NULL
             GROUP BY GROUPING SETS ((day, quality), (clock))
           ),
           -- clock is null in the (day, quality) groups only.
           days AS MATERIALIZED (SELECT day, sum(n) AS n, sum(total) AS total, max(peak) AS peak FROM g WHERE clock IS NULL GROUP BY day),
           top AS (SELECT day, peak FROM days ORDER BY peak DESC, day LIMIT 1)
           SELECT 'total' AS part, NULL AS key, coalesce(sum(n), 0) AS readings, sum(total)::text AS figure,
                  round(sum(total) / sum(n), 6)::text AS average, count(*) AS days, round(sum(total) / nullif(count(*), 0), 6)::text AS daily
           FROM days
           UNION ALL
           SELECT 'quality', quality::text, sum(n), sum(total)::text, NULL, NULL, NULL FROM g WHERE clock IS NULL GROUP BY quality
           UNION ALL
           ${SERIES[params.granularity](column)}
           UNION ALL
           SELECT 'profile', to_char(clock, 'HH24:MI'), n, NULL, round(total / n, 6)::text, NULL, NULL FROM g WHERE clock IS NOT NULL
           UNION ALL
           (SELECT 'peak', nem_iso(r.interval_end), 1, r.${column}::text, NULL, NULL, NULL
            FROM top JOIN readings r ON r.channel_id = $1 AND r.${column} = top.peak
              AND r.interval_end > greatest(nem_instant(top.day::timestamp), $2::timestamptz)
              AND r.interval_end <= least(nem_instant((top.day + 1)::timestamp), $3::timestamptz)
            ORDER BY r.interval_end LIMIT 1)`,
    values: [channelId, params.from, params.to],
  };
}

interface StatsRow {
  part: 'total' | 'quality' | 'series' | 'profile' | 'peak';
  key: string | null;
  readings: string;
  figure: string | null;
  average: string | null;
  days: string | null;
  daily: string | null;
}

export async function channelStats(db: PoolClient, channel: OrgChannel, params: StatsParams): Promise<ChannelStats> {
  const measure = measureOf(channel.uom);
  const rows = (await db.query<StatsRow>(statsQuery(channel.id, measure.column, params))).rows;
  const stats: ChannelStats = {
    nmi: channel.nmi,
    suffix: channel.suffix,
    unit: measure.unit,
    energy: measure.energy,
    from: params.from,
    to: params.to,
    granularity: params.granularity,
    readings: 0,
    days: 0,
    total: null,
    average: null,
    dailyAverage: null,
    peak: null,
    quality: [],
    series: [],
    profile: [],
  };
  for (const row of rows) {
    const readings = Number(row.readings);
    if (row.part === 'total') {
      stats.readings = readings;
      stats.days = Number(row.days);
      stats.total = row.figure;
      stats.average = row.average;
      stats.dailyAverage = row.daily;
    } else if (row.part === 'quality') stats.quality.push({ flag: row.key!, readings, total: row.figure! });
    else if (row.part === 'series') stats.series.push({ period: row.key!, readings, total: row.figure! });
    // An interval ending at midnight is the day's last: 24:00, not 00:00.
    else if (row.part === 'profile') stats.profile.push({ time: row.key === '00:00' ? '24:00' : row.key!, readings, average: row.average! });
    else stats.peak = { intervalEnd: row.key!, value: row.figure! };
  }
  const byKey = <T>(key: (item: T) => string) => (a: T, b: T) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
  stats.quality.sort(byKey((item) => item.flag));
  stats.series.sort(byKey((item) => item.period));
  stats.profile.sort(byKey((item) => item.time));
  return stats;
}
