import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDayPartitions } from '../../src/load/dayPartitions';
import { freshDatabase, type TestDatabase } from './testDatabase';

// Loads that need the same new month at the same moment (two files of the same day, as a provider's
// daily delivery often is) must all go on: one makes the month, the others find it made. Found by CI:
// a maker that waited for another saw a stale catalog and failed with "relation ... already exists".
let db: TestDatabase;
let wide: pg.Pool;
beforeAll(async () => {
  db = await freshDatabase();
  wide = new pg.Pool({ connectionString: db.url, max: 8 });
});
afterAll(async () => {
  await wide.end();
  await db.drop();
});

const partitions = async (prefix: string) =>
  (await db.query<{ name: string }>(`SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'days'::regclass AND c.relname LIKE $1 ORDER BY 1`, [`${prefix}%`])).map((row) => row.name);

describe('month partitions made by concurrent loads', () => {
  it('8 loads needing the same new months at once: all succeed, each month made exactly once', async () => {
    for (let round = 0; round < 20; round++) {
      const year = 2040 + round;
      // Each load asks for the months in its own order, as files list their days in any order.
      const months = ['01', '02', '03'].map((month) => `${year}-${month}-01`);
      const asks = Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? months : [...months].reverse()));
      const made = await Promise.all(asks.map((ask) => ensureDayPartitions(wide, ask)));
      expect(made.reduce((sum, n) => sum + n, 0)).toBe(3);
      expect(await partitions(`days_y${year}m`)).toEqual([`days_y${year}m01`, `days_y${year}m02`, `days_y${year}m03`]);
    }
  });

});
