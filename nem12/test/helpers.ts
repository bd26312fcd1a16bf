import { parseNem12, type Nem12Issue } from '../src/index.js';

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
