import { createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import { appendFileSync, createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { syntheticNem12 } from '../../src/bench/synthetic';
import { LoadVerificationError } from '../../src/load/loadErrors';
import { VALIDATED_DAY_TABLE } from '../../src/load/copyRows';
import { loadFile } from '../../src/ingest/loadFile';
import { ensureDayPartitions } from '../../src/load/dayPartitions';
import { planLoad } from '../../src/load/planLoad';
import { DayRowDigester } from '../../src/load/rowDigest';
import { verifyStaged } from '../../src/load/verify';
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
  await db.query('DROP TRIGGER IF EXISTS lose_rows ON days');
  await db.query('TRUNCATE days, channels, uploads RESTART IDENTITY CASCADE');
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
  // A trigger that silently empties one interval of a day row: what the load wrote is then not what it validated.
  const loseOneReading = () =>
    db.query(`CREATE OR REPLACE FUNCTION lose_row() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.intervals[7] = 7 THEN NEW.intervals[7] := NULL; END IF; RETURN NEW; END $$;
      CREATE TRIGGER lose_rows BEFORE INSERT OR UPDATE ON days FOR EACH ROW EXECUTE FUNCTION lose_row()`);

  it('on the first load of new days (COPY straight into days)', async () => {
    await loseOneReading();
    await expect(loadFile(db.pool, { org: 'local', fileName: 'x.csv', open: () => [Buffer.from(twoDays('7'))] })).rejects.toThrow(LoadVerificationError);
    expect(await stored()).toBe(0);
    expect(await uploads()).toBe(0);
  });

  it('on a merge of a newer revision', async () => {
    await loadFile(db.pool, { org: 'local', fileName: 'old.csv', open: () => [Buffer.from(twoDays('1'))] });
    await loseOneReading();
    const newer = twoDays('7').replace(/20040202120025/g, '20240202120025');
    await expect(loadFile(db.pool, { org: 'local', fileName: 'new.csv', open: () => [Buffer.from(newer)] })).rejects.toThrow(LoadVerificationError);
    const [values] = await db.query<{ values: string }>(`SELECT string_agg(DISTINCT value::text, ',') AS values FROM readings`);
    expect(values.values).toBe('1');
  });
});

describe('new days written into reused free space (not at the end of the table) are checked too', () => {
  // Free space inside the table: every day but the last stream's deleted and vacuumed (the last
  // blocks stay, so the table is not truncated). New rows then fill the freed blocks.
  const makeRoom = async () => {
    await db.query('DROP TRIGGER IF EXISTS lose_rows ON days');
    await loadFile(db.pool, { org: 'local', fileName: 'room.csv', open: () => [Buffer.from([...syntheticNem12({ nmis: 5, days: 120, intervalLength: 30 })].join(''))] });
    await db.query(`DELETE FROM days WHERE channel_id <> (SELECT max(channel_id) FROM days)`);
    await db.query('VACUUM days');
  };
  const blocksOfNew = () => db.query<{ block: number; end: number }>(
    `SELECT (d.ctid::text::point)[0]::integer AS block, pg_relation_size(d.tableoid) / 8192 AS end FROM days d JOIN channels c ON c.id = d.channel_id WHERE c.nmi = 'VABD000163'`,
  );

  it('stored as rendered: the load succeeds', async () => {
    await makeRoom();
    const result = await loadFile(db.pool, { org: 'local', fileName: 'x.csv', open: () => [Buffer.from(twoDays('7'))] });
    expect(result).toMatchObject({ ok: true, new: 96 });
    const blocks = await blocksOfNew();
    expect(blocks).toHaveLength(2);
    expect(blocks.every((b) => b.block < b.end - 1)).toBe(true);
  });

  it('changed on the way in: refused', async () => {
    await makeRoom();
    await db.query(`CREATE OR REPLACE FUNCTION lose_row() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.intervals[7] = 7 THEN NEW.intervals[7] := NULL; END IF; RETURN NEW; END $$;
      CREATE TRIGGER lose_rows BEFORE INSERT OR UPDATE ON days FOR EACH ROW EXECUTE FUNCTION lose_row()`);
    await expect(loadFile(db.pool, { org: 'local', fileName: 'x.csv', open: () => [Buffer.from(twoDays('7'))] })).rejects.toThrow(LoadVerificationError);
    expect(await blocksOfNew()).toEqual([]);
  });
});

