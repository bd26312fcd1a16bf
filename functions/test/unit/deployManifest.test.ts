import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FUNCTIONS, sessionLimits, type FunctionName } from '../../src/config';
import { REPO_ROOT } from '../../src/dev/emulators';
import { readManifest, type DeployManifest } from '../../src/dev/manifest';
import { dispatchDeadlineOf } from '../../src/pipeline/enqueue';
import { readMigrations } from '../../src/load/migrate';
import { SCHEMA_VERSION } from '../../src/load/schemaVersion';

// The manifest `firebase deploy` would build (firebase-functions' discovery of lib/index.js, as
// firebase-tools runs it), with the values an operator's functions/.env would give.
let manifest: DeployManifest;
let withVpc: DeployManifest;
const PROJECT = 'nem12-prod';

beforeAll(() => {
  manifest = readManifest({ projectId: PROJECT });
  withVpc = readManifest({ projectId: PROJECT, dotenv: { VPC_NETWORK: 'projects/nem12-prod/global/networks/default', VPC_SUBNET: 'nem12-functions', SERVICE_ACCOUNT: 'loader@' } });
}, 120_000);

const names = Object.keys(FUNCTIONS) as FunctionName[];
const defaultOf = (name: string) => manifest.params?.find((param) => param.name === name)?.default;
/** maxInstances is a param reference: its default, as deployed without a value in .env. */
const maxInstancesOf = (endpoint: Record<string, unknown>) => {
  const reference = /^\{\{ params\.(\w+) \}\}$/.exec(String(endpoint.maxInstances));
  expect(reference, `maxInstances ${String(endpoint.maxInstances)} is not a param`).not.toBeNull();
  return Number(defaultOf(reference![1]));
};

describe('the deploy manifest', () => {
  it('runs on nodejs22: functions/package.json engines and firebase.json agree', () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'functions', 'package.json'), 'utf8'));
    const firebase = JSON.parse(readFileSync(join(REPO_ROOT, 'firebase.json'), 'utf8'));
    expect(pkg.engines.node).toBe('22');
    expect(firebase.functions[0].runtime).toBe('nodejs22');
    // The discovery ran on the Node the tests run on: the functions' own (the `node` package).
    expect(process.versions.node.split('.')[0]).toBe('22');
  });

  it('has exactly the functions of the config table, each gen 2 in the region, as the runtime service account', () => {
    expect(Object.keys(manifest.endpoints).sort()).toEqual([...names].sort());
    for (const [name, endpoint] of Object.entries(manifest.endpoints)) {
      expect(endpoint.platform, name).toBe('gcfv2');
      expect(endpoint.region, name).toEqual(['australia-southeast1']);
      expect(endpoint.serviceAccountEmail, name).toBe('{{ params.SERVICE_ACCOUNT }}');
    }
    expect(defaultOf('SERVICE_ACCOUNT')).toBe('nem12-runtime@');
  });

  it('task queues are invokable only by the runtime service account; the API is public (it checks tokens)', () => {
    const queues = Object.entries(manifest.endpoints).filter(([, endpoint]) => 'taskQueueTrigger' in endpoint);
    expect(queues.map(([name]) => name).sort()).toEqual(['exportFloSql', 'finishUpload', 'processChunk']);
    for (const [name, endpoint] of queues) {
      expect((endpoint.taskQueueTrigger as { invoker: string[] }).invoker, name).toEqual(['nem12-runtime@']);
      expect((withVpc.endpoints[name].taskQueueTrigger as { invoker: string[] }).invoker, name).toEqual(['loader@']);
    }
    expect((manifest.endpoints.api.httpsTrigger as { invoker: string[] }).invoker).toEqual(['public']);
  });

  it('declares the secret and the params, and the storage trigger listens to the project bucket', () => {
    const declared = new Map((manifest.params ?? []).map((param) => [param.name, param.type]));
    expect(declared.get('DATABASE_URL')).toBe('secret');
    for (const name of ['CLOUD_SQL_INSTANCE', 'DB_IP_TYPE', 'SERVICE_ACCOUNT']) expect(declared.get(name), name).toBe('string');
    expect(declared.get('DB_IAM_AUTH')).toBe('boolean');
    for (const [name, endpoint] of Object.entries(manifest.endpoints)) {
      expect(endpoint.secretEnvironmentVariables, name).toEqual([{ key: 'DATABASE_URL' }]);
    }
    const trigger = manifest.endpoints.onUpload.eventTrigger as { eventType: string; eventFilters: { bucket: string }; retry: boolean };
    expect(trigger).toMatchObject({ eventType: 'google.cloud.storage.object.v1.finalized', retry: true });
    // The bucket firebase-tools names (FIREBASE_CONFIG), in the functions' region (README: Production).
    expect(trigger.eventFilters.bucket).toBe(`${PROJECT}.appspot.com`);
  });

  it('concurrency fits each pool, the sum of pools fits a small instance, timeouts and deadlines line up', () => {
    let connections = 0;
    for (const name of names) {
      const endpoint = manifest.endpoints[name];
      const table = FUNCTIONS[name];
      expect(endpoint.timeoutSeconds, name).toBe(table.timeoutSeconds);
      expect(endpoint.concurrency, name).toBe(table.concurrency);
      expect(table.concurrency, name).toBeLessThanOrEqual(table.pool);
      connections += maxInstancesOf(endpoint) * table.pool;
      const limits = sessionLimits(name);
      for (const ms of [limits.statementTimeoutMs, limits.lockTimeoutMs, limits.idleInTransactionMs, limits.connectTimeoutMs]) {
        expect(ms, name).toBeGreaterThan(0);
        expect(ms, name).toBeLessThan(table.timeoutSeconds * 1000);
      }
    }
    // Cloud SQL's smallest shared-core tiers allow 25 to 50 connections; keep 3 reserved, some for migrate.
    expect(connections).toBeLessThanOrEqual(50);
    for (const queue of ['processChunk', 'exportFloSql', 'finishUpload'] as const) {
      expect(dispatchDeadlineOf(queue), queue).toBe(manifest.endpoints[queue].timeoutSeconds);
    }
  });

  it('private IP: Direct VPC egress from the .env values, on every function', () => {
    for (const name of names) {
      expect(manifest.endpoints[name].vpc, name).toBeNull();
      expect(withVpc.endpoints[name].vpc, name).toEqual({
        egressSettings: 'PRIVATE_RANGES_ONLY',
        networkInterfaces: [{ network: 'projects/nem12-prod/global/networks/default', subnetwork: 'nem12-functions' }],
      });
    }
  });

  it('the schema version the functions check is the newest migration', () => {
    expect(readMigrations().at(-1)?.version).toBe(SCHEMA_VERSION);
  });
});
