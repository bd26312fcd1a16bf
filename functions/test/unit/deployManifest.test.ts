import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FUNCTIONS, sessionLimits, type FunctionName } from '../../src/config';
import { REPO_ROOT } from '../../src/dev/emulators';
import { readManifest, type DeployManifest } from '../../src/dev/manifest';
import { dispatchDeadlineOf } from '../../src/pipeline/enqueue';
import { readMigrations } from '../../src/load/migrate';
import { SCHEMA_VERSION } from '../../src/load/schemaVersion';
import { productionSection, shStatements } from './readmeCommands';

// The manifest `firebase deploy` builds (firebase-functions' discovery of lib/index.js, with the
// README's functions/.env values), then read by the pinned firebase-tools' own code: its manifest
// parser (buildFromV1Alpha1) and its resolution of params into the backend it deploys. The
// expected values are written out here, from the README's limits table, not read from FUNCTIONS.
const PROJECT = 'nem12-prod';
const REGION = 'australia-southeast1';
const BUCKET = `${PROJECT}.firebasestorage.app`;
const EXPECTED: Record<FunctionName, { timeout: number; concurrency: number; pool: number; maxInstances: number; param: string }> = {
  onUpload: { timeout: 540, concurrency: 1, pool: 1, maxInstances: 5, param: 'MAX_INSTANCES_UPLOAD' },
  processChunk: { timeout: 1800, concurrency: 1, pool: 1, maxInstances: 10, param: 'MAX_INSTANCES_CHUNK' },
  exportFloSql: { timeout: 1800, concurrency: 1, pool: 1, maxInstances: 4, param: 'MAX_INSTANCES_SQL' },
  publishUpload: { timeout: 1800, concurrency: 1, pool: 1, maxInstances: 2, param: 'MAX_INSTANCES_PUBLISH' },
  cleanup: { timeout: 540, concurrency: 1, pool: 1, maxInstances: 1, param: 'MAX_INSTANCES_CLEANUP' },
  api: { timeout: 30, concurrency: 4, pool: 4, maxInstances: 7, param: 'MAX_INSTANCES_API' },
};
const QUEUES = ['exportFloSql', 'processChunk', 'publishUpload'] as const;
const CONNECTOR = `projects/${PROJECT}/locations/${REGION}/connectors/nem12`;

// firebase-tools' own modules (the pinned devDependency at the repository root).
const tools = createRequire(join(REPO_ROOT, 'node_modules', 'firebase-tools', 'lib', 'deploy', 'functions', 'build.js'));
const { buildFromV1Alpha1 } = tools('./runtimes/discovery/v1alpha1.js');
const build = tools('./build.js');
const params = tools('./params.js');
const validate = tools('./validate.js');

interface BackendEndpoint {
  id: string;
  serviceAccount?: string;
  timeoutSeconds?: number;
  concurrency?: number;
  maxInstances?: number;
  vpc?: { connector: string; egressSettings?: string } | null;
  eventTrigger?: { eventType: string; eventFilters: { bucket: string }; retry: boolean };
  taskQueueTrigger?: { invoker?: string[] };
  scheduleTrigger?: unknown;
  httpsTrigger?: { invoker?: string[] };
  secretEnvironmentVariables?: { key: string; secret: string; projectId: string }[];
}

