import { HEADER, nem12 } from './helpers';

// Overlapping revisions of a few streams and days for the concurrency tests (CLI and pipeline):
// each file a revision of some of them, with its own UpdateDateTime per day (no ties: the arrival
// order then cannot matter) and some empty intervals; and what the revision rule makes of them all.
export const FILES = 20;
export const NMIS = ['NCONC00001', 'NCONC00002', 'NCONC00003'];
export const DAYS = ['20240301', '20240302', '20240303', '20240304'];

/** A small deterministic generator (mulberry32), so a failure reproduces. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Revision {
  nmi: string;
  date: string;
  updated: string;
  values: string[];
}

export function revisions(): Revision[][] {
  const next = random(1202);
  const files: Revision[][] = [];
  for (let f = 0; f < FILES; f++) {
    const days: Revision[] = [];
    for (const nmi of NMIS) {
      for (const [d, date] of DAYS.entries()) {
        if (next() < 0.4) continue;
        // Unique per file and day: minute = file, hour = day.
        const updated = `202403${String(10 + d).padStart(2, '0')}${String(Math.floor(next() * 24)).padStart(2, '0')}${String(f).padStart(2, '0')}${String(NMIS.indexOf(nmi)).padStart(2, '0')}`;
        const values = Array.from({ length: 48 }, () => (next() < 0.1 ? '' : (Math.floor(next() * 1000) / 100).toFixed(2)));
        days.push({ nmi, date, updated, values });
      }
    }
    files.push(days);
  }
  return files;
}

export function fileOf(days: Revision[]): string {
  const lines = [HEADER];
  for (const nmi of NMIS) {
    const mine = days.filter((d) => d.nmi === nmi);
    if (mine.length === 0) continue;
    lines.push(`200,${nmi},E1,1,E1,N1,M1,kWh,30,`);
    for (const d of mine) lines.push(`300,${d.date},${d.values.join(',')},A,,,${d.updated},`);
  }
  lines.push('900');
  return nem12(lines);
}

/** The revision rule, per stream and interval: the value of the newest revision that has one. */
export function expected(files: Revision[][]): Map<string, string> {
  const best = new Map<string, { updated: string; value: string }>();
  for (const days of files) {
    for (const d of days) {
      d.values.forEach((value, i) => {
        if (value === '') return;
        const key = `${d.nmi} ${d.date} ${i + 1}`;
        const current = best.get(key);
        if (current === undefined || d.updated > current.updated) best.set(key, { updated: d.updated, value });
      });
    }
  }
  return new Map([...best].map(([key, { value }]) => [key, value]));
}


/** The stored readings of those streams, keyed as `expected` keys them (`org` narrows to one organisation). */
export const STORED_READINGS = `SELECT nmi, to_char(nem_day(interval_end), 'YYYYMMDD') AS date,
       (extract(epoch FROM interval_end - nem_instant(nem_day(interval_end)::timestamp)) / 1800)::int AS interval, value::text
FROM channel_readings WHERE nmi LIKE 'NCONC%' AND ($1::text IS NULL OR org_id = $1) ORDER BY 1, 2, 3`;

export function readingsByKey(rows: { nmi: string; date: string; interval: number; value: string }[]): Map<string, string> {
  return new Map(rows.map((r) => [`${r.nmi} ${r.date} ${r.interval}`, Number(r.value).toFixed(2)]));
}
