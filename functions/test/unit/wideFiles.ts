/**
 * Daily-delivery files for tests: `nmis` streams (NMI `W` + 9 digits, suffix E1), one day each, 48
 * readings of one value per NMI: `n % 1000` + `.` + `version` (so a test computes every figure it
 * expects from the NMI's number, without parsing the file).
 */
export interface WideFile {
  nmis: number;
  /** `YYYYMMDD` */
  date: string;
  /** A digit: the decimals of every value, so two versions of a day differ everywhere. */
  version: number;
  /** `YYYYMMDDhhmmss` */
  updatedAt: string;
  /** The first NMI's number (default 0). */
  from?: number;
}

export const wideNmi = (n: number) => `W${String(n).padStart(9, '0')}`;
export const wideValue = (n: number, version: number) => `${n % 1000}.${version}`;

export function wideFile(options: WideFile): Buffer {
  const from = options.from ?? 0;
  const parts: string[] = ['100,NEM12,202401020300,MDP1,RETAILER1\r\n'];
  for (let n = from; n < from + options.nmis; n++) {
    const value = wideValue(n, options.version);
    const values = `${value},`.repeat(48);
    parts.push(`200,${wideNmi(n)},E1,1,E1,N1,M${n},kWh,30,\r\n300,${options.date},${values}A,,,${options.updatedAt},\r\n`);
  }
  parts.push('900\r\n');
  return Buffer.from(parts.join(''));
}

/** The exact sum of every reading of such a file, in thousandths (an integer: no float rounding). */
export function wideTotalMilli(options: Pick<WideFile, 'nmis' | 'version' | 'from'>): bigint {
  const from = options.from ?? 0;
  let total = 0n;
  for (let n = from; n < from + options.nmis; n++) total += BigInt((n % 1000) * 1000 + options.version * 100) * 48n;
  return total;
}
