import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/dev/emulators';
import { exportedNames, productionSection, runTool, shStatements, splitCommands, toolCommands, verdict, type RunResult, type Tool, type ToolCommand } from './readmeCommands';

// Every gcloud and `npx firebase` command of the README's production section, handed to the
// installed tool with no credentials and an empty configuration: both check the command line
// (commands, flags, choices, value formats) before they ask for an account, so a command they
// accept fails only for lack of one (or, local ones, succeeds). Nothing reaches Google from here.
const SAMPLE: Record<string, string> = {
  PROJECT: 'nem12-sample-prj',
  REGION: 'australia-southeast1',
  INSTANCE: 'nem12',
  OPERATOR: 'operator@example.com',
  BILLING_ACCOUNT: '012345-6789AB-CDEF01',
  SA: 'nem12-runtime@nem12-sample-prj.iam.gserviceaccount.com',
  BUCKET: 'nem12-sample-prj.firebasestorage.app',
  IP_TYPE: 'PRIVATE',
  CONNECTOR: 'nem12',
  PROJECT_NUMBER: '123456789012',
  CHANNEL: 'projects/nem12-sample-prj/notificationChannels/1234567890',
};
const FIREBASE_BIN = join(REPO_ROOT, 'node_modules', 'firebase-tools', 'lib', 'bin', 'firebase.js');
// Known-bad commands: each must be rejected, or the check proves nothing.
const BAD: { tool: Tool; command: string }[] = [
  { tool: 'gcloud', command: 'gcloud iam service-acounts create nem12-runtime' },
  { tool: 'gcloud', command: 'gcloud sql instances create $INSTANCE --region=$REGION --availabilty-type=zonal' },
  { tool: 'gcloud', command: 'gcloud sql instances create $INSTANCE --region=$REGION --availability-type=multi' },
  { tool: 'gcloud', command: "gcloud firestore backups schedules create --database='(default)' --recurrence=daily --retention=14weeks" },
  { tool: 'gcloud', command: 'gcloud monitoring policies create --policy-from-file=ops/alerts/sql-cpu.json' },
  { tool: 'gcloud', command: 'gcloud projects describe $PROJCT' },
  { tool: 'firebase', command: 'npx firebase deploy --project $PROJECT --onyl functions' },
  { tool: 'firebase', command: 'npx firebase functions:secret:set DATABASE_URL --project $PROJECT' },
];

const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
const statements = shStatements(productionSection(readme).text);
const commands = toolCommands(statements, REPO_ROOT);
const gcloudMissing = spawnSync('gcloud', ['version'], { encoding: 'utf8' }).status !== 0;
const firebaseMissing = !existsSync(FIREBASE_BIN);

let home: string;
const results = new Map<string, RunResult>();
const keyOf = (command: Pick<ToolCommand, 'command'> & { loop?: Record<string, string> }) => `${command.command} ${JSON.stringify(command.loop ?? {})}`;

