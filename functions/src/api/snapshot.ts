import type { Pool, PoolClient } from 'pg';
import { apiErrorOf } from './apiError';

const STATEMENT_TIMEOUT_MS = 10_000;

/** One read-only snapshot: the access check, the version and the data all see the same commit. */
export async function withSnapshot<T>(pool: Pool, work: (db: PoolClient) => Promise<T>): Promise<T> {
  const db = await pool.connect();
  let broken = false;
  try {
    // One round trip. Short index-range queries: parallel workers and JIT only add start-up time.
    await db.query(
      `BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY; SET LOCAL statement_timeout = ${STATEMENT_TIMEOUT_MS};
       SET LOCAL max_parallel_workers_per_gather = 0; SET LOCAL jit = off`,
    );
    const result = await work(db);
    await db.query('COMMIT');
    return result;
  } catch (error) {
    // A connection that failed is not given back to the pool.
    broken = apiErrorOf(error).code === 'DATABASE_UNAVAILABLE';
    await db.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    db.release(broken);
  }
}
