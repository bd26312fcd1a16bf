import type { PoolClient, QueryConfig } from 'pg';
import { KWH_EXPONENT, kwhFactorOf, nemIsoOfEpochSeconds, shiftDecimal, type KwhFactor } from 'nem12';
import { ApiError } from './apiError';
import { encodeCursor, type NmisParams, type ReadingsParams } from './apiParams';
import type { ChannelListing, NmiListing, Reading, ReadingsPage } from './apiTypes';

/**
 * The SQL behind the readings API, on day rows (one per stream and NEM day, primary key
 * (channel_id, day)): a range of one stream's days, its intervals unnested only for the days asked
 * for. Times are answered as ISO 8601 in NEM time, decimals as exact strings. The builders are
 * exported so a test can EXPLAIN exactly what runs. Stats: statsQueries.ts.
 */

/** A stream of the caller's organisation, with what the queries need. */
export interface OrgChannel {
  id: number;
  nmi: string;
  suffix: string;
  uom: string | null;
  intervalLength: number | null;
  /** The organisation's data version (every publish moves it): part of every cache key. */
  version: string;
}

/** The organisation's streams that hold published data. */
const ORG_CHANNELS = `c.org_id = $1 AND c.published`;

/** The stream's unit and interval length now: those of its latest day. */
const LATEST_DAY = `LEFT JOIN LATERAL (SELECT uom, interval_length FROM days WHERE channel_id = c.id ORDER BY day DESC LIMIT 1) d ON true`;

/** Seconds since the epoch of a NEM day's start (00:00 UTC+10), in SQL and in JS. */
export const DAY_START_SQL = (day: string) => `((${day} - DATE '1970-01-01') * 86400 - 36000)`;
export const dayStartSeconds = (day: string) => Date.parse(`${day}T00:00:00+10:00`) / 1000;

/** The NEM date (UTC+10) of an instant. */
export function nemDateOf(ms: number): string {
  return new Date(ms + 36_000_000).toISOString().slice(0, 10);
}

export function orgChannelQuery(org: string, nmi: string, suffix: string): QueryConfig {
  return {
    text: `SELECT c.id, c.nmi, c.suffix, d.uom, d.interval_length AS "intervalLength",
                  coalesce((SELECT version FROM org_data WHERE org_id = $1), 0)::text AS version
           FROM channels c ${LATEST_DAY}
           WHERE ${ORG_CHANNELS} AND c.nmi = $2 AND c.suffix = $3`,
    values: [org, nmi, suffix],
  };
}

export async function orgChannel(db: PoolClient, org: string, nmi: string, suffix: string): Promise<OrgChannel | null> {
  return (await db.query<OrgChannel>(orgChannelQuery(org, nmi, suffix))).rows[0] ?? null;
}

/** The organisation's stream, or NMI_NOT_FOUND: the same answer whether the NMI does not exist or only another organisation has it (NMIs identify premises). */
export async function channelOf(db: PoolClient, org: string, params: { nmi: string; suffix: string }): Promise<OrgChannel> {
  const channel = await orgChannel(db, org, params.nmi, params.suffix);
  if (channel === null) throw new ApiError('NMI_NOT_FOUND', `nmi: no channel ${params.suffix} of NMI ${params.nmi} in your organisation's data`, 'nmi');
  return channel;
}

/** A version of everything an organisation has loaded (/nmis, /overview): every publish moves it. */
export function orgDataVersionQuery(org: string): QueryConfig {
  return { text: `SELECT coalesce((SELECT version FROM org_data WHERE org_id = $1), 0)::text AS version`, values: [org] };
}

export async function orgDataVersion(db: PoolClient, org: string): Promise<string> {
  return (await db.query<{ version: string }>(orgDataVersionQuery(org))).rows[0].version;
}

/** The first (or last) reading of a stream: the first (last) non-empty interval of its first (last) day with readings. */
const edgeReading = (order: 'ASC' | 'DESC') => `LEFT JOIN LATERAL (
    SELECT ${DAY_START_SQL('e.day')} + e.interval_length * 60 * (
             SELECT ${order === 'ASC' ? 'min' : 'max'}(u.i) FROM unnest(e.intervals) WITH ORDINALITY u(v, i) WHERE u.v IS NOT NULL) AS t
    FROM days e WHERE e.channel_id = c.id AND e.readings > 0 ORDER BY e.day ${order} LIMIT 1
  ) ${order === 'ASC' ? 'f' : 'l'} ON true`;

/**
 * The organisation's NMIs containing `search` (any case), in natural order (by length, then text),
 * a page at a time (keyset on that order), with their streams.
 */
