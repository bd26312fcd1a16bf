// Development only. The PostgreSQL of local runs, tests and benchmarks: DATABASE_URL when set,
// otherwise the embedded server (embeddedPostgres.ts) with its data in the git-ignored .data/.
import { resolve } from 'node:path';
import pg from 'pg';
import { redact } from '../load/database';
import { startEmbeddedPostgres } from './embeddedPostgres';

export interface RunningDatabase {
  url: string;
  /** The embedded server's data folder and whether this run started it; absent for DATABASE_URL. */
  embedded?: { dataDir: string; startedHere: boolean };
  /** Stops the embedded server if this run started it; otherwise nothing. */
  stop(): Promise<void>;
}

/** Where the embedded server keeps its data: a git-ignored folder at the repository root (for a root caller, see embeddedPostgres.ts). */
export const EMBEDDED_DATA_DIR = resolve(__dirname, '..', '..', '..', '.data', 'postgres');

export async function startDatabase(options: { log?: (line: string) => void; dataDir?: string } = {}): Promise<RunningDatabase> {
  const log = options.log ?? (() => {});
  const configured = process.env.DATABASE_URL;
  if (configured) {
    await waitForDatabase(configured);
    log(`using DATABASE_URL (${redact(configured)})`);
    return { url: configured, stop: async () => {} };
  }
  const server = await startEmbeddedPostgres({ dataDir: options.dataDir ?? EMBEDDED_DATA_DIR, log });
  return { url: server.url, embedded: { dataDir: server.dataDir, startedHere: server.startedHere }, stop: () => server.stop() };
}

/** A server just started (a CI service, a container) may take a few seconds to accept connections. */
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
