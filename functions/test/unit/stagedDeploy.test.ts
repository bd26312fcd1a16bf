import { spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/dev/emulators';
import { stageDeploy } from '../../src/dev/stageDeploy';

// What `firebase deploy --config firebase.deploy.json` uploads, and what Cloud Build makes of it:
// the staged source (dev/stageDeploy.ts), zipped by the pinned firebase-tools' own packager with the
// deploy config's ignore list, unzipped in a folder outside the repository, `npm install --omit=dev`
// there from the registry (as Cloud Build does, with nothing of the monorepo), then the functions'
// entry loaded. The parser must come from the vendored tarball, never from the registry.
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));
const DEPLOY = readJson(join(REPO_ROOT, 'firebase.deploy.json'));
const LOCAL = readJson(join(REPO_ROOT, 'firebase.json'));
const tools = createRequire(join(REPO_ROOT, 'node_modules', 'firebase-tools', 'lib', 'index.js'));
const { prepareFunctionsUpload } = tools('./deploy/functions/prepareFunctionsUpload.js');

const work = mkdtempSync(join(tmpdir(), 'nem12-deploy-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the deploy config', () => {
  it('is firebase.json but for the functions source (staged) and its predeploy (staging); firebase.json refuses to deploy', () => {
    const { functions: [deployed, ...more], ...rest } = DEPLOY;
    const { functions: [local], emulators: _emulators, ...localRest } = LOCAL;
    expect(more).toEqual([]);
    expect(rest).toEqual(localRest);
    expect(deployed).toEqual({ ...local, source: '.deploy/functions', ignore: ['node_modules', '*.log', '*.local'], predeploy: ['npm run deploy:stage'] });
    const refusal = spawnSync('sh', ['-c', local.predeploy.join(' && ')], { encoding: 'utf8' });
    expect(refusal.status).toBe(1);
    expect(refusal.stderr).toContain('--config firebase.deploy.json');
  });
});

describe('the staged functions, as Cloud Build installs them', () => {
  it('install from the registry without the monorepo, load lib/index.js, and take nem12 from the vendored tarball', async () => {
    const staged = join(work, 'staged');
    const tarball = stageDeploy(staged);
    expect(tarball).toBe('nem12-0.1.0.tgz');

    const { pathToSource } = await prepareFunctionsUpload(staged, { ignore: [...DEPLOY.functions[0].ignore] });
    const uploaded = join(work, 'uploaded');
    const names: string[] = [];
    for (const [name, bytes] of Object.entries(unzipSync(readFileSync(pathToSource)))) {
      if (name.endsWith('/')) continue;
      names.push(name);
      mkdirSync(dirname(join(uploaded, name)), { recursive: true });
      writeFileSync(join(uploaded, name), bytes);
    }
    rmSync(pathToSource, { force: true });
    expect(names).toContain('lib/index.js');
    expect(names).toContain(`vendor/${tarball}`);
    expect(names.filter((name) => /^(src|test|lib\/dev|lib\/bench)\//.test(name))).toEqual([]);
    expect(readJson(join(uploaded, 'package.json')).dependencies.nem12).toBe(`file:vendor/${tarball}`);

    const install = spawnSync('npm', ['install', '--omit=dev', '--no-audit', '--no-fund'], { cwd: uploaded, encoding: 'utf8' });
    expect(install.status, install.stderr).toBe(0);
    expect(lstatSync(join(uploaded, 'node_modules', 'nem12')).isSymbolicLink()).toBe(false);
    expect(readJson(join(uploaded, 'package-lock.json')).packages['node_modules/nem12'].resolved).toBe(`file:vendor/${tarball}`);

    // Load the entry with only a runtime's environment (no NODE_PATH, no repository on the way up),
    // and list where the parser's modules were loaded from.
    const load = spawnSync(
      process.execPath,
      ['-e', `const functions = require('./lib/index.js');
console.log(JSON.stringify({ exported: Object.keys(functions).sort(), parser: Object.keys(require.cache).filter((path) => /[\\\\/]nem12[\\\\/]dist[\\\\/]/.test(path)) }));`],
      { cwd: uploaded, encoding: 'utf8', env: { PATH: process.env.PATH, HOME: work, FIREBASE_CONFIG: JSON.stringify({ projectId: 'demo-deploy', storageBucket: 'demo-deploy.appspot.com' }), GCLOUD_PROJECT: 'demo-deploy' } },
    );
    expect(load.status, load.stderr).toBe(0);
    const { exported, parser } = JSON.parse(load.stdout.trim().split('\n').at(-1)!);
    expect(exported).toEqual(['api', 'cleanup', 'exportFloSql', 'onUpload', 'processChunk', 'publishUpload']);
    expect(parser.length).toBeGreaterThan(0);
    for (const path of parser) expect(path.startsWith(join(uploaded, 'node_modules', 'nem12', 'dist', 'cjs') + '/')).toBe(true);
    expect(readdirSync(join(uploaded, 'node_modules', 'nem12'))).toEqual(expect.arrayContaining(['dist', 'package.json', 'README.md', 'LICENSE']));
  }, 600_000);
});