/** Runs the jobs a few at a time (gcloud takes about a second of CPU each, firebase-tools two). */
async function runAll(jobs: (Pick<ToolCommand, 'tool' | 'command'> & { loop?: Record<string, string> })[]) {
  const queue = [...new Map(jobs.map((job) => [keyOf(job), job])).values()].filter((job) => !(job.tool === 'gcloud' ? gcloudMissing : firebaseMissing));
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: home,
    XDG_CONFIG_HOME: home,
    CLOUDSDK_CONFIG: join(home, 'gcloud'),
    CLOUDSDK_CORE_DISABLE_PROMPTS: '1',
    CLOUDSDK_CORE_PROJECT: SAMPLE.PROJECT,
    CLOUDSDK_COMPONENT_MANAGER_DISABLE_UPDATE_CHECK: '1',
    // Never any credentials, even on a Google Cloud VM: no metadata server for gcloud or firebase-tools.
    CLOUDSDK_CORE_CHECK_GCE_METADATA: 'false',
    METADATA_SERVER_DETECTION: 'none',
    GCE_METADATA_HOST: '127.0.0.1:9',
    // firebase-tools loads its whole CLI each time: cache the compiled code between runs.
    NODE_COMPILE_CACHE: join(home, 'node-compile-cache'),
  };
  const worker = async () => {
    for (let job = queue.shift(); job; job = queue.shift()) {
      results.set(keyOf(job), await runTool(job.command, { env: { ...env, ...SAMPLE, ...job.loop }, cwd: REPO_ROOT, firebaseBin: FIREBASE_BIN, node: process.execPath }));
    }
  };
  await Promise.all(Array.from({ length: Math.min(4, availableParallelism() + 1) }, worker));
}

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'nem12-cli-check-'));
  await runAll([...commands, ...BAD]);
}, 150_000);
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('the production section of the README, read as bash reads it', () => {
  it('joins continuations, sets heredocs apart, splits pipes and lists, opens $( ) and loops', () => {
    const text = [
      '```sh',
      'export A=1 B=$(gcloud projects describe $A --format=\'value(projectNumber)\')   # a comment',
      'cat > f <<EOF',
      'gcloud not-a-command',
      'EOF',
      "printf 'x' | npx firebase functions:secrets:set S --data-file=- && echo done",
      'for role in roles/a roles/b; do',
      '  X=1 gcloud projects add-iam-policy-binding $A \\',
      '    --role=$role',
      'done',
      'for f in ops/alerts/*.json; do gcloud alpha monitoring policies create --policy-from-file="$f"; done',
      '```',
    ].join('\n');
    const found = toolCommands(shStatements(text), REPO_ROOT);
    expect(found.slice(0, 3).map(({ command, loop }) => [command, loop])).toEqual([
      ["gcloud projects describe $A --format='value(projectNumber)'", {}],
      ['npx firebase functions:secrets:set S --data-file=-', {}],
      ['gcloud projects add-iam-policy-binding $A --role=$role', { role: 'roles/a' }],
    ]);
    // The glob loop: once per file, each with its own value.
    expect(found.slice(3).map(({ loop }) => loop.f)).toEqual(expect.arrayContaining(['ops/alerts/sql-cpu.json', 'ops/alerts/uploads-failed.json']));
    expect(exportedNames(shStatements(text))).toEqual(['A', 'B']);
    expect(splitCommands('a "x;y" \'p|q\' $(b; c) (d && e); f || g').commands).toEqual(['a "x;y" \'p|q\' $(b; c) (d && e)', 'f', 'g']);
  });

  it('exports exactly the variables the check gives sample values', () => {
    expect(exportedNames(statements)).toEqual(Object.keys(SAMPLE).sort());
  });

  it('has the commands of every step (the extraction found them)', () => {
    const all = `${commands.map(({ command }) => command).join('\n')}\n${statements.map(({ text }) => text).join('\n')}`;
    for (const expected of [
      'gcloud auth login',
      'node ops/impersonate.mjs $SA -- npx nem12 migrate',
      'gcloud services enable',
      'gcloud iam service-accounts create',
      'roles/run.invoker',
      '--role=roles/pubsub.publisher',
      '--role=roles/cloudbuild.builds.builder',
      'gcloud sql instances create',
      '--enable-point-in-time-recovery',
      '--deletion-protection',
      '--availability-type=',
      'gcloud compute networks vpc-access connectors create',
      'npx firebase functions:secrets:set',
      'npx firebase deploy',
      'gcloud storage buckets update gs://$BUCKET --cors-file=',
      'gcloud storage buckets update gs://$BUCKET --lifecycle-file=ops/lifecycle.json',
      'gcloud logging metrics create',
      'gcloud alpha monitoring policies create',
      'gcloud billing budgets create',
      'gcloud firestore backups schedules create',
      'gcloud projects delete',
    ]) {
      expect(all, expected).toContain(expected);
    }
    expect(commands.length).toBeGreaterThanOrEqual(40);
  });

  it('every gcloud command is accepted by the installed gcloud', (ctx) => {
    if (gcloudMissing) ctx.skip(true, 'gcloud is not installed: the commands were not checked');
    const refused = commands
      .filter(({ tool }) => tool === 'gcloud')
      .map((command) => ({ line: command.line, command: command.command, loop: command.loop, ...verdict('gcloud', results.get(keyOf(command))!) }))
      .filter((result) => !result.accepted);
    expect(refused).toEqual([]);
  });

  it('every npx firebase command is accepted by the pinned firebase-tools', (ctx) => {
    if (firebaseMissing) ctx.skip(true, 'firebase-tools is not installed: the commands were not checked');
    const refused = commands
      .filter(({ tool }) => tool === 'firebase')
      .map((command) => ({ line: command.line, command: command.command, ...verdict('firebase', results.get(keyOf(command))!) }))
      .filter((result) => !result.accepted);
    expect(refused).toEqual([]);
  });

  it('the check rejects misspelt commands, flags, choices, values and variables', (ctx) => {
    if (gcloudMissing || firebaseMissing) ctx.skip(true, 'gcloud or firebase-tools is not installed');
    for (const bad of BAD) {
      const result = verdict(bad.tool, results.get(keyOf(bad))!);
      expect(result.accepted, `${bad.command}: ${result.why}`).toBe(false);
    }
  });
});
