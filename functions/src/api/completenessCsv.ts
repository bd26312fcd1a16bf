import { stringify } from 'csv-stringify/sync';
import type { Pool } from 'pg';
import type { GapStatus, GapStream } from './apiTypes';
import { completenessOf, gapStreams, rankedStreams } from './completenessQueries';
import { withSnapshot } from './snapshot';

/** Streams per query of the export's figures. */
const PAGE = 1000;

const COLUMNS = ['nmi', 'suffix', 'missing_days', 'missing', 'partial_days', 'empty_intervals', 'estimated_days', 'estimated_share', 'last_received', 'last_upload_id', 'last_upload_file'];

function csvRow(stream: GapStream): unknown[] {
  return [
    stream.nmi,
    stream.suffix ?? '',
    stream.missingDays,
    // Runs of days: 2024-01-01..2024-01-03 2024-01-09
    stream.missing.map((run) => (run.from === run.to ? run.from : `${run.from}..${run.to}`)).join(' '),
    stream.partialDays,
    stream.emptyIntervals,
    stream.estimatedDays,
    stream.estimatedShare === null ? '' : stream.estimatedShare.toFixed(4),
    stream.lastReceived ?? '',
    stream.lastUpload?.id ?? '',
    stream.lastUpload?.fileName ?? '',
  ];
}

/**
 * Every stream of GET /completeness/streams for a status, worst first, as CSV (RFC 4180, CRLF):
 * ranked in one snapshot, their figures read a page of streams at a time (one short snapshot each,
 * as the readings export), so the function's memory does not grow with the list.
 */
export async function* gapStreamsCsv(pool: Pool, org: string, params: { from: string; to: string; status: GapStatus }): AsyncGenerator<string> {
  yield stringify([COLUMNS], { record_delimiter: 'windows' });
  const { found, ranked } = await withSnapshot(pool, async (db) => {
    const found = await completenessOf(db, org, params.from, params.to);
    return { found, ranked: rankedStreams(found, params.status, null, Number.MAX_SAFE_INTEGER).streams };
  });
  for (let at = 0; at < ranked.length; at += PAGE) {
    const streams = await withSnapshot(pool, (db) => gapStreams(db, org, found, ranked.slice(at, at + PAGE)));
    yield stringify(streams.map(csvRow), { record_delimiter: 'windows' });
  }
}