describe('the staged readings are checked against validation before any merge', () => {
  it('a staged day with other figures, or other values than rendered, is refused', async () => {
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`CREATE TEMP TABLE validated ${VALIDATED_DAY_TABLE} ON COMMIT DROP`);
      await client.query(`INSERT INTO uploads (org_id, source_key, file_name, status) VALUES ('local', 'k', 'f', 'loading')`);
      await client.query(`INSERT INTO validated VALUES ('NMI0000001', 'E1', '2024-01-01', md5('x')::uuid, 3, 48, 'kWh', 30, NULL)`);
      await planLoad(client, 'validated', 'local', { published: true, repeats: true });
      await client.query('CREATE TEMP TABLE staged (LIKE days) ON COMMIT DROP');
      const stage = (values: string[], readings = 48, actual = 48) =>
        client.query(
          `INSERT INTO staged (channel_id, day, interval_length, uom, kwh_factor, intervals, quality, readings, total, kwh, fingerprint, upload_id, line, actual, estimated, substituted, variable)
           VALUES (1, '2024-01-01', 30, 'kWh', 1, $1::numeric[], '{48,65,NULL,NULL,0}', $2, 48, 48, md5('x')::uuid, 1, 3, $3, 0, 0, 0)`,
          [`{${values.join(',')}}`, readings, actual],
        );
      // What the second pass rendered: 48 values of 1.0, one quality run.
      const digester = new DayRowDigester();
      const fingerprint = createHash('md5').update('x').digest('hex');
      digester.addRow({ channelId: 1, day: '2024-01-01', uploadId: 1, line: 3, fingerprint, readings: 48, total: '48', kwh: '48', intervals: `{${Array(48).fill('1.0').join(',')}}`, quality: '{48,65,NULL,NULL,0}', counts: { actual: 48, estimated: 0, substituted: 0, variable: 0 } });
      const rendered = { digest: digester.digest };
      const restage = async (values: string[], readings?: number, actual?: number) => {
        await client.query('TRUNCATE staged');
        await stage(values, readings, actual);
      };
      // A staged row whose figures are not validation's.
      await restage([...Array(47).fill('1.0'), 'NULL'], 47);
      await expect(verifyStaged(client, 'staged', rendered.digest)).rejects.toThrow(/validated with 48 readings but 47 were staged/);
      // Rows whose own figures claim what validation found, whatever their arrays hold.
      await restage([...Array(47).fill('1.0'), 'NULL']);
      await expect(verifyStaged(client, 'staged', rendered.digest)).rejects.toThrow(/rendered but the 1 staged ones hold other values/);
      await restage(Array(48).fill('1.5'));
      await expect(verifyStaged(client, 'staged', rendered.digest)).rejects.toThrow(LoadVerificationError);
      await restage(Array(48).fill('1'));
      await expect(verifyStaged(client, 'staged', rendered.digest)).rejects.toThrow(LoadVerificationError);
      // The values as rendered, but not their count by quality.
      await restage(Array(48).fill('1.0'), 48, 47);
      await expect(verifyStaged(client, 'staged', rendered.digest)).rejects.toThrow(LoadVerificationError);
      await restage(Array(48).fill('1.0'));
      await expect(verifyStaged(client, 'staged', rendered.digest)).resolves.toBeUndefined();
      // A row more than was rendered.
      await client.query(`INSERT INTO staged SELECT * FROM staged`);
      await expect(verifyStaged(client, 'staged', rendered.digest)).rejects.toThrow(/1 day rows were rendered but the 2 staged/);
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
    // Its COPY of day rows waits on a lock held here (the months it needs made first, as the load would),
    // so it is caught in the COPY however fast the machine: not a race against a poll.
    await ensureDayPartitions(db.pool, ['2024-01-01', '2024-02-01', '2024-03-01', '2024-04-01']);
    const holder = await db.pool.connect();
    let exited: Promise<number | null> | undefined;
    let stdout = '';
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE days IN SHARE MODE');
      const child = spawn(process.execPath, [BIN, 'load', path, '--json'], { env: { ...process.env, DATABASE_URL: db.url } });
      child.stdout.on('data', (chunk) => (stdout += chunk));
      exited = new Promise<number | null>((done) => child.on('close', done));
      let killed = 0;
      for (let i = 0; i < 1200 && killed === 0; i++) {
        const rows = await db.query<{ ended: boolean }>(
          `SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity
           WHERE datname = current_database() AND application_name = 'nem12' AND query LIKE 'COPY days%' AND wait_event_type = 'Lock'`,
        );
        killed = rows.filter((r) => r.ended).length;
        if (killed === 0) await new Promise((done) => setTimeout(done, 25));
      }
      expect(killed).toBe(1);
    } finally {
      await holder.query('ROLLBACK');
      holder.release();
    }
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
