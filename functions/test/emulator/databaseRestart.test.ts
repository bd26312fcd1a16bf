import { execFileSync, spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { day, HEADER, nem12 } from '../unit/helpers';
import { db, finalStatus, organisation, query, upload } from './harness';

// PostgreSQL crashes and comes back (`restart -m immediate`: no shutdown checkpoint, every
// connection cut) while a chunk is in the middle of its COPY: that chunk's transaction is lost, its
// task fails and Cloud Tasks retries it, and the upload ends done with exactly its readings.

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
function bigFile(): Buffer {
  const lines = [HEADER];
  for (let i = 1; i <= NMIS; i++) {
    lines.push(`200,NRESTART${String(i).padStart(2, '0')},E1,1,E1,N1,M1,kWh,30,`);
    for (let d = 1; d <= 28; d++) lines.push(day(`202402${String(d).padStart(2, '0')}`, Array(48).fill('0.5')));
  }
  lines.push('900');
  return Buffer.from(nem12(lines));
}
const EXPECTED = NMIS * 28 * 48;

describe('a database crash while chunks load', () => {
  it.skipIf(cluster === null)('the upload still ends done, every reading once', async () => {
    await organisation('e2e');
    const sent = await upload(bigFile(), 'uploads/e2e/dora/restart.csv');
    // Wait for a chunk in the middle of its transaction (its COPY into staging running), then crash.
    let caught = false;
    for (let waited = 0; waited < 60_000 && !caught; waited += 5) {
      const [{ copying }] = await query<{ copying: string }>(
        `SELECT count(*) AS copying FROM pg_stat_activity WHERE state = 'active' AND query LIKE 'COPY nem12_staging.rows_%'`,
      );
      caught = Number(copying) > 0;
      if (!caught) await new Promise((done) => setTimeout(done, 5));
    }
    expect(caught, 'no chunk was caught mid-COPY').toBe(true);
    execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', cluster![0], cluster![1], 'restart', '-m', 'immediate'], { stdio: 'ignore' });

    const status = await finalStatus(sent.uploadId, 240_000);
    expect(status).toMatchObject({ status: 'done', readings: { total: EXPECTED, loaded: EXPECTED, new: EXPECTED } });
    const [stored] = await query<{ n: string; total: string }>(
      `SELECT count(*) AS n, trim_scale(sum(value))::text AS total FROM channel_readings WHERE org_id = 'e2e' AND nmi LIKE 'NRESTART%'`,
    );
    expect(stored).toEqual({ n: String(EXPECTED), total: String(EXPECTED / 2) });
  }, 300_000);
});
