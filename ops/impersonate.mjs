#!/usr/bin/env node
// Runs ONE command as a service account through Application Default Credentials, without changing
// yours: `gcloud auth application-default login --impersonate-service-account` would replace your
// ADC until you log in again, and every later step (firebase-tools, `nem12 org`) would run as the
// service account. Instead this writes an `impersonated_service_account` credentials file (your
// ADC as the source, the account as the target: the file gcloud would write), points
// GOOGLE_APPLICATION_CREDENTIALS at it for the command only, and deletes it when the command ends.
// google-auth-library (the Cloud SQL connector's) reads that file type. You need Service Account
// Token Creator on the account (README: Production).
//
//   node ops/impersonate.mjs SERVICE_ACCOUNT_EMAIL -- COMMAND [ARGS...]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';

const USAGE = 'usage: node ops/impersonate.mjs SERVICE_ACCOUNT_EMAIL -- COMMAND [ARGS...]';

/** Where google-auth-library finds your ADC: GOOGLE_APPLICATION_CREDENTIALS, else gcloud's well-known file. */
function sourceCredentialsFile(env) {
  if (env.GOOGLE_APPLICATION_CREDENTIALS) return env.GOOGLE_APPLICATION_CREDENTIALS;
  const configDir = env.CLOUDSDK_CONFIG || (process.platform === 'win32' ? join(env.APPDATA || '', 'gcloud') : join(homedir(), '.config', 'gcloud'));
  return join(configDir, 'application_default_credentials.json');
}

function fail(message) {
  process.stderr.write(`impersonate: ${message}\n`);
  process.exit(2);
}

const [account, separator, command, ...args] = process.argv.slice(2);
if (!account || separator !== '--' || !command) fail(USAGE);
if (!/^[a-z][-a-z0-9]*@[-a-z0-9.]+\.iam\.gserviceaccount\.com$/.test(account)) fail(`${account} is not a service account email\n${USAGE}`);

const sourceFile = sourceCredentialsFile(process.env);
if (!existsSync(sourceFile)) fail(`no Application Default Credentials at ${sourceFile}: run gcloud auth application-default login`);
const source = JSON.parse(readFileSync(sourceFile, 'utf8'));
if (source.type === 'impersonated_service_account') fail(`${sourceFile} already impersonates ${source.service_account_impersonation_url}: run gcloud auth application-default login as yourself`);

const impersonated = {
  type: 'impersonated_service_account',
  service_account_impersonation_url: `https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/${account}:generateAccessToken`,
  source_credentials: source,
  delegates: [],
};

// A private directory: the file holds your refresh token for as long as the command runs.
const dir = mkdtempSync(join(tmpdir(), 'nem12-impersonate-'));
const file = join(dir, 'credentials.json');
let status;
try {
  writeFileSync(file, JSON.stringify(impersonated), { mode: 0o600 });
  const run = spawnSync(command, args, {
    stdio: 'inherit',
    env: { ...process.env, GOOGLE_APPLICATION_CREDENTIALS: file },
    shell: process.platform === 'win32',
  });
  if (run.error) process.stderr.write(`impersonate: ${run.error.message}\n`);
  status = run.status ?? 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exit(status);
