import pg from 'pg';
import { expect, inject, it } from 'vitest';

// Run only by test/db/exitCode.test.ts: passes or fails as NEM12_PROBE says, after using the database
// the db setup started.
it('the probe', async () => {
  const client = new pg.Client({ connectionString: inject('databaseUrl') });
  await client.connect();
  try {
    expect((await client.query<{ one: number }>('SELECT 1 AS one')).rows[0].one).toBe(1);
  } finally {
    await client.end();
  }
  expect(process.env.NEM12_PROBE).toBe('pass');
});
