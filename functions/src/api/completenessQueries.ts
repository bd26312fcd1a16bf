import type { PoolClient } from 'pg';
import { bitmapWords, PAGE_BYTES, placePage } from '../completeness/streamBitmaps';
import { rankStreams, sweepStreams, WINDOW_DAYS, type RankedStream, type RegisterPeriod, type StreamSweep } from '../completeness/streamSweep';
import { dateOfDayNumber, dayNumber } from 'nem12';
import type { CompletenessDay, CompletenessSummary, GapStatus, GapStream } from './apiTypes';

/**
 * GET /completeness and /completeness/streams: did every expected stream of the organisation
 * arrive, whole, and how much of it is actual. Read from what publishes keep per day (org_days: the
 * figures; org_day_streams: bitmaps of the streams received), never from every day row: 90 days of
 * 100,000 streams are 90 rows and 1.5 MB of bitmaps, swept in memory (completeness/streamSweep.ts).
 * Only the streams of a page are then read from `days`, by their index.
 */
export interface Completeness {
  sweep: StreamSweep;
  /** Register streams never received, by ordinal - sweep's streams (their names). */
  unreceived: { nmi: string; suffix: string | null }[];
  streams: number;
  registered: number;
}

export async function completenessOf(db: PoolClient, org: string, from: string, to: string): Promise<Completeness> {
  const first = dayNumber(from) - WINDOW_DAYS;
  const [{ streams }] = (await db.query<{ streams: number }>('SELECT coalesce((SELECT streams FROM org_data WHERE org_id = $1), 0) AS streams', [org])).rows;
  // Days as day numbers (since 1970-01-01, nem12's dayNumber).
  // Pages as base64, not bytea's hex: a third less to send and parse (4 MB of pages for 90 days of 100,000 streams).
  const pages = await db.query<{ day: number; page: number; received: string; partial: string | null; flagged: string | null }>(
    `SELECT day - DATE '1970-01-01' AS day, page, encode(received, 'base64') AS received,
            CASE WHEN day >= $3 THEN encode(partial, 'base64') END AS partial, CASE WHEN day >= $3 THEN encode(flagged, 'base64') END AS flagged
     FROM org_day_streams WHERE org_id = $1 AND day BETWEEN $2 AND $4`,
    [org, dateOfDayNumber(first), from, to],
  );
  const maps = { received: new Map<number, Uint32Array>(), partial: new Map<number, Uint32Array>(), flagged: new Map<number, Uint32Array>() };
  // Each page decoded into one reused buffer, then copied into its day: no buffer per page.
  const scratch = Buffer.alloc(PAGE_BYTES);
  for (const row of pages.rows) {
    const { day } = row;
    for (const kind of ['received', 'partial', 'flagged'] as const) {
      const page = row[kind];
      if (page === null) continue;
      let bitmap = maps[kind].get(day);
      if (bitmap === undefined) maps[kind].set(day, (bitmap = bitmapWords(streams)));
      placePage(bitmap, row.page, scratch.subarray(0, scratch.write(page, 'base64')));
    }
  }
  const register = await registerPeriods(db, org, from, to, streams);
  const sweep = sweepStreams({ from: dayNumber(from), to: dayNumber(to), streams, ...maps, register: register.periods });
  return { sweep, unreceived: register.unreceived, streams, registered: register.lines };
}

/**
 * The register's lines in force over the range, as periods of stream ordinals: a line without
 * suffixes stands for every stream of its NMI; a stream it names that was never received gets an
 * ordinal past the organisation's streams.
 */
async function registerPeriods(db: PoolClient, org: string, from: string, to: string, streams: number): Promise<{ periods: RegisterPeriod[]; unreceived: Completeness['unreceived']; lines: number }> {
  const rows = await db.query<{ line: number; nmi: string; suffix: string; from_day: string; to_day: string; ordinal: number | null }>(
    `SELECT r.line, r.nmi, r.suffix, r.from_day::text, r.to_day::text, c.ordinal FROM nmi_register r
     LEFT JOIN channels c ON c.org_id = r.org_id AND c.nmi = r.nmi AND (r.suffix = '' OR c.suffix = r.suffix) AND c.ordinal IS NOT NULL
     WHERE r.org_id = $1 AND r.from_day <= $3 AND r.to_day >= $2`,
    [org, from, to],
  );
  const periods: RegisterPeriod[] = [];
  const unreceived = new Map<string, number>();
  for (const row of rows.rows) {
    let ordinal = row.ordinal;
    if (ordinal === null) {
      const key = `${row.nmi},${row.suffix}`;
      ordinal = unreceived.get(key) ?? streams + unreceived.size;
      unreceived.set(key, ordinal);
    }
    periods.push({ ordinal, from: dayOf(row.from_day), to: dayOf(row.to_day) });
  }
  return {
    periods,
    unreceived: [...unreceived.keys()].map((key) => {
      const [nmi, suffix] = key.split(',');
      return { nmi, suffix: suffix === '' ? null : suffix };
    }),
    lines: new Set(rows.rows.map((row) => row.line)).size,
  };
}

