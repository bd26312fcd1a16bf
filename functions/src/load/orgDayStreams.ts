import type { PoolClient } from 'pg';
import { PAGE_BYTES, pageOf, setPageBit, isEmpty } from '../completeness/streamBitmaps';
import { FLAGGED, PARTIAL, type OrgDayChanges } from './orgDays';

/**
 * The organisation's daily bitmaps of streams (org_day_streams; completeness/streamBitmaps.ts),
 * kept by every publish in its transaction, after its streams have ordinals: each day row written
 * sets its stream's `received` bit, and sets or clears its `partial` and `flagged` bits (a revision
 * that fills a day's gaps clears them). Rows are read and written a page (8,192 streams) at a
 * time, in (day, page) order: a daily file of 100,000 streams writes 13 rows.
 */
export async function recordDayStreams(client: PoolClient, org: string, changes: OrgDayChanges, insertedFrom: string | null): Promise<void> {
  // A day's streams and flags as one comma-joined text each: 100,000 of them as array parameters took
  // the driver and the server more than the query (each element quoted, escaped and parsed).
  const days: string[] = [];
  const channels: string[] = [];
  const flags: string[] = [];
  for (const [day, rows] of changes.written) {
    days.push(day);
    channels.push(rows.channels.join(','));
    flags.push(rows.flags.join(','));
  }
  const staged = insertedFrom === null
    ? ''
    : `SELECT s.day, s.channel_id, (CASE WHEN s.readings < 1440 / s.interval_length THEN ${PARTIAL} ELSE 0 END) | (CASE WHEN s.estimated + s.substituted > 0 THEN ${FLAGGED} ELSE 0 END)
       FROM ${insertedFrom} s JOIN load_plan p ON p.line = s.line WHERE p.action = 'insert'
       UNION ALL`;
  // One text per day of ordinal * 4 + flags: 100,000 rows come back as one string, not 100,000 rows.
  await client.query('SET LOCAL enable_nestloop = off');
  const written = await client.query<{ day: string; codes: string }>(
    `SELECT w.day::text AS day, string_agg((c.ordinal * 4 + w.flags)::text, ',') AS codes FROM (
       ${staged}
       SELECT k.day, u.channel_id, u.flags FROM unnest($1::date[], $2::text[], $3::text[]) k (day, channels, flags)
       CROSS JOIN LATERAL unnest(string_to_array(k.channels, ',')::integer[], string_to_array(k.flags, ',')::integer[]) u (channel_id, flags)
     ) w (day, channel_id, flags) JOIN channels c ON c.id = w.channel_id
     GROUP BY w.day`,
    [days, channels, flags],
  );
  await client.query('SET LOCAL enable_nestloop = on');
  const pages = new Map<string, { day: string; page: number; codes: number[] }>();
  for (const row of written.rows) {
    for (const text of row.codes.split(',')) {
      const code = Number(text);
      const page = pageOf(code >> 2);
      const key = `${row.day}|${page}`;
      let entry = pages.get(key);
      if (entry === undefined) pages.set(key, (entry = { day: row.day, page, codes: [] }));
      entry.codes.push(code);
    }
  }
  if (pages.size === 0) return;
  const touched = [...pages.values()].sort((a, b) => a.day.localeCompare(b.day) || a.page - b.page);
  const stored = await client.query<{ day: string; page: number; received: Buffer; partial: Buffer | null; flagged: Buffer | null }>(
    `SELECT s.day::text AS day, s.page, s.received, s.partial, s.flagged FROM org_day_streams s
     JOIN unnest($2::date[], $3::integer[]) k (day, page) ON s.day = k.day AND s.page = k.page
     WHERE s.org_id = $1 ORDER BY s.day, s.page FOR UPDATE OF s`,
    [org, touched.map((entry) => entry.day), touched.map((entry) => entry.page)],
  );
  const before = new Map(stored.rows.map((row) => [`${row.day}|${row.page}`, row]));
  const bitmaps = { received: [] as Buffer[], partial: [] as (Buffer | null)[], flagged: [] as (Buffer | null)[] };
  for (const entry of touched) {
    const row = before.get(`${entry.day}|${entry.page}`);
    const received = pageCopy(row?.received ?? null);
    const partial = pageCopy(row?.partial ?? null);
    const flagged = pageCopy(row?.flagged ?? null);
    for (const code of entry.codes) {
      const ordinal = code >> 2;
      setPageBit(received, ordinal, true);
      setPageBit(partial, ordinal, (code & PARTIAL) !== 0);
      setPageBit(flagged, ordinal, (code & FLAGGED) !== 0);
    }
    bitmaps.received.push(Buffer.from(received));
    bitmaps.partial.push(isEmpty(partial) ? null : Buffer.from(partial));
    bitmaps.flagged.push(isEmpty(flagged) ? null : Buffer.from(flagged));
  }
  await client.query(
    `INSERT INTO org_day_streams (org_id, day, page, received, partial, flagged)
     SELECT $1, * FROM unnest($2::date[], $3::integer[], $4::bytea[], $5::bytea[], $6::bytea[])
     ON CONFLICT (org_id, day, page) DO UPDATE SET received = EXCLUDED.received, partial = EXCLUDED.partial, flagged = EXCLUDED.flagged`,
    [org, touched.map((entry) => entry.day), touched.map((entry) => entry.page), bitmaps.received, bitmaps.partial, bitmaps.flagged],
  );
}

function pageCopy(stored: Buffer | null): Uint8Array {
  const page = new Uint8Array(PAGE_BYTES);
  if (stored !== null) page.set(stored.subarray(0, PAGE_BYTES));
  return page;
}
