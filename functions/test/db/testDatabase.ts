import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { migrate, MIGRATIONS_DIR } from '../../src/load/migrate';

export interface TestDatabase {
  url: string;
  pool: pg.Pool;
  query<T extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

/** A new, migrated database of its own on the real server, dropped by `drop()`. */
export async function freshDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const adminUrl = inject('databaseUrl');
  const name = `nem12_test_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 4 });
  // pool.end() resolves before its connections have closed, so drop()'s DROP ... WITH (FORCE) may
  // terminate one that is still closing: the pool then reports it as an idle client's error.
  pool.on('error', (error: Error & { code?: string }) => {
    if (error.code !== '57P01') throw error;
  });
  if (options.migrate !== false) await migrate(pool);
  return {
    url: url.toString(),
    pool,
    query: async (sql, params) => (await pool.query(sql, params)).rows,
    drop: async () => {
      await pool.end();
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/** Applies the migrations before `version` only: the schema as an earlier release left it. */
export async function migrateBefore(db: TestDatabase, version: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'nem12-migrations-'));
  try {
    cpSync(MIGRATIONS_DIR, dir, { recursive: true });
    for (const file of readdirSync(dir)) if (file >= version) rmSync(join(dir, file));
    await migrate(db.pool, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
