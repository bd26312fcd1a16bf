import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadFile } from '../../src/ingest/loadFile';
import { HEADER, nem12 } from '../unit/helpers';
import { freshDatabase, type TestDatabase } from './testDatabase';

// Publishing locks the streams it touches, not the world: a load of other NMIs goes ahead while one
// stream is locked, a load of that stream waits for it.

const fileFor = (nmi: string, date: string, value: string) =>
  Buffer.from(nem12([HEADER, `200,${nmi},E1,1,E1,N1,M1,kWh,30,`, `300,${date},${Array(48).fill(value).join(',')},A,,,20240302120000,`, '900']));
const load = (db: TestDatabase, name: string, bytes: Buffer) => loadFile(db.pool, { org: 'local', fileName: name, open: () => [bytes] });
const settled = <T>(promise: Promise<T>, ms: number) => Promise.race([promise.then(() => true), new Promise<false>((done) => setTimeout(() => done(false), ms))]);

let db: TestDatabase;
beforeEach(async () => {
  db = await freshDatabase();
});
afterEach(() => db.drop());

describe('publish locks per stream', () => {
  it('a load of disjoint NMIs publishes while another stream is held; a load of the held stream waits, then lands', async () => {
    await load(db, 'a1.csv', fileFor('NLOCKA0001', '20240301', '1'));
    const [{ id }] = await db.query<{ id: number }>(`SELECT id FROM channels WHERE nmi = 'NLOCKA0001'`);
    // Another publish of NLOCKA0001, in progress: its stream's row lock held in an open transaction.
    const holder = await db.pool.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT id FROM channels WHERE id = $1 FOR NO KEY UPDATE', [id]);
      const [{ pid }] = (await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows;

      const disjoint = load(db, 'b.csv', fileFor('NLOCKB0001', '20240301', '2'));
      expect(await settled(disjoint, 10_000)).toBe(true);
      expect((await disjoint).new).toBe(48);

      const same = load(db, 'a2.csv', fileFor('NLOCKA0001', '20240302', '3'));
      expect(await settled(same, 1_500)).toBe(false);
      const [{ waiting }] = await db.query<{ waiting: string }>(
        `SELECT count(*) AS waiting FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))`,
        [pid],
      );
      expect(Number(waiting)).toBe(1);
      await holder.query('COMMIT');
      expect((await same).new).toBe(48);
    } finally {
      holder.release();
    }
    const [{ days }] = await db.query<{ days: string }>(`SELECT count(*) AS days FROM days`);
    expect(Number(days)).toBe(3);
  });

  it('two loads that share streams in opposite file order both end, without deadlock', async () => {
    const both = (first: string, second: string, value: string) =>
      Buffer.from(
        nem12([
          HEADER,
          `200,${first},E1,1,E1,N1,M1,kWh,30,`,
          `300,20240301,${Array(48).fill(value).join(',')},A,,,2024030${value}120000,`,
          `200,${second},E1,1,E1,N1,M1,kWh,30,`,
          `300,20240301,${Array(48).fill(value).join(',')},A,,,2024030${value}120000,`,
          '900',
        ]),
      );
    for (let round = 0; round < 5; round++) {
      const results = await Promise.all([load(db, `x${round}.csv`, both('NLOCKX0001', 'NLOCKY0001', '1')), load(db, `y${round}.csv`, both('NLOCKY0001', 'NLOCKX0001', '2'))]);
      expect(results.every((result) => result.ok)).toBe(true);
    }
    // The newer revision (UpdateDateTime 2024-03-02) holds both streams.
    const values = await db.query<{ v: string }>(`SELECT DISTINCT value::text AS v FROM readings`);
    expect(values).toEqual([{ v: '2' }]);
  });
});
