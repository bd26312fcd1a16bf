import { execFileSync, spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { day, HEADER, nem12 } from '../unit/helpers';
import { db, finalStatus, organisation, query, upload } from './harness';

// Crashes while a chunk is in the middle of its COPY into staging: that chunk's transaction is
// lost, its task fails, Cloud Tasks retries it, and the upload ends done with exactly its readings.
//   - PostgreSQL crashes and comes back (`restart -m immediate`: no shutdown checkpoint, every
//     connection cut);
//   - the function instance running that chunk is killed (SIGKILL, as a crashed or evicted instance).

afterAll(() => db.end());

/** The machine's cluster behind DATABASE_URL, if this run can restart it (CI and these machines: yes). */
function restartableCluster(): string[] | null {
  const url = new URL(process.env.DATABASE_URL ?? 'postgres://x@nowhere/');
  if (url.hostname !== '127.0.0.1' || (url.port || '5432') !== '5432') return null;
  const clusters = spawnSync('pg_lsclusters', ['--no-header'], { encoding: 'utf8' });
  const line = clusters.status === 0 ? clusters.stdout.split('\n').find((row) => /\s5432\s/.test(row)) : undefined;
  return line ? line.trim().split(/\s+/).slice(0, 2) : null;
}
const cluster = restartableCluster();
if (cluster === null) {
  console.warn('\n*** WARNING: the PostgreSQL restart fault test is NOT RUN: DATABASE_URL is not a local cluster this run can restart (pg_ctlcluster). ***\n');
}

const NMIS = 30;
function bigFile(prefix: string): Buffer {
  const lines = [HEADER];
  for (let i = 1; i <= NMIS; i++) {
    lines.push(`200,${prefix}${String(i).padStart(2, '0')},E1,1,E1,N1,M1,kWh,30,`);
    for (let d = 1; d <= 28; d++) lines.push(day(`202402${String(d).padStart(2, '0')}`, Array(48).fill('0.5')));
  }
  lines.push('900');
  return Buffer.from(nem12(lines));
}
const EXPECTED = NMIS * 28 * 48;

/** Waits for a chunk in the middle of its transaction (its COPY into staging running); its client's port. */
async function chunkMidCopy(): Promise<number> {
  for (let waited = 0; waited < 60_000; waited += 5) {
    const rows = await query<{ port: number }>(
      `SELECT client_port AS port FROM pg_stat_activity WHERE state = 'active' AND query LIKE 'COPY nem12_staging.rows_%' LIMIT 1`,
    );
    if (rows.length > 0) return rows[0].port;
    await new Promise((done) => setTimeout(done, 5));
  }
  throw new Error('no chunk was caught mid-COPY');
}

async function expectAllReadings(statusId: string, prefix: string) {
  const status = await finalStatus(statusId, 240_000);
  expect(status).toMatchObject({ status: 'done', readings: { total: EXPECTED, loaded: EXPECTED, new: EXPECTED } });
  const [stored] = await query<{ n: string; total: string }>(
    `SELECT count(*) AS n, trim_scale(sum(value))::text AS total FROM channel_readings WHERE org_id = 'e2e' AND nmi LIKE $1`,
    [`${prefix}%`],
  );
  expect(stored).toEqual({ n: String(EXPECTED), total: String(EXPECTED / 2) });
}

describe.sequential('a crash while a chunk loads', () => {
  it.skipIf(cluster === null)('PostgreSQL restarts: the upload still ends done, every reading once', async () => {
    await organisation('e2e');
    const sent = await upload(bigFile('NRESTART'), 'uploads/e2e/cli/restart.csv');
    await chunkMidCopy();
    execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', cluster![0], cluster![1], 'restart', '-m', 'immediate'], { stdio: 'ignore' });
    await expectAllReadings(sent.statusId, 'NRESTART');
  }, 300_000);

  it('the function instance loading a chunk is killed: the upload still ends done, every reading once', async () => {
    await organisation('e2e');
    const sent = await upload(bigFile('NKILLED'), 'uploads/e2e/cli/killed.csv');
    const port = await chunkMidCopy();
    // The process at the other end of that database connection: the functions emulator's worker.
    const sockets = execFileSync('ss', ['-tnpH', 'state', 'established', `( sport = :${port} )`], { encoding: 'utf8' });
    const pid = Number(/pid=(\d+)/.exec(sockets)?.[1]);
    expect(pid, `no process owns port ${port}: ${sockets}`).toBeGreaterThan(0);
    expect(execFileSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' })).toMatch(/functionsEmulatorRuntime|node/);
    process.kill(pid, 'SIGKILL');
    await expectAllReadings(sent.statusId, 'NKILLED');
  }, 300_000);
});
