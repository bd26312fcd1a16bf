import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// The NEM12 text builders are the parser package's own test helpers.
export { CHANNEL_E1, day, HEADER, nem12 } from '../../../nem12/test/helpers';

export const CORPUS = join(__dirname, '..', 'fixtures', 'corpus');

export function corpusFile(path: string): Buffer {
  return readFileSync(join(CORPUS, path));
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
