import { spawn } from 'node:child_process';
import { appendFileSync, createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { syntheticNem12 } from '../../src/bench/synthetic';
import { LoadVerificationError } from '../../src/load/loadErrors';
import { DAY_TABLE } from '../../src/load/copyRows';
import { loadFile } from '../../src/load/loadFile';
import { planLoad, verifyStaged } from '../../src/load/publish';
import { LocalFile } from '../../src/source/localFile';
import { CHANNEL_E1, day, HEADER, nem12 } from '../unit/helpers';
import { BIN, nem12Load } from './nem12Cli';
import { freshDatabase, type TestDatabase } from './testDatabase';

// Faults a load must survive without storing anything wrong: a file that changes between the two
// passes, storage that silently loses rows, and the database going away mid-load.
let db: TestDatabase;
const work = mkdtempSync(join(tmpdir(), 'nem12-faults-'));
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => {
  await db.drop();
  rmSync(work, { recursive: true, force: true });
});
beforeEach(async () => {
  await db.query('DROP TRIGGER IF EXISTS lose_rows ON readings');
  await db.query('TRUNCATE readings, reading_days, channels, uploads RESTART IDENTITY CASCADE');
});

const stored = async () => Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM readings'))[0].n);
const uploads = async () => Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM uploads'))[0].n);
const twoDays = (value: string) => nem12([HEADER, CHANNEL_E1, day('20240101', Array(48).fill(value)), day('20240102', Array(48).fill(value)), '900']);

describe('a file that changes between the two passes', () => {
  it('other bytes on the second pass: refused with FILE_CHANGED, nothing stored', async () => {
    let opened = 0;
    const result = await loadFile(db.pool, { org: 'local', fileName: 'x.csv', open: () => [Buffer.from(twoDays(++opened === 1 ? '1' : '7'))] });
    expect(result.ok).toBe(false);
    expect(result.issues.errors.map((e) => e.code)).toEqual(['FILE_CHANGED']);
    expect(await stored()).toBe(0);
    expect(await uploads()).toBe(0);
  });

  it('a local file appended to after it was validated: refused with FILE_CHANGED, nothing stored', async () => {
    const path = join(work, 'growing.csv');
    writeFileSync(path, twoDays('1'));
    const file = new LocalFile(path);
    let opened = 0;
    const open = () => {
      if (++opened === 2) appendFileSync(path, day('20240103'));
      return file.open();
    };
    const result = await loadFile(db.pool, { org: 'local', fileName: file.name, open });
    expect(result.issues.errors.map((e) => e.code)).toEqual(['FILE_CHANGED']);
    expect(await stored()).toBe(0);
  });
});

describe('storage that loses rows is caught before commit', () => {
  // A trigger that silently swallows one reading: what the load wrote is then not what it validated.
  const loseOneReading = () =>
    db.query(`CREATE OR REPLACE FUNCTION lose_row() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.value = 7 AND extract(minute FROM NEW.interval_end) = 30 AND extract(hour FROM NEW.interval_end) = 3 THEN RETURN NULL; END IF; RETURN NEW; END $$;
      CREATE TRIGGER lose_rows BEFORE INSERT ON readings FOR EACH ROW EXECUTE FUNCTION lose_row()`);

  it('on the first load of new days (COPY straight into readings)', async () => {
    await loseOneReading();
    await expect(loadFile(db.pool, { org: 'local', fileName: 'x.csv', open: () => [Buffer.from(twoDays('7'))] })).rejects.toThrow(LoadVerificationError);
    expect(await stored()).toBe(0);
    expect(await uploads()).toBe(0);
  });

  it('on a merge of a newer revision', async () => {
    await loadFile(db.pool, { org: 'local', fileName: 'old.csv', open: () => [Buffer.from(twoDays('1'))] });
    await loseOneReading();
    const newer = twoDays('7').replace(/20040202120025/g, '20240202120025');
    await expect(loadFile(db.pool, { org: 'local', fileName: 'new.csv', open: () => [Buffer.from(newer)] })).rejects.toThrow(/not stored as validated|validated with/);
    const [values] = await db.query<{ values: string }>(`SELECT string_agg(DISTINCT value::text, ',') AS values FROM readings`);
    expect(values.values).toBe('1');
  });
});

describe('the staged readings are checked against validation before any merge', () => {
  it('a staged day with a reading missing, or another total, is refused', async () => {
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`CREATE TEMP TABLE days ${DAY_TABLE} ON COMMIT DROP`);
      await client.query(`INSERT INTO uploads (org_id, source_key, file_name, status) VALUES ('local', 'k', 'f', 'loading')`);
      await client.query(`INSERT INTO days VALUES ('NMI0000001', 'E1', '2024-01-01', gen_random_uuid(), 3, 48, 'kWh', 30, 48, NULL)`);
      await planLoad(client, 'days', 1, 'local');
      await client.query('CREATE TEMP TABLE staged (LIKE readings) ON COMMIT DROP');
      const stage = (count: number, value: string) =>
        client.query(
          `INSERT INTO staged (channel_id, interval_end, value, uom, quality, upload_id, line)
           SELECT 1, '2024-01-01T00:00:00+10:00'::timestamptz + i * interval '30 minutes', ${value}, 'kWh', 'A', 1, 3 FROM generate_series(1, ${count}) i`,
        );
      await stage(47, '1');
      await expect(verifyStaged(client, 'staged')).rejects.toThrow(/validated with 48 readings \(total 48\) but 47 were staged/);
      await client.query('TRUNCATE staged');
      await stage(48, '1.5');
      await expect(verifyStaged(client, 'staged')).rejects.toThrow(LoadVerificationError);
      await client.query('TRUNCATE staged');
      await stage(48, '1.0');
      await expect(verifyStaged(client, 'staged')).resolves.toBeUndefined();
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });
});

describe('the CLI when the database fails', () => {
  it('an unreachable server: exit 3 and a JSON error, no stack trace', async () => {
    const run = await nem12Load('postgres://postgres@127.0.0.1:1/none', [writeSmall()]);
    expect(run.status).toBe(3);
    expect(run.json).toMatchObject({ ok: false, error: { code: 'DATABASE_UNAVAILABLE' } });
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('the server ends the connection mid-load: exit 3, a JSON error for that file, nothing of it stored', async () => {
    const path = join(work, 'big.csv');
    const out = createWriteStream(path);
    for (const part of syntheticNem12({ nmis: 40, days: 120, intervalLength: 30 })) out.write(part);
    out.end();
    await finished(out);
    const child = spawn(process.execPath, [BIN, 'load', path, '--json'], { env: { ...process.env, DATABASE_URL: db.url } });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    const exited = new Promise<number | null>((done) => child.on('close', done));
    // Wait for the load's COPY of readings, then end its backend.
    let killed = 0;
    for (let i = 0; i < 400 && killed === 0; i++) {
      const rows = await db.query<{ ended: boolean }>(
        `SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity
         WHERE datname = current_database() AND application_name = 'nem12' AND query LIKE 'COPY readings%'`,
      );
      killed = rows.filter((r) => r.ended).length;
      if (killed === 0) await new Promise((done) => setTimeout(done, 25));
    }
    expect(killed).toBe(1);
    expect(await exited).toBe(3);
    expect(JSON.parse(stdout)).toMatchObject({ ok: false, error: { code: 'DATABASE_UNAVAILABLE' } });
    expect(await stored()).toBe(0);
    expect(await uploads()).toBe(0);
  });
});

function writeSmall(): string {
  const path = join(work, 'small.csv');
  writeFileSync(path, twoDays('1'));
  return path;
}
