import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expected, fileOf, readingsByKey, revisions, STORED_READINGS } from '../unit/revisionFiles';
import { nem12Load } from './nem12Cli';
import { freshDatabase, type TestDatabase } from './testDatabase';

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
    // The table must end up exactly as the revision rule says, computed here from the files.
    const stored = async () => readingsByKey(await db.query(STORED_READINGS, [null]));

    const runs = await Promise.all(paths.map((path) => nem12Load(db.url, [path])));
    for (const run of runs) expect(run.status, run.stderr).toBe(0);
    expect(await stored()).toEqual(expected(files));

    const again = await Promise.all(paths.map((path) => nem12Load(db.url, [path])));
    for (const run of again) expect(run.json).toMatchObject({ ok: true, new: 0, updated: 0 });
    expect(await stored()).toEqual(expected(files));
  });
});
