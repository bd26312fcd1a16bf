import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseNem12, type Nem12Issue } from '../../src/nem12';

export const CORPUS = join(__dirname, '..', 'fixtures', 'corpus');

export function corpusFile(path: string): Buffer {
  return readFileSync(join(CORPUS, path));
}

/** A NEM12 file from lines (CRLF line ends unless told otherwise). */
export function nem12(lines: string[], eol = '\r\n'): string {
  return lines.join(eol) + eol;
}

export const HEADER = '100,NEM12,200405011135,MDA1,Ret1';
export const CHANNEL_E1 = '200,VABD000163,E1Q1,1,E1,N1,METSER123,kWh,30,';

/** A 300 row of `count` values (default 48 x "1.5"), quality A, with UpdateDateTime. */
export function day(date: string, values: string[] = Array(48).fill('1.5'), tail = 'A,,,20040202120025,20040202142516'): string {
  return `300,${date},${values.join(',')},${tail}`;
}

export function codes(issues: Nem12Issue[]): string[] {
  return issues.map((found) => found.code);
}

export function parse(text: string) {
  const result = parseNem12(text);
  return { ...result, errors: result.issues.errors, warnings: result.issues.warnings };
}

/**
 * A Flo SQL file as what it loads: its head, its day rows and interval rows (each in the file's
 * order; how the INSERT batches interleave them does not matter), and its tail.
 */
export function floSqlShape(sql: string) {
  const lines = sql.split('\n').map((line) => line.replace(/[,;]$/, ''));
  return {
    head: sql.slice(0, sql.indexOf('INSERT INTO nem12_')),
    days: lines.filter((line) => /^\(\d+,'[^']*','/.test(line)),
    intervals: lines.filter((line) => /^\(\d+,'[^']*',[^']/.test(line)),
    tail: sql.slice(sql.indexOf('\n-- Newest revision')),
  };
}
