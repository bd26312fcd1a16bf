import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { intervalEndClock, KWH_EXPONENT, shiftDecimal, type DayRecord } from '../nem12';

/**
 * COPY ... FROM STDIN in text format, fed by an async producer of row text. Backpressure is
 * honoured; if the producer throws, the COPY is aborted (CopyFail) and the error propagates.
 */
export async function copyRows(client: PoolClient, sql: string, rows: AsyncIterable<string>): Promise<number> {
  const stream = client.query(copyFrom(sql));
  await pipeline(Readable.from(rows, { objectMode: false }), stream);
  return stream.rowCount;
}

/** Column order of `readings` (and of staging tables created LIKE it). */
export const READING_COLUMNS =
  'channel_id, interval_end, value, uom, kwh, quality, method, reason_code, updated_at, upload_id, line';

/**
 * The COPY rows of a day's readings: one per non-empty interval, with its own quality. Built from
 * parts that are constant per day and per quality range, since this runs for millions of rows.
 */
export function readingRows(day: DayRecord, channelId: number, uploadId: number): string {
  const { channel } = day;
  const clock = intervalEndClock(channel.intervalLength);
  const exponent = channel.kwhFactor === null ? null : KWH_EXPONENT[channel.kwhFactor];
  const head = `${channelId}\t${day.date} `;
  const uom = `\t${copyText(channel.uom)}\t`;
  const tail = `\t${day.updatedAt ?? '\\N'}\t${uploadId}\t${day.line}\n`;
  const values = day.values;
  const rows: string[] = [];
  for (const range of day.quality) {
    const quality = `\t${range.flag}\t${range.method ?? '\\N'}\t${range.reasonCode ?? '\\N'}${tail}`;
    for (let i = range.from - 1; i < range.to; i++) {
      const value = values[i];
      if (value === null) continue;
      const kwh = exponent === null ? '\\N' : exponent === 0 ? value : shiftDecimal(value, exponent);
      // `24:00+10` is accepted by PostgreSQL as the next day's midnight: the last interval's end.
      rows.push(`${head}${clock[i]}+10\t${value}${uom}${kwh}${quality}`);
    }
  }
  return rows.join('');
}

/**
 * The day tables (CLI temp table, pipeline staging): one row per 300 row of the file, with what
 * validation found in it (readings and their exact total: what the load must be seen to store).
 */
export const DAY_TABLE =
  '(nmi text, suffix text, day date, fingerprint uuid, line integer, readings integer, uom text, interval_length smallint, total numeric, updated_at timestamptz)';
/** Column order of the day tables' COPY rows. */
export const DAY_COLUMNS = 'nmi, suffix, day, fingerprint, line, readings, uom, interval_length, total, updated_at';

/** The COPY row of a day: what identifies it, a fingerprint of what it says, its stream's unit and length, its figures. */
export function dayRow(day: DayRecord): string {
  const { channel } = day;
  return `${channel.nmi}\t${channel.suffix}\t${day.date}\t${fingerprint(day)}\t${day.line}\t${day.readingCount}\t${copyText(channel.uom)}\t${channel.intervalLength}\t${day.total}\t${day.updatedAt ?? '\\N'}\n`;
}

/**
 * MD5 of everything that determines a day's stored readings: unit, interval length and the record
 * text (300 + 400 rows). Equal fingerprints mean a re-sent day that would change nothing.
 */
export function fingerprint(day: DayRecord): string {
  return createHash('md5')
    .update(`${day.channel.uom}\n${day.channel.intervalLength}\n`)
    .update(day.text)
    .digest('hex');
}

/** Escapes a value for COPY text format. */
function copyText(text: string): string {
  return /[\\\t\n\r]/.test(text) ? text.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!) : text;
}
