import pg, { type Pool, type PoolClient } from 'pg';

/**
 * Every pool the code opens: sessions with JIT off (it compiles queries whose cost estimate is high,
 * as a join over a just-loaded table often is, and spends hundreds of milliseconds on queries that
 * run in tens), and an idle connection's error (a restarted server) dropped instead of crashing.
 */
export function newPool(config: pg.PoolConfig): Pool {
  const pool = new pg.Pool({ options: '-c jit=off', ...config });
  pool.on('error', () => {});
  return pool;
}

export function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

/**
 * Runs `work` on one checked-out client. A connection that dies while checked out makes the client
 * emit `error` (with no listener, that crashes the process): it is caught here, the work's next
 * query fails with it, and the broken client is destroyed instead of going back to the pool.
 */
export async function withClient<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const onError = (error: Error) => {
    broken = error;
  };
  client.on('error', onError);
  try {
    return await work(client);
  } finally {
    client.off('error', onError);
    client.release(broken);
  }
}
