// Development only. Which Node runs the functions locally: the one they are deployed on.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './emulators';
import { devLog, type Log } from './devLog';

/**
 * The Node the functions target (functions/package.json engines, nodejs24 on Cloud Functions): the
 * `node` package's binary (a root dev dependency), whatever Node runs this script.
 */
export function functionsNode(log: Log = devLog): string {
  const wanted = String(JSON.parse(readFileSync(join(REPO_ROOT, 'functions', 'package.json'), 'utf8')).engines.node);
  const binary = join(REPO_ROOT, 'node_modules', 'node', 'bin', 'node');
  if (!existsSync(binary)) throw new Error(`${binary} is missing: run \`npm install\` at the repository root (it installs Node ${wanted}).`);
  const version = spawnSync(binary, ['--version'], { encoding: 'utf8' }).stdout.trim();
  if (version.replace(/^v/, '').split('.')[0] !== wanted) throw new Error(`${binary} is Node ${version}, the functions need Node ${wanted}: run \`npm install\`.`);
  log(`functions, emulators and tests on Node ${version} (${binary})`);
  return binary;
}
