import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/dev/emulators';

// ops/impersonate.mjs, which the README runs `nem12 migrate` through: the command sees credentials
// that the Cloud SQL connector's own google-auth-library loads as the service account (no network:
// loading a credentials file asks nothing of Google), your ADC file is left as it was, and the
// temporary file is gone afterwards.
const SCRIPT = join(REPO_ROOT, 'ops', 'impersonate.mjs');
const ACCOUNT = 'nem12-runtime@nem12-sample-prj.iam.gserviceaccount.com';
const home = mkdtempSync(join(tmpdir(), 'nem12-impersonate-test-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

// google-auth-library as the connector resolves it (the one that will read the file in production).
const connectorRequire = createRequire(createRequire(join(REPO_ROOT, 'functions', 'package.json')).resolve('@google-cloud/cloud-sql-connector'));
const AUTH_LIBRARY = connectorRequire.resolve('google-auth-library');

/** Runs the script with a gcloud config dir holding `adc` (or none), and a child that reports what it sees. */
function run(adc: object | null, account = ACCOUNT, exitCode = 0) {
  const config = mkdtempSync(join(home, 'gcloud-'));
  const adcFile = join(config, 'application_default_credentials.json');
  if (adc) writeFileSync(adcFile, JSON.stringify(adc));
  const child = `const { GoogleAuth } = require(${JSON.stringify(AUTH_LIBRARY)});
    const file = process.env.GOOGLE_APPLICATION_CREDENTIALS;
    new GoogleAuth({ scopes: ['https://www.googleapis.com/auth/sqlservice.admin'] }).getClient().then((client) => {
      console.log(JSON.stringify({ file, kind: client.constructor.name, target: client.targetPrincipal, scopes: client.targetScopes, content: JSON.parse(require('fs').readFileSync(file, 'utf8')) }));
      process.exit(${exitCode});
    });`;
  mkdirSync(join(home, 'tmp'), { recursive: true });
  const result = spawnSync(process.execPath, [SCRIPT, account, '--', process.execPath, '-e', child], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: home, CLOUDSDK_CONFIG: config, TMPDIR: join(home, 'tmp') },
  });
  return { ...result, adcFile, seen: result.stdout.trim() ? JSON.parse(result.stdout.trim()) : null };
}

const userAdc = { type: 'authorized_user', client_id: 'id', client_secret: 'secret', refresh_token: 'refresh', quota_project_id: 'nem12-sample-prj' };

describe('ops/impersonate.mjs', () => {
  it('gives the command credentials of the service account, sourced from your ADC, then deletes them', () => {
    const { status, seen, adcFile, stderr } = run(userAdc, ACCOUNT, 3);
    expect(stderr).toBe('');
    expect(status).toBe(3); // the command's own exit status
    expect(seen.kind).toBe('Impersonated');
    expect(seen.target).toBe(ACCOUNT);
    expect(seen.scopes).toEqual(['https://www.googleapis.com/auth/sqlservice.admin']);
    expect(seen.content).toMatchObject({
      type: 'impersonated_service_account',
      service_account_impersonation_url: `https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/${ACCOUNT}:generateAccessToken`,
      source_credentials: userAdc,
    });
    expect(existsSync(seen.file)).toBe(false);
    expect(JSON.parse(readFileSync(adcFile, 'utf8'))).toEqual(userAdc);
  });

  it('refuses without ADC, with ADC that already impersonates, or without a service account', () => {
    expect(run(null).status).toBe(2);
    expect(run({ type: 'impersonated_service_account', service_account_impersonation_url: 'x', source_credentials: userAdc }).status).toBe(2);
    const notAccount = run(userAdc, 'you@example.com');
    expect(notAccount.status).toBe(2);
    expect(notAccount.stderr).toContain('is not a service account email');
  });
});
