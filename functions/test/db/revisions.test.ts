import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { nem12Load } from './nem12Cli';
import { freshDatabase, type TestDatabase } from './testDatabase';

// The revision scenarios of fixtures/defects, through the real `nem12 load` (the built bin, one
// process per file, reading the file from disk in two passes), several times in a row each.
const DEFECTS = join(__dirname, '..', '..', '..', 'nem12', 'test', 'fixtures', 'defects');
const REPEATS = 3;

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(() => db.drop());
beforeEach(() => reset());

const reset = () => db.query('TRUNCATE days, channels, uploads RESTART IDENTITY CASCADE');

async function loadInOrder(...names: string[]) {
  const outcomes = [];
  for (const name of names) {
    const run = await nem12Load(db.url, [join(DEFECTS, name)]);
    expect(run.status, run.stderr).toBe(0);
    outcomes.push(run.json as { readings: number; new: number; updated: number; unchanged: number });
  }
  return outcomes;
}

async function day(date: string) {
  const [row] = await db.query<{ readings: string; total: string | null; lengths: string }>(
    `SELECT count(*) AS readings, sum(value)::text AS total,
            string_agg(DISTINCT extract(minute FROM nem_interval_end)::text, ',') AS lengths
     FROM channel_readings WHERE nem_interval_end > $1::timestamp AND nem_interval_end <= $1::timestamp + interval '1 day'`,
    [date],
  );
  return { readings: Number(row.readings), total: row.total === null ? null : Number(row.total) };
}

describe('revisions through the nem12 CLI, each scenario several times in a row', () => {
  it('a newer revision of a day replaces the stored one (lost_revision): every time', async () => {
    for (let i = 0; i < REPEATS; i++) {
      await reset();
      const [, rev] = await loadInOrder('lost_revision_base.csv', 'lost_revision_rev.csv');
      expect(rev).toMatchObject({ readings: 96, new: 0, updated: 48, unchanged: 48 });
      expect(await day('2024-01-02')).toEqual({ readings: 48, total: 96 });
      expect(await day('2024-01-01')).toEqual({ readings: 48, total: 48 });
    }
  });

  it('a file with a repeated day loads whole into an empty database, and a re-load changes nothing', async () => {
    for (let i = 0; i < REPEATS; i++) {
      await reset();
      const [first, again] = await loadInOrder('lost_whole_file_duplicate_day.csv', 'lost_whole_file_duplicate_day.csv');
      expect(first).toMatchObject({ readings: 1248, new: 1152, updated: 0, unchanged: 96 });
      expect(Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM readings'))[0].n)).toBe(1152);
      expect(again).toMatchObject({ new: 0, updated: 0, unchanged: 1248 });
    }
  });

  it('a newer day with another interval length replaces the day whole, in either order and inside one file', async () => {
    for (const order of [
      ['revision_semantics/il_change_1_15min_older.csv', 'revision_semantics/il_change_2_30min_newer.csv'],
      ['revision_semantics/il_change_2_30min_newer.csv', 'revision_semantics/il_change_1_15min_older.csv'],
      ['revision_semantics/il_change_in_one_file.csv'],
    ]) {
      await reset();
      await loadInOrder(...order);
      expect(await day('2024-01-05'), order.join(' then ')).toEqual({ readings: 48, total: 48 });
      const [stored] = await db.query<{ interval_length: number }>('SELECT interval_length FROM days');
      expect(stored.interval_length).toBe(30);
    }
  });

  it('a tie goes to the later upload; re-loading the loser changes nothing and does not block it in a newer file', async () => {
    for (let i = 0; i < REPEATS; i++) {
      await reset();
      const outcomes = await loadInOrder(
        'revision_semantics/tie_1_values_1.0.csv',
        'revision_semantics/tie_2_values_2.0_same_time.csv',
        'revision_semantics/tie_3_reload_of_tie_1.csv',
      );
      expect(outcomes[2]).toMatchObject({ new: 0, updated: 0, unchanged: 48 });
      expect(await day('2024-01-05')).toEqual({ readings: 48, total: 96 });
      await loadInOrder('revision_semantics/tie_4_tie_1_day_in_a_new_file.csv');
      expect(await day('2024-01-05')).toEqual({ readings: 48, total: 48 });
      expect(await day('2024-01-06')).toEqual({ readings: 48, total: 48 });
    }
  });

  it('intervals a newer revision leaves empty keep their older values (README: revision rule)', async () => {
    await loadInOrder('revision_semantics/empty_values_1_full_older.csv', 'revision_semantics/empty_values_2_newer_first10_empty.csv');
    expect(await day('2024-01-05')).toEqual({ readings: 48, total: 10 * 1 + 38 * 2 });
    await reset();
    await loadInOrder('revision_semantics/empty_values_2_newer_first10_empty.csv', 'revision_semantics/empty_values_1_full_older.csv');
    expect(await day('2024-01-05')).toEqual({ readings: 48, total: 10 * 1 + 38 * 2 });
  });
});