function dayOf(text: string): number {
  return text === '-infinity' ? -Infinity : text === 'infinity' ? Infinity : dayNumber(text);
}

const DAY_FIGURES = ['received', 'complete', 'partial', 'readings', 'actual', 'estimated', 'substituted', 'variable'] as const;

export async function completenessSummary(db: PoolClient, org: string, found: Completeness): Promise<CompletenessSummary> {
  const { sweep } = found;
  const from = dateOfDayNumber(sweep.from);
  const to = dateOfDayNumber(sweep.to);
  const figures = await db.query<Record<(typeof DAY_FIGURES)[number], string> & { day: string }>(
    `SELECT day::text AS day, streams AS received, complete, partial, readings, actual, estimated, substituted, variable
     FROM org_days WHERE org_id = $1 AND day BETWEEN $2 AND $3`,
    [org, from, to],
  );
  const byDay = new Map(figures.rows.map((row) => [row.day, row]));
  const days: CompletenessDay[] = [];
  for (let day = sweep.from; day <= sweep.to; day++) {
    const date = dateOfDayNumber(day);
    const row = byDay.get(date);
    const counts = Object.fromEntries(DAY_FIGURES.map((figure) => [figure, Number(row?.[figure] ?? 0)])) as Record<(typeof DAY_FIGURES)[number], number>;
    const missing = sweep.missingPerDay[day - sweep.from];
    days.push({ day: date, expected: counts.received + missing, missing, ...counts });
  }
  const streamsWith = (counts: Int32Array) => counts.reduce((n, days) => (days > 0 ? n + 1 : n), 0);
  return {
    from,
    to,
    windowDays: WINDOW_DAYS,
    registered: found.registered,
    days,
    streams: { missing: streamsWith(sweep.missingDays), partial: streamsWith(sweep.partialDays), estimated: streamsWith(sweep.flaggedDays) },
  };
}

/** The streams of a page, worst first: names from `channels`, figures from their day rows in the range. */
export async function gapStreams(db: PoolClient, org: string, found: Completeness, ranked: RankedStream[]): Promise<GapStream[]> {
  const { sweep } = found;
  const received = ranked.map((stream) => stream.ordinal).filter((ordinal) => ordinal < found.streams);
  const rows = await db.query<{ ordinal: number; nmi: string; suffix: string; last_received: string | null; empty: string | null; flagged: string | null; readings: string | null; upload_id: string | null; file_name: string | null }>(
    `SELECT c.ordinal, c.nmi, c.suffix, (SELECT max(d.day)::text FROM days d WHERE d.channel_id = c.id) AS last_received,
            f.empty, f.flagged, f.readings, u.id AS upload_id, u.file_name
     FROM channels c
     CROSS JOIN LATERAL (
       SELECT sum(1440 / d.interval_length - d.readings) AS empty, sum(d.estimated + d.substituted) AS flagged, sum(d.readings) AS readings, max(d.upload_id) AS upload_id
       FROM days d WHERE d.channel_id = c.id AND d.day BETWEEN $3 AND $4) f
     LEFT JOIN uploads u ON u.id = f.upload_id AND u.org_id = c.org_id
     WHERE c.org_id = $1 AND c.ordinal = ANY($2::integer[])`,
    [org, received, dateOfDayNumber(sweep.from), dateOfDayNumber(sweep.to)],
  );
  const byOrdinal = new Map(rows.rows.map((row) => [row.ordinal, row]));
  return ranked.map(({ ordinal }) => {
    const row = byOrdinal.get(ordinal);
    const name = row ?? found.unreceived[ordinal - found.streams];
    const readings = Number(row?.readings ?? 0);
    const runs = sweep.missingRuns.get(ordinal) ?? [];
    const missing: GapStream['missing'] = [];
    for (let i = 0; i < runs.length; i += 2) missing.push({ from: dateOfDayNumber(runs[i]), to: dateOfDayNumber(runs[i + 1]) });
    return {
      nmi: name.nmi,
      suffix: name.suffix,
      missingDays: sweep.missingDays[ordinal],
      missing,
      partialDays: sweep.partialDays[ordinal],
      emptyIntervals: Number(row?.empty ?? 0),
      estimatedDays: sweep.flaggedDays[ordinal],
      estimatedShare: readings === 0 ? null : Number(row?.flagged ?? 0) / readings,
      lastReceived: row?.last_received ?? null,
      lastUpload: row?.upload_id == null ? null : { id: Number(row.upload_id), fileName: row.file_name ?? '' },
    };
  });
}

export function rankedStreams(found: Completeness, status: GapStatus, after: RankedStream | null, limit: number) {
  const page = rankStreams(found.sweep, status, after, limit);
  const counts = status === 'missing' ? found.sweep.missingDays : status === 'partial' ? found.sweep.partialDays : found.sweep.flaggedDays;
  return { ...page, total: counts.reduce((n, days) => (days > 0 ? n + 1 : n), 0) };
}