export function listNmisQuery(org: string, params: NmisParams, only?: string[]): QueryConfig {
  // The page first, in index order (organisation, length, NMI): a page of 100,000 NMIs stops after
  // its 200; a search by any part of an NMI goes through the trigram index when it is selective.
  return {
    text: `WITH page AS (
             SELECT DISTINCT ON (length(c.nmi), c.nmi) c.nmi FROM channels c
             WHERE ${ORG_CHANNELS} AND c.nmi ILIKE $2 AND (length(c.nmi), c.nmi) > (length($3), $3)
               ${only ? 'AND c.nmi = ANY($5)' : ''}
             ORDER BY length(c.nmi), c.nmi LIMIT $4
           )
           SELECT c.nmi, c.suffix, d.uom, d.interval_length AS "intervalLength", f.t AS first, l.t AS last
           FROM page JOIN channels c ON ${ORG_CHANNELS} AND c.nmi = page.nmi
           ${LATEST_DAY}
           ${edgeReading('ASC')}
           ${edgeReading('DESC')}
           ORDER BY length(c.nmi), c.nmi, c.suffix`,
    values: [org, `%${params.search ?? ''}%`, params.cursor ?? '', params.limit + 1, ...(only ? [only] : [])],
  };
}

/**
 * The matching NMIs of the latest uploads, newest upload first, each in natural order: among the
 * first NMIs each upload keeps (FIRST_NMIS, load/publish.ts), of the 20 uploads published last.
 */
export function recentNmisQuery(org: string, search: string | undefined): QueryConfig {
  return {
    text: `SELECT n.nmi FROM (SELECT published_at, first_nmis FROM uploads WHERE org_id = $1 AND first_nmis IS NOT NULL
                             ORDER BY published_at DESC LIMIT 20) u
           CROSS JOIN LATERAL unnest(u.first_nmis) WITH ORDINALITY n(nmi, position)
           WHERE n.nmi ILIKE $2
           GROUP BY n.nmi ORDER BY max(u.published_at) DESC, min(n.position) LIMIT 5`,
    values: [org, `%${search ?? ''}%`],
  };
}

export async function listNmis(db: PoolClient, org: string, params: NmisParams): Promise<NmiListing> {
  const nmis = await nmiEntries(db, listNmisQuery(org, params));
  const more = nmis.length > params.limit;
  if (more) nmis.length = params.limit;
  let recent: NmiListing['recent'] = [];
  if (params.cursor === undefined) {
    const names = (await db.query<{ nmi: string }>(recentNmisQuery(org, params.search))).rows.map((row) => row.nmi);
    const entries = names.length === 0 ? [] : await nmiEntries(db, listNmisQuery(org, { ...params, limit: names.length }, names));
    recent = names.flatMap((name) => entries.filter((entry) => entry.nmi === name));
  }
  return { nmis, nextCursor: more ? encodeCursor(nmis.at(-1)!.nmi) : null, recent };
}

/** Rows of listNmisQuery as one entry per NMI with its streams. */
async function nmiEntries(db: PoolClient, query: QueryConfig): Promise<NmiListing['nmis']> {
  const result = await db.query<{ nmi: string; suffix: string; uom: string | null; intervalLength: number | null; first: string | null; last: string | null }>(query);
  const nmis: NmiListing['nmis'] = [];
  for (const { nmi, first, last, ...channel } of result.rows) {
    if (nmis.at(-1)?.nmi !== nmi) nmis.push({ nmi, channels: [] });
    const measure = measureOf(channel.uom);
    const listing: ChannelListing = {
      ...channel,
      unit: measure.unit,
      energy: measure.energy,
      firstReading: first === null ? null : nemIsoOfEpochSeconds(Number(first)),
      lastReading: last === null ? null : nemIsoOfEpochSeconds(Number(last)),
      // The day an interval belongs to, from its end: the one ending at midnight is the previous day's.
      firstDate: first === null ? null : nemDateOf(Number(first) * 1000 - 1),
      lastDate: last === null ? null : nemDateOf(Number(last) * 1000 - 1),
    };
    nmis.at(-1)!.channels.push(listing);
  }
  return nmis;
}

/** What stats add up: kWh for energy streams (any of MWh, kWh, Wh), else the value in its own unit. */
export function measureOf(uom: string | null): { column: 'kwh' | 'value'; unit: string | null; energy: boolean } {
  return uom !== null && kwhFactorOf(uom) !== null ? { column: 'kwh', unit: 'kWh', energy: true } : { column: 'value', unit: uom || null, energy: false };
}

