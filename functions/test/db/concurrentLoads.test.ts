import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEADER, nem12 } from '../unit/helpers';
import { nem12Load } from './nem12Cli';
import { freshDatabase, type TestDatabase } from './testDatabase';

// 20 `nem12 load` processes at once, each a revision of overlapping streams and days, with its own
// UpdateDateTime per day (no ties: the arrival order then cannot matter) and some empty intervals.
// The table must end up exactly as the revision rule says, computed here from the files.
const FILES = 20;
const NMIS = ['NCONC00001', 'NCONC00002', 'NCONC00003'];
const DAYS = ['20240301', '20240302', '20240303', '20240304'];

/** A small deterministic generator (mulberry32), so a failure reproduces. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Revision {
  nmi: string;
  date: string;
  updated: string;
  values: string[];
}

function revisions(): Revision[][] {
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

function fileOf(days: Revision[]): string {
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
function expected(files: Revision[][]): Map<string, string> {
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

let db: TestDatabase;
const work = mkdtempSync(join(tmpdir(), 'nem12-concurrent-'));
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => {
  await db.drop();
  rmSync(work, { recursive: true, force: true });
});

describe('concurrent CLI loads of overlapping revisions', { timeout: 180_000 }, () => {
  it('20 at once end exactly as the revision rule says, and a second round changes nothing', async () => {
    const files = revisions();
    const paths = files.map((days, i) => {
      const path = join(work, `revision-${i}.csv`);
      writeFileSync(path, fileOf(days));
      return path;
    });
    const stored = async () => {
      const rows = await db.query<{ nmi: string; date: string; interval: number; value: string }>(
        `SELECT nmi, to_char(nem_day(interval_end), 'YYYYMMDD') AS date,
                (extract(epoch FROM interval_end - nem_instant(nem_day(interval_end)::timestamp)) / 1800)::int AS interval, value::text
         FROM channel_readings ORDER BY 1, 2, 3`,
      );
      return new Map(rows.map((r) => [`${r.nmi} ${r.date} ${r.interval}`, Number(r.value).toFixed(2)]));
    };

    const runs = await Promise.all(paths.map((path) => nem12Load(db.url, [path])));
    for (const run of runs) expect(run.status, run.stderr).toBe(0);
    expect(await stored()).toEqual(expected(files));

    const again = await Promise.all(paths.map((path) => nem12Load(db.url, [path])));
    for (const run of again) expect(run.json).toMatchObject({ ok: true, new: 0, updated: 0 });
    expect(await stored()).toEqual(expected(files));
  });
});
