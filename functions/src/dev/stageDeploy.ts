// Development only (not deployed). The functions' deploy source, staged for `firebase deploy
// --config firebase.deploy.json`: Cloud Build runs `npm install` in the uploaded folder alone, where
// the workspace package `nem12` does not exist, and an unscoped `nem12` must never come from the
// public registry instead (dependency confusion). So the staged folder carries the built nem12 as a
// tarball and its package.json points at it; the local stack (firebase.json, the emulators, the
// workspace) keeps `functions/` as it is.
//
//   .deploy/functions/
//     lib/                  the built functions (without lib/dev and lib/bench: never deployed)
//     vendor/nem12-X.tgz    `npm pack` of the nem12 workspace (built by its prepack)
//     package.json          functions/package.json's runtime fields, nem12 -> file:vendor/nem12-X.tgz
//     .env, .env.<project>  links to functions/.env*: firebase deploy reads its params there, and
//                           writes the answers of its prompts through to functions/
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './emulators';

export const STAGED_FUNCTIONS = join(REPO_ROOT, '.deploy', 'functions');
const FUNCTIONS = join(REPO_ROOT, 'functions');
const NEVER_DEPLOYED = new Set(['dev', 'bench']);

interface PackageJson {
  name: string;
  version: string;
  dependencies: Record<string, string>;
  [field: string]: unknown;
}

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;

/** Stages the deploy source in `into` (replacing it); returns the vendored tarball's file name. */
export function stageDeploy(into = STAGED_FUNCTIONS): string {
  if (!existsSync(join(FUNCTIONS, 'lib', 'index.js'))) throw new Error('functions/lib is not built: run `npm run build -w functions` first');
  rmSync(into, { recursive: true, force: true });
  mkdirSync(join(into, 'vendor'), { recursive: true });

  const nem12 = readJson<PackageJson>(join(REPO_ROOT, 'nem12', 'package.json'));
  const tarball = `${nem12.name}-${nem12.version}.tgz`;
  execFileSync('npm', ['pack', '--workspace', 'nem12', '--pack-destination', join(into, 'vendor'), '--silent'], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (!existsSync(join(into, 'vendor', tarball))) throw new Error(`npm pack did not write vendor/${tarball}`);

  for (const entry of readdirSync(join(FUNCTIONS, 'lib'))) {
    if (!NEVER_DEPLOYED.has(entry)) cpSync(join(FUNCTIONS, 'lib', entry), join(into, 'lib', entry), { recursive: true });
  }

  const functions = readJson<PackageJson>(join(FUNCTIONS, 'package.json'));
  if (functions.dependencies.nem12 !== nem12.version) {
    throw new Error(`functions depends on nem12 ${functions.dependencies.nem12}, the workspace holds ${nem12.version}`);
  }
  // Only what the runtime needs: no scripts (nothing to build there), no bin, no devDependencies.
  const deployed = {
    name: functions.name,
    version: functions.version,
    private: true,
    description: functions.description,
    license: functions.license,
    main: functions.main,
    engines: functions.engines,
    dependencies: { ...functions.dependencies, nem12: `file:vendor/${tarball}` },
  };
  writeFileSync(join(into, 'package.json'), `${JSON.stringify(deployed, null, 2)}\n`);

  for (const entry of readdirSync(FUNCTIONS)) {
    if (/^\.env(\..+)?$/.test(entry) && !entry.endsWith('.local')) symlinkSync(join(FUNCTIONS, entry), join(into, entry));
  }
  return tarball;
}

if (require.main === module) {
  const tarball = stageDeploy();
  process.stdout.write(`functions staged in ${STAGED_FUNCTIONS} (nem12 from vendor/${tarball})\n`);
}
