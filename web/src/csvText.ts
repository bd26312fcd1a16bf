import { stringify } from 'csv-stringify/browser/esm/sync';

/** Rows as CSV (RFC 4180: quoted where needed, CRLF), as the API's exports write it (csv-stringify both). */
export function csvText(rows: unknown[][]): string {
  return stringify(rows, { record_delimiter: 'windows' });
}
