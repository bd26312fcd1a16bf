import { cpSync, mkdtempSync, appendFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate, MIGRATIONS_DIR, readMigrations } from '../../src/load/migrate';
import { freshDatabase, type TestDatabase } from './testDatabase';

describe('migrations', () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await freshDatabase({ migrate: false });
  });
  afterEach(() => db.drop());

  it('apply in order once, record what ran, and are idempotent', async () => {
    const all = readMigrations().map((m) => `${m.version}_${m.name}`);
    expect(all.length).toBeGreaterThan(0);
    expect(await migrate(db.pool)).toEqual(all);
    expect(await migrate(db.pool)).toEqual([]);
    const recorded = await db.query<{ version: string }>('SELECT version FROM schema_migrations ORDER BY version');
    expect(recorded.map((r) => r.version)).toEqual(readMigrations().map((m) => m.version));
    const tables = await db.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
    );
    expect(tables.map((t) => t.table_name)).toEqual(expect.arrayContaining(['channels', 'days', 'readings', 'uploads', 'meter_readings']));
  });

  it('concurrent runners apply each migration once', async () => {
    const results = await Promise.all([migrate(db.pool), migrate(db.pool), migrate(db.pool)]);
    expect(results.flat().sort()).toEqual(readMigrations().map((m) => `${m.version}_${m.name}`));
  });

  it('refuse to run when an applied migration was edited', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nem12-migrations-'));
    cpSync(MIGRATIONS_DIR, dir, { recursive: true });
    await migrate(db.pool, dir);
    appendFileSync(join(dir, readMigrations(dir)[0].version + '_' + readMigrations(dir)[0].name + '.sql'), '\n-- edited\n');
    await expect(migrate(db.pool, dir)).rejects.toThrow(/changed after it was applied/);
  });

  it('roll back a failing migration whole and leave it unrecorded', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nem12-migrations-'));
    cpSync(MIGRATIONS_DIR, dir, { recursive: true });
    writeFileSync(join(dir, '9999_broken.sql'), 'CREATE TABLE half_done (id int);\nSELECT no_such_function();\n');
    await expect(migrate(db.pool, dir)).rejects.toThrow(/no_such_function/);
    expect(await db.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'half_done'")).toEqual([]);
    expect(await db.query("SELECT 1 FROM schema_migrations WHERE version = '9999'")).toEqual([]);
  });
});
