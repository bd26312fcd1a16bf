import { stringify } from 'csv-stringify/sync';
import type { Pool } from 'pg';
import type { ReadingsCsvParams } from './apiParams';
import type { Reading } from './apiTypes';
import { channelOf, readingsPage } from './readingQueries';
import { withSnapshot } from './snapshot';

/** Readings per page of the export: one short snapshot each, keyset-continued. */
const PAGE = 10_000;

const COLUMNS = ['interval_end', 'value', 'uom', 'kwh', 'quality', 'method', 'reason_code', 'updated_at'];

/** RFC 4180 rows (csv-stringify: quoting whatever needs it, CRLF). */
const csv = (rows: unknown[][]) => stringify(rows, { record_delimiter: 'windows' });

function csvRow(reading: Reading, uom: string | null): unknown[] {
  return [reading.intervalEnd, reading.value, uom, reading.kwh, reading.quality, reading.method, reading.reasonCode, reading.updatedAt];
}

/**
 * A stream's readings as CSV, in time order, for any range: the same rows as GET /readings (its
 * query and its cursor), a page at a time, so neither the function's memory nor a transaction
 * grows with the range. The caller has checked the stream is the organisation's (channelOf) first.
 */
export async function* readingsCsv(pool: Pool, org: string, params: ReadingsCsvParams, pageSize = PAGE): AsyncGenerator<string> {
  yield csv([COLUMNS]);
  let cursor: string | undefined;
  for (;;) {
    const page = await withSnapshot(pool, async (db) => readingsPage(db, await channelOf(db, org, params), { ...params, limit: pageSize, cursor }));
    if (page.readings.length > 0) yield csv(page.readings.map((reading) => csvRow(reading, page.uom)));
    if (page.nextCursor === null) return;
    cursor = page.readings.at(-1)!.intervalEnd;
  }
}

export const csvFileName = (params: ReadingsCsvParams) =>
  `${params.nmi}-${params.suffix}${params.from ? `-from-${params.from.slice(0, 10)}` : ''}${params.to ? `-to-${params.to.slice(0, 10)}` : ''}.csv`;
