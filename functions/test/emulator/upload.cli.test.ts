import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CORPUS } from '../unit/helpers';
import { member, organisation, query } from './harness';

// `nem12 upload` as users run it, against the emulators of this run (a demo- project).
const BIN = join(__dirname, '..', '..', 'bin', 'nem12.js');

function nem12(args: string[]) {
  const run = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: process.env, timeout: 120_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('nem12 upload', () => {
  beforeAll(async () => {
    await organisation('local');
    await organisation('cli-test');
  });

  it('--wait follows the upload (on behalf of a member: --uid) to done and exits 0; --json prints the final status', async () => {
    const dave = await member('cli-test', 'dave', 'member');
    const run = nem12(['upload', join(CORPUS, 'nem-reader/unzipped/Example_NEM12_actual_interval.csv'), '--wait', '--json', '--org', 'cli-test', '--uid', dave.uid]);
    expect(run.status, run.stderr).toBe(0);
    const status = JSON.parse(run.stdout);
    expect(status).toMatchObject({
      status: 'done',
      org: 'cli-test',
      owner: dave.uid,
      path: `uploads/cli-test/${dave.uid}/Example_NEM12_actual_interval.csv`,
      readings: { total: 96 },
      errors: { count: 0 },
    });
    expect(status.statusId).toMatch(/^[0-9a-f]{32}$/);
    expect(typeof status.finishedAt).toBe('string');
  });

  it('exits 1 and prints the line-numbered errors for a rejected file', async () => {
    const run = nem12(['upload', join(CORPUS, 'nem-reader/invalid/Example_NEM12_30min_200_15min_300.csv'), '--wait']);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/FAILED/);
    expect(run.stdout).toMatch(/VALUE_COUNT_MISMATCH \(line 3\)/);
    const [row] = await query<{ status: string }>(`SELECT status FROM uploads WHERE file_name = 'Example_NEM12_30min_200_15min_300.csv'`);
    expect(row.status).toBe('failed');
  });

  it('without --wait prints where the file went; an empty file is refused before uploading', () => {
    const run = nem12(['upload', join(CORPUS, 'aemo-mdff-reader/sample_nem12.csv')]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/uploaded gs:\/\/demo-nem12\.appspot\.com\/uploads\/local\/cli\/sample_nem12\.csv \(generation \d+\); status: uploads\/[0-9a-f]{32}/);
    const empty = nem12(['upload', join(CORPUS, 'nem-reader/invalid/Example_empty_file.csv')]);
    expect(empty.status).toBe(1);
    expect(empty.stderr).toMatch(/EMPTY_FILE/);
  });

  it('a file put there for someone who is not a member is not loaded: failed, NOT_A_MEMBER, exit 1', () => {
    const run = nem12(['upload', join(CORPUS, 'aemo-mdff-reader/sample_nem12.csv'), '--wait', '--json', '--org', 'cli-test', '--uid', 'nobody-in-particular']);
    expect(run.status).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'failed', errors: { count: 1, items: [{ code: 'NOT_A_MEMBER' }] } });
  });

  it('refuses an organisation that does not exist, before uploading', () => {
    const run = nem12(['upload', join(CORPUS, 'aemo-mdff-reader/sample_nem12.csv'), '--org', 'no-such-org']);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/ORGANISATION_NOT_FOUND/);
  });
});
