import { hash } from 'node:crypto';
import type { PoolClient } from 'pg';
import type { DayQualityCounts } from '../days';

/**
 * What a set of day rows holds, in 20 bytes: their number and the XOR of one MD5 per row over the
 * text PostgreSQL prints for its columns (stream, day, line, fingerprint, figures, upload, the
 * intervals and quality arrays, the readings by quality). The loader folds the rows as it renders them, PostgreSQL folds
 * them as stored: equal digests mean every row arrived as rendered, every value, empty interval
 * and quality run included, and the loader keeps no memory per row. The rendered text must be
 * PostgreSQL's own output for the value (dayRows.ts renders canonical decimals), or a check fails:
 * never the other way round.
 */
export interface RowDigest {
  rows: number;
  xor: [number, number, number, number];
}

export class RowDigester {
  private rows = 0;
  private readonly xor: RowDigest['xor'] = [0, 0, 0, 0];

  add(text: string): void {
    const md5 = hash('md5', text);
    for (let k = 0; k < 4; k++) this.xor[k] ^= parseInt(md5.slice(k * 8, k * 8 + 8), 16) | 0;
    this.rows++;
  }

  get digest(): RowDigest {
    return { rows: this.rows, xor: [...this.xor] };
  }
}

/** A rendered day row's columns as COPY text, for its digest. */
export interface RenderedDay {
  channelId: number;
  day: string;
  uploadId: number;
  line: number;
  /** 32 hex digits. */
  fingerprint: string;
  readings: number;
  total: string | null;
  kwh: string | null;
  intervals: string;
  quality: string;
  /** Readings by quality (dayCompleteness.ts). */
  counts: DayQualityCounts;
}

/** Folds rendered day rows into the digest PostgreSQL computes with `dayRowText`. */
export class DayRowDigester extends RowDigester {
  addRow(row: RenderedDay): void {
    const f = row.fingerprint;
    const c = row.counts;
    const uuid = `${f.slice(0, 8)}-${f.slice(8, 12)}-${f.slice(12, 16)}-${f.slice(16, 20)}-${f.slice(20)}`;
    this.add(`${row.channelId}|${row.day}|${row.line}|${uuid}|${row.readings}|${row.total ?? ''}|${row.kwh ?? ''}|${row.uploadId}|${row.intervals}|${row.quality}|${c.actual}|${c.estimated}|${c.substituted}|${c.variable}`);
  }
}

/** The text a day row's digest covers, as SQL over the row `a` (of `days` or a table LIKE it). */
export function dayRowText(a: string): string {
  return `concat_ws('|', ${a}.channel_id, ${a}.day, ${a}.line, ${a}.fingerprint, ${a}.readings, coalesce(${a}.total::text, ''), coalesce(${a}.kwh::text, ''), ${a}.upload_id, ${a}.intervals, ${a}.quality, ${a}.actual, ${a}.estimated, ${a}.substituted, ${a}.variable)`;
}

/** Digests of disjoint sets of rows, as one (the chunks of an upload). */
export function combineDigests(digests: readonly RowDigest[]): RowDigest {
  const xor: RowDigest['xor'] = [0, 0, 0, 0];
  let rows = 0;
  for (const digest of digests) {
    rows += digest.rows;
    for (let k = 0; k < 4; k++) xor[k] ^= digest.xor[k];
  }
  return { rows, xor };
}

export function sameDigest(a: RowDigest, b: RowDigest): boolean {
  return a.rows === b.rows && a.xor.every((word, k) => word === b.xor[k]);
}

/** SELECT columns `n` and `xor`: the digest PostgreSQL computes of `text` (SQL of a row) over the rows selected. */
export function digestColumns(text: string): string {
  // One bit(128) per row, XORed: the four words are read from its 128 binary digits.
  return `count(*) AS n, bit_xor(('x' || md5(${text}))::bit(128))::text AS xor`;
}

/** The digest in a row with the columns of `digestColumns`. */
export function digestOfRow(row: { n: string; xor: string | null }): RowDigest {
  const word = (k: number) => (row.xor === null ? 0 : parseInt(row.xor.slice(k * 32, k * 32 + 32), 2) | 0);
  return { rows: Number(row.n), xor: [word(0), word(1), word(2), word(3)] };
}

/** The digest PostgreSQL computes of `text` (SQL of a row) over the rows of `fromWhere` ("FROM ... WHERE ..."). */
export async function digestOf(client: PoolClient, text: string, fromWhere: string, params: unknown[] = []): Promise<RowDigest> {
  const result = await client.query<{ n: string; xor: string | null }>(`SELECT ${digestColumns(text)} ${fromWhere}`, params);
  return digestOfRow(result.rows[0]);
}