/** functions/.env.$PROJECT as the README writes it, for one path. */
function readmeDotenv(vars: { IP_TYPE: string; CONNECTOR: string }): Record<string, string> {
  const section = productionSection(readFileSync(join(REPO_ROOT, 'README.md'), 'utf8')).text;
  const statement = shStatements(section).find(({ text }) => text.startsWith('cat > functions/.env.$PROJECT <<'));
  if (!statement?.heredoc) throw new Error('the README writes no functions/.env.$PROJECT');
  const values: Record<string, string> = { PROJECT, REGION, INSTANCE: 'nem12', ...vars };
  const text = statement.heredoc.join('\n').replace(/\$(\w+)/g, (_, name: string) => {
    if (!(name in values)) throw new Error(`the .env uses $${name}, which this test gives no value`);
    return values[name];
  });
  return Object.fromEntries(text.split('\n').filter((line) => line.trim() !== '').map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
}

interface Deployed {
  manifest: DeployManifest;
  endpoints: Record<string, BackendEndpoint>;
}

/** Discovery, then firebase-tools: parse, resolve the params (the README's .env, defaults for the rest), validate. */
async function deploy(dotenv: Record<string, string>): Promise<Deployed> {
  const manifest = readManifest({ projectId: PROJECT, dotenv, storageBucket: BUCKET });
  const parsed = buildFromV1Alpha1(manifest, PROJECT, REGION, 'nodejs24');
  // `firebase deploy` asks for the params the .env lacks, offering their defaults: take those.
  const answers: Record<string, string> = {};
  for (const param of parsed.params as { name: string; type: string; default?: unknown }[]) {
    if (param.type !== 'secret' && param.default !== undefined) answers[param.name] = String(param.default);
  }
  const userEnvs = { ...answers, ...dotenv };
  const values = await params.resolveParams(parsed.params, { projectId: PROJECT, storageBucket: BUCKET }, build.envWithTypes(parsed.params, userEnvs), true, true);
  const backend = build.toBackend(parsed, values);
  validate.endpointsAreValid(backend);
  return { manifest, endpoints: backend.endpoints[REGION] };
}

const paths: Record<string, Deployed> = {};
beforeAll(async () => {
  const publicIam = readmeDotenv({ IP_TYPE: 'PUBLIC', CONNECTOR: '' });
  paths.public = await deploy(publicIam);
  paths.publicPassword = await deploy({ ...publicIam, DB_IAM_AUTH: 'false' });
  paths.private = await deploy(readmeDotenv({ IP_TYPE: 'PRIVATE', CONNECTOR: 'nem12' }));
  paths.psc = await deploy({ ...readmeDotenv({ IP_TYPE: 'PSC', CONNECTOR: 'nem12' }), SERVICE_ACCOUNT: 'loader@' });
}, 180_000);

const names = Object.keys(EXPECTED) as FunctionName[];

describe('the deploy manifest, as the pinned firebase-tools reads it', () => {
  it('runs on nodejs24: functions/package.json engines and firebase.json agree', () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'functions', 'package.json'), 'utf8'));
    const firebase = JSON.parse(readFileSync(join(REPO_ROOT, 'firebase.json'), 'utf8'));
    expect(pkg.engines.node).toBe('24');
    expect(firebase.functions[0].runtime).toBe('nodejs24');
    // The discovery ran on the Node the tests run on: the functions' own (the `node` package).
    expect(process.versions.node.split('.')[0]).toBe('24');
  });

  it('the README .env of every path is accepted: the exact functions, gen 2, in the region, as the runtime account', () => {
    for (const [path, { manifest, endpoints }] of Object.entries(paths)) {
      expect(Object.keys(endpoints).sort(), path).toEqual([...names].sort());
      for (const [name, endpoint] of Object.entries(manifest.endpoints)) {
        expect(endpoint.platform, `${path} ${name}`).toBe('gcfv2');
        expect(endpoint.region, `${path} ${name}`).toEqual([REGION]);
        expect(JSON.stringify(endpoint), `${path} ${name}`).not.toContain('networkInterfaces');
      }
      const account = path === 'psc' ? 'loader@' : 'nem12-runtime@';
      for (const name of names) expect(endpoints[name].serviceAccount, `${path} ${name}`).toBe(account);
    }
  });

  it('public IP (IAM or password): no VPC; private IP and PSC: the VPC connector, private ranges only', () => {
    for (const name of names) {
      expect(paths.public.endpoints[name].vpc ?? null, name).toBeNull();
      expect(paths.publicPassword.endpoints[name].vpc ?? null, name).toBeNull();
      for (const path of ['private', 'psc']) {
        expect(paths[path].endpoints[name].vpc, `${path} ${name}`).toEqual({ connector: CONNECTOR, egressSettings: 'PRIVATE_RANGES_ONLY' });
      }
    }
  });

  it('timeouts, concurrency and max instances are those of the README table', () => {
    for (const name of names) {
      const endpoint = paths.public.endpoints[name];
      expect([endpoint.timeoutSeconds, endpoint.concurrency, endpoint.maxInstances], name).toEqual([EXPECTED[name].timeout, EXPECTED[name].concurrency, EXPECTED[name].maxInstances]);
      expect(paths.public.manifest.endpoints[name].maxInstances, name).toBe(`{{ params.${EXPECTED[name].param} }}`);
      // The pool is not in the manifest: the table's own value, against the README's.
      expect(FUNCTIONS[name].pool, name).toBe(EXPECTED[name].pool);
      expect(EXPECTED[name].concurrency, name).toBeLessThanOrEqual(EXPECTED[name].pool);
    }
    // The README's table says the same.
    const section = productionSection(readFileSync(join(REPO_ROOT, 'README.md'), 'utf8')).text;
    for (const name of names) {
      const { timeout, concurrency, param, maxInstances } = EXPECTED[name];
      expect(section, name).toContain(`| \`${name}\` | ${timeout} s | ${concurrency} | \`${param}\` ${maxInstances} |`);
    }
  });

  it('connections at most: sum of max instances x pool = 50, within a small instance', () => {
    const total = names.reduce((sum, name) => sum + (paths.public.endpoints[name].maxInstances ?? 0) * EXPECTED[name].pool, 0);
    expect(total).toBe(5 * 1 + 10 * 1 + 4 * 1 + 2 * 1 + 1 * 1 + 7 * 4);
    // Cloud SQL's smallest dedicated tier allows 100; its shared-core ones 25 to 50: keep 3 reserved, some for migrate.
    expect(total).toBeLessThanOrEqual(50);
  });

  it('task queues: deadline = timeout, within Cloud Tasks 15..1800 s; the trigger within 540 s; invokable only by the runtime account', () => {
    const { endpoints } = paths.public;
    expect(names.filter((name) => endpoints[name].taskQueueTrigger).sort()).toEqual([...QUEUES]);
    for (const queue of QUEUES) {
      expect(dispatchDeadlineOf(queue), queue).toBe(EXPECTED[queue].timeout);
      expect(dispatchDeadlineOf(queue), queue).toBeGreaterThanOrEqual(15);
      expect(dispatchDeadlineOf(queue), queue).toBeLessThanOrEqual(1800);
      expect(endpoints[queue].taskQueueTrigger!.invoker, queue).toEqual(['nem12-runtime@']);
      expect(paths.psc.endpoints[queue].taskQueueTrigger!.invoker, queue).toEqual(['loader@']);
    }
    expect(endpoints.onUpload.eventTrigger).toMatchObject({ eventType: 'google.cloud.storage.object.v1.finalized', retry: true, eventFilters: { bucket: BUCKET } });
    expect(endpoints.onUpload.timeoutSeconds).toBeLessThanOrEqual(540);
    expect(endpoints.cleanup.scheduleTrigger).toBeDefined();
    expect(endpoints.api.httpsTrigger!.invoker).toEqual(['public']);
  });

  it('declares the secret and the params; every session limit is below its function timeout', () => {
    const declared = new Map((paths.public.manifest.params ?? []).map((param) => [param.name, param.type]));
    expect(declared.get('DATABASE_URL')).toBe('secret');
    for (const name of ['CLOUD_SQL_INSTANCE', 'DB_IP_TYPE', 'SERVICE_ACCOUNT']) expect(declared.get(name), name).toBe('string');
    expect(declared.get('DB_IAM_AUTH')).toBe('boolean');
    for (const name of names) {
      expect(paths.public.endpoints[name].secretEnvironmentVariables, name).toEqual([{ key: 'DATABASE_URL', secret: 'DATABASE_URL', projectId: PROJECT }]);
      const limits = sessionLimits(name);
      for (const ms of [limits.statementTimeoutMs, limits.lockTimeoutMs, limits.idleInTransactionMs, limits.connectTimeoutMs]) {
        expect(ms, name).toBeGreaterThan(0);
        expect(ms, name).toBeLessThan(EXPECTED[name].timeout * 1000);
      }
    }
  });

  it('the schema version the functions check is the newest migration', () => {
    expect(readMigrations().at(-1)?.version).toBe(SCHEMA_VERSION);
  });
});
