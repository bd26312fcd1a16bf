/**
 * Synthetic NEM12 files for benchmarks: deterministic (seeded), realistic shape (one 200 block per
 * NMI with a year of 300 rows, some V days with 400 ranges, UpdateDateTime set), any size.
 */
export interface SyntheticOptions {
  nmis: number;
  days: number;
  intervalLength: number;
  /** The first day, `YYYY-MM-DD` (default 2024-01-01). */
  startDate?: string;
}

export const DEFAULT_SYNTHETIC: SyntheticOptions = { nmis: 200, days: 365, intervalLength: 30 };

/** Yields the file as text chunks (one NMI block at a time) so any size streams to disk. */
export function* syntheticNem12(options: SyntheticOptions): Generator<string> {
  const { nmis, days, intervalLength } = options;
  const count = 1440 / intervalLength;
  const start = Date.parse(`${options.startDate ?? '2024-01-01'}T00:00:00Z`);
  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  yield '100,NEM12,202501010000,MDP1,RETAILER1\r\n';
  const dates: string[] = [];
  for (let d = 0; d < days; d++) {
    const iso = new Date(start + d * 86_400_000).toISOString();
    dates.push(iso.slice(0, 4) + iso.slice(5, 7) + iso.slice(8, 10));
  }
  for (let n = 0; n < nmis; n++) {
    const nmi = `NMI${String(n).padStart(7, '0')}`;
    const rows: string[] = [`200,${nmi},E1,1,E1,N1,METER${n},kWh,${intervalLength},\r\n`];
    for (let d = 0; d < days; d++) {
      const values: string[] = new Array(count);
      for (let i = 0; i < count; i++) values[i] = (random() * 2).toFixed(3);
      const variable = d % 30 === 7;
      const quality = variable ? 'V,,' : 'A,,';
      rows.push(`300,${dates[d]},${values.join(',')},${quality},${dates[d]}120000,${dates[d]}130000\r\n`);
      if (variable) {
        const half = count / 2;
        rows.push(`400,1,${half},A,,\r\n400,${half + 1},${count},S14,1,Meter fault\r\n`);
      }
    }
    yield rows.join('');
  }
  yield '900\r\n';
}