/** A day row as the readings and stats queries read it. */
export interface DayRowText {
  day: string;
  interval_length: number;
  kwh_factor: KwhFactor | null;
  intervals: (string | null)[] | null;
  quality: (number | null)[];
  older: { updatedAt: string | null }[] | null;
  u: string | null;
}

/**
 * The days of one page of readings: from the day of the cursor (or `from`), in order, as many as
 * can hold `limit` + 1 readings after the first of them (the first may be partly before the cursor).
 */
export function readingsQuery(channelId: number, params: ReadingsParams): QueryConfig {
  const values: unknown[] = [channelId, params.limit + 1];
  const where = ['channel_id = $1', 'readings > 0'];
  const after = afterOf(params);
  if (after !== undefined) where.push(`day >= $${values.push(nemDateOf(Date.parse(after)))}::date`);
  if (params.to !== undefined) where.push(`day <= $${values.push(nemDateOf(Date.parse(params.to) - 1))}::date`);
  return {
    text: `SELECT day, interval_length, kwh_factor, intervals, quality, older, u FROM (
             SELECT day::text AS day, interval_length, kwh_factor::text AS kwh_factor, intervals::text[] AS intervals, quality, older,
                    date_part('epoch', updated_at)::bigint AS u,
                    row_number() OVER w AS k, sum(readings) OVER w - readings AS before, first_value(readings) OVER w AS first
             FROM days WHERE ${where.join(' AND ')}
             WINDOW w AS (ORDER BY day)
           ) span
           WHERE k = 1 OR before - first < $2
           ORDER BY day`,
    values,
  };
}

/** A cursor continues inside the range: it never reaches before `from`. */
function afterOf(params: ReadingsParams): string | undefined {
  return params.cursor !== undefined && (params.from === undefined || Date.parse(params.cursor) > Date.parse(params.from)) ? params.cursor : params.from;
}

/** Interval i's quality, method, reason and revision time, from the day's runs. */
export function runAt(row: Pick<DayRowText, 'quality'>, interval: number): { flag: string; method: number | null; reasonCode: number | null; revision: number } {
  for (let k = 0; k + 4 < row.quality.length; k += 5) {
    if (row.quality[k]! >= interval) {
      return { flag: String.fromCharCode(row.quality[k + 1] ?? 65), method: row.quality[k + 2], reasonCode: row.quality[k + 3], revision: row.quality[k + 4] ?? 0 };
    }
  }
  throw new Error(`interval ${interval} is outside the day's quality runs`);
}

export async function readingsPage(db: PoolClient, channel: OrgChannel, params: ReadingsParams): Promise<ReadingsPage> {
  const days = (await db.query<DayRowText>(readingsQuery(channel.id, params))).rows;
  const after = afterOf(params);
  const from = after === undefined ? -Infinity : Date.parse(after) / 1000;
  const to = params.to === undefined ? Infinity : Date.parse(params.to) / 1000;
  const readings: Reading[] = [];
  collect: for (const row of days) {
    const start = dayStartSeconds(row.day);
    const step = row.interval_length * 60;
    const exponent = row.kwh_factor === null ? null : KWH_EXPONENT[row.kwh_factor];
    const intervals = row.intervals!;
    for (let i = 0; i < intervals.length; i++) {
      const value = intervals[i];
      const t = start + (i + 1) * step;
      if (value === null || t <= from) continue;
      if (t > to || readings.length > params.limit) break collect;
      const run = runAt(row, i + 1);
      const updated = run.revision === 0 ? (row.u === null ? null : Number(row.u)) : updatedSeconds(row.older?.[run.revision - 1]?.updatedAt ?? null);
      readings.push({
        intervalEnd: nemIsoOfEpochSeconds(t),
        value,
        kwh: exponent === null ? null : shiftDecimal(value, exponent),
        quality: run.flag,
        method: run.method,
        reasonCode: run.reasonCode,
        updatedAt: updated === null ? null : nemIsoOfEpochSeconds(updated),
      });
    }
  }
  const more = readings.length > params.limit;
  if (more) readings.length = params.limit;
  return {
    nmi: channel.nmi,
    suffix: channel.suffix,
    uom: channel.uom,
    intervalLength: channel.intervalLength,
    readings,
    nextCursor: more ? encodeCursor(readings.at(-1)!.intervalEnd) : null,
  };
}

function updatedSeconds(iso: string | null): number | null {
  return iso === null ? null : Math.round(Date.parse(iso) / 1000);
}
