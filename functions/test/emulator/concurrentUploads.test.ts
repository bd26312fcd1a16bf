import { afterAll, describe, expect, it } from 'vitest';
import { expected, fileOf, readingsByKey, revisions, STORED_READINGS } from '../unit/revisionFiles';
import { db, finalStatus, organisation, query, upload } from './harness';

// 20 uploads at once through the pipeline, each a revision of overlapping streams and days: every
// one ends done, with no deadlock, and the table is what the revision rule says (the same files and
// rule as the 20 concurrent CLI loads of test/db/concurrentLoads.test.ts).

afterAll(() => db.end());

describe('a burst of overlapping uploads', () => {
  it('20 at once all end done, and the readings are exactly the revision rule', async () => {
    await organisation('burst');
    const files = revisions();
    const sent = await Promise.all(files.map((days, i) => upload(Buffer.from(fileOf(days)), `uploads/burst/cli/revision-${i}.csv`)));
    const statuses = await Promise.all(sent.map((one) => finalStatus(one.statusId, 240_000)));
    expect(statuses.map((status) => status.status)).toEqual(files.map(() => 'done'));
    const stored = readingsByKey(await query(STORED_READINGS, ['burst']));
    expect(stored).toEqual(expected(files));
    // Each file's readings, counted here from the file, are what its upload says it read.
    for (const [i, status] of statuses.entries()) {
      const readings = files[i].reduce((sum, day) => sum + day.values.filter((value) => value !== '').length, 0);
      expect(status.readings.total, `file ${i}`).toBe(readings);
    }
    // Every stored reading was new to exactly one upload (a later one may replace it: updated), so
    // the uploads' `new` add up to what the table holds, counted from the table.
    expect(statuses.reduce((sum, status) => sum + status.readings.new, 0)).toBe(stored.size);
  }, 300_000);
});
