import type { PoolClient, QueryConfig } from 'pg';
import { compareDecimal, DecimalSum, divideDecimal, KWH_EXPONENT, nemIsoOfEpochSeconds, shiftDecimal } from 'nem12';
import type { StatsParams } from './apiParams';
import type { ChannelStats } from './apiTypes';
import { DAY_START_SQL, dayStartSeconds, measureOf, nemDateOf, runAt, type DayRowText, type OrgChannel } from './readingQueries';

/**
 * /stats from day rows. Days wholly inside the range give their stored figures (readings, totals,
 * peak: no unnesting of a year of intervals); the intervals are read only for the days that need
 * them (cut by the range, or of more than one quality, or for an interval series). The average daily
 * load profile is one pass over the range's arrays, in SQL.
 */
interface StatsDay extends DayRowText {
  readings: number;
  total: string | null;
  kwh: string | null;
  peak: string | null;
  peak_interval: number | null;
}

/** The days of the range [from, to] (NEM days whose intervals may end inside it), and which are whole. */
function span(params: StatsParams) {
  const from = Date.parse(params.from);
  const to = Date.parse(params.to);
  const first = nemDateOf(from);
  const last = nemDateOf(to - 1);
  // A day is whole when it starts at or after `from` and ends at or before `to`.
  const wholeFrom = dayStartSeconds(first) * 1000 >= from ? first : nemDateOf(from + 86_400_000);
  const wholeTo = (dayStartSeconds(last) + 86_400) * 1000 <= to ? last : nemDateOf(to - 1 - 86_400_000);
  return { from: from / 1000, to: to / 1000, first, last, wholeFrom, wholeTo };
}

export function statsQuery(channelId: number, params: StatsParams): QueryConfig {
  const s = span(params);
  return {
    text: `SELECT day::text AS day, interval_length, kwh_factor::text AS kwh_factor, readings, total::text AS total, kwh::text AS kwh,
                  peak::text AS peak, peak_interval, quality, older, NULL AS u,
                  CASE WHEN $6 OR day < $4::date OR day > $5::date OR array_length(quality, 1) > 5 THEN intervals::text[] END AS intervals
           FROM days WHERE channel_id = $1 AND day >= $2::date AND day <= $3::date AND readings > 0
           ORDER BY day`,
    values: [channelId, s.first, s.last, s.wholeFrom, s.wholeTo, params.granularity === 'interval'],
  };
}

/** The mean reading by time of day of the interval end, over the range (energy in kWh). */
export function profileQuery(channelId: number, energy: boolean, params: StatsParams): QueryConfig {
  const s = span(params);
  const measure = energy ? 'u.v * d.kwh_factor' : 'u.v';
  return {
    text: `SELECT (u.i * d.interval_length) % 1440 AS minute, count(*) AS n, round(avg(${measure}), 6)::text AS average
           FROM days d CROSS JOIN LATERAL unnest(d.intervals) WITH ORDINALITY u(v, i)
           WHERE d.channel_id = $1 AND d.day >= $2::date AND d.day <= $3::date AND d.readings > 0 AND u.v IS NOT NULL
             ${energy ? 'AND d.kwh_factor IS NOT NULL' : ''}
             AND ${DAY_START_SQL('d.day')} + u.i * d.interval_length * 60 > $4 AND ${DAY_START_SQL('d.day')} + u.i * d.interval_length * 60 <= $5
           GROUP BY 1`,
    values: [channelId, s.first, s.last, s.from, s.to],
  };
}

export async function channelStats(db: PoolClient, channel: OrgChannel, params: StatsParams): Promise<ChannelStats> {
  const measure = measureOf(channel.uom);
  const energy = measure.energy;
  const s = span(params);
  const rows = (await db.query<StatsDay>(statsQuery(channel.id, params))).rows;
  const profile = (await db.query<{ minute: string; n: string; average: string }>(profileQuery(channel.id, energy, params))).rows;

  const total = new DecimalSum();
  let readings = 0;
  let days = 0;
  let peak: { value: string; t: number } | null = null;
  const quality = new Map<string, { readings: number; total: DecimalSum }>();
  const series = new Map<string, { readings: number; total: DecimalSum }>();
  const add = (map: typeof quality, key: string, n: number, sum: string) => {
    const entry = map.get(key) ?? { readings: 0, total: new DecimalSum() };
    entry.readings += n;
    entry.total.add(sum);
    map.set(key, entry);
  };
  const periodOf = (day: string) => (params.granularity === 'month' ? day.slice(0, 7) : day);

  for (const row of rows) {
    // Energy streams count in kWh: a day of a unit that is not energy is not in their figures.
    if (energy && row.kwh_factor === null) continue;
    const exponent = energy ? KWH_EXPONENT[row.kwh_factor!] : 0;
    const inMeasure = (value: string) => (exponent === 0 ? value : shiftDecimal(value, exponent));
    const start = dayStartSeconds(row.day);
    const step = row.interval_length * 60;
    const whole = row.day >= s.wholeFrom && row.day <= s.wholeTo;
    const dayPeak = (value: string, interval: number) => {
      if (peak === null || compareDecimal(value, peak.value) > 0) peak = { value, t: start + interval * step };
    };
    if (whole && row.intervals === null) {
      // Stored figures: one quality (a single run), the day's sums and peak.
      const sum = energy ? row.kwh! : row.total!;
      total.add(sum);
      readings += row.readings;
      days++;
      add(quality, runAt(row, 1).flag, row.readings, sum);
      add(series, periodOf(row.day), row.readings, sum);
      dayPeak(inMeasure(row.peak!), row.peak_interval!);
      continue;
    }
    let dayReadings = 0;
    const daySum = new DecimalSum();
    row.intervals!.forEach((raw, i) => {
      const t = start + (i + 1) * step;
      if (raw === null || t <= s.from || t > s.to) return;
      const value = inMeasure(raw);
      dayReadings++;
      daySum.add(value);
      add(quality, runAt(row, i + 1).flag, 1, value);
      if (params.granularity === 'interval') add(series, nemIsoOfEpochSeconds(t), 1, value);
      dayPeak(value, i + 1);
    });
    if (dayReadings === 0) continue;
    const sum = daySum.toString();
    total.add(sum);
    readings += dayReadings;
    days++;
    if (params.granularity !== 'interval') add(series, periodOf(row.day), dayReadings, sum);
  }

  const totalText = readings === 0 ? null : total.toString();
  const sorted = <T>(map: Map<string, T>) => [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const foundPeak = peak as { value: string; t: number } | null;
  return {
    nmi: channel.nmi,
    suffix: channel.suffix,
    unit: measure.unit,
    energy,
    from: params.from,
    to: params.to,
    granularity: params.granularity,
    readings,
    days,
    total: totalText,
    average: totalText === null ? null : divideDecimal(totalText, readings, 6),
    dailyAverage: totalText === null ? null : divideDecimal(totalText, days, 6),
    peak: foundPeak === null ? null : { intervalEnd: nemIsoOfEpochSeconds(foundPeak.t), value: foundPeak.value },
    quality: sorted(quality).map(([flag, q]) => ({ flag, readings: q.readings, total: q.total.toString() })),
    series: sorted(series).map(([period, p]) => ({ period, readings: p.readings, total: p.total.toString() })),
    profile: profile
      .map((p) => ({ time: clockOf(Number(p.minute)), readings: Number(p.n), average: p.average }))
      .sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0)),
  };
}

/** Minutes after midnight of an interval end as the clock says it; the day's last ends at 24:00. */
function clockOf(minute: number): string {
  const m = minute === 0 ? 1440 : minute;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}
