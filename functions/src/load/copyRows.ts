import { hash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { DayRecord } from 'nem12';
import { copyText } from './dayRows';

/**
 * COPY ... FROM STDIN in text format, fed by an async producer of row text. Backpressure is
 * honoured; if the producer throws, the COPY is aborted (CopyFail) and the error propagates.
 */
export async function copyRows(client: PoolClient, sql: string, rows: AsyncIterable<string>): Promise<number> {
  const stream = client.query(copyFrom(sql));
  await pipeline(Readable.from(rows, { objectMode: false }), stream);
  return stream.rowCount;
}

/**
 * The validated-day tables (CLI temp table, pipeline staging): one row per 300 row of the file, with
 * what validation found in it: the day, a fingerprint of what it says, how many readings.
 */
export const VALIDATED_DAY_TABLE =
  '(nmi text, suffix text, day date, fingerprint uuid, line integer, readings integer, uom text, interval_length smallint, updated_at timestamptz)';
/** Column order of the validated-day tables' COPY rows. */
export const VALIDATED_DAY_COLUMNS = 'nmi, suffix, day, fingerprint, line, readings, uom, interval_length, updated_at';

/** The COPY row of a validated day. */
export function validatedDayRow(day: DayRecord): string {
  const { channel } = day;
  return `${channel.nmi}\t${channel.suffix}\t${day.date}\t${fingerprint(day)}\t${day.line}\t${day.readingCount}\t${copyText(channel.uom)}\t${channel.intervalLength}\t${day.updatedAt ?? '\\N'}\n`;
}

/**
 * MD5 of everything that determines a day's stored readings: unit, interval length and the record
 * text (300 + 400 rows). Equal fingerprints mean a re-sent day that would change nothing.
 */
export function fingerprint(day: DayRecord): string {
  return hash('md5', `${day.channel.uom}\n${day.channel.intervalLength}\n${day.text}`);
}
