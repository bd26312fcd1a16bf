// Development only. The functions emulator asks on the terminal for the value of every param
// (defineInt, defineString, ...) that no dotenv file sets, even when the param has a default, and
// waits. Unattended runs (exec.ts, npm start) would hang, so before firebase-tools starts, the
// params no dotenv file sets go into a marked block of functions/.env.local (git-ignored, read by
// the emulator only): the value of the same-named environment variable when there is one (e.g.
// `CHUNK_BYTES=4096 node lib/dev/exec.js -- ...`), else the param's default. The block is rewritten
// on every run; a value set in a dotenv file (.env, .env.demo-nem12, .env.local outside it) wins.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './emulators';
import { readManifest } from './manifest';

interface ParamSpec {
  name: string;
  type?: string;
  default?: unknown;
}

export interface ParamCheck {
  /** Params whose value (default or from the environment) was written to functions/.env.local now. */
  filled: string[];
  /** Problems to show (params the emulator will still ask for, secrets it cannot find). */
  warnings: string[];
}

const BEGIN = '# >>> params\' defaults, rewritten by functions/src/dev on every run (set a value outside this block to override)';
const END = '# <<< params\' defaults';

/**
 * Reads the functions' manifest the way firebase-tools does (the firebase-functions binary with
 * FUNCTIONS_MANIFEST_OUTPUT_PATH) and writes a value for every param no dotenv file sets into the block.
 */
export function fillParamDefaults(projectId: string): ParamCheck {
  const functionsDir = join(REPO_ROOT, 'functions');
  const result: ParamCheck = { filled: [], warnings: [] };
  if (!existsSync(join(functionsDir, 'lib', 'index.js'))) return result;
  const params = discoverParams(projectId, result.warnings);
  if (!params) return result;

  const localFile = join(functionsDir, '.env.local');
  const local = withoutBlock(existsSync(localFile) ? readFileSync(localFile, 'utf8') : '');
  const envFiles = ['.env', `.env.${projectId}`].map((file) => join(functionsDir, file));
  const set = new Set([...envFiles.flatMap(keysOf), ...keysIn(local)]);
  const secrets = new Set(keysOf(join(functionsDir, '.secret.local')));
  const lines: string[] = [];
  for (const param of params) {
    if (param.type === 'secret') {
      if (!secrets.has(param.name) && !process.env[param.name]) {
        result.warnings.push(`secret ${param.name} has no value in functions/.secret.local: the functions emulator cannot read it offline`);
      }
      continue;
    }
    if (set.has(param.name)) continue;
    // The emulator resolves params from dotenv files only: a value in our environment goes in too.
    const fromEnv = process.env[param.name];
    const value = fromEnv !== undefined ? dotenvValue(fromEnv) : dotenvValue(param.default);
    if (value === undefined) {
      result.warnings.push(
        `param ${param.name} has no value in functions/.env* or the environment and no plain default: the functions emulator will wait for it on the ` +
          'terminal. Add it to functions/.env (deployed) or functions/.env.local (emulator only).',
      );
      continue;
    }
    lines.push(`${param.name}=${value}`);
    result.filled.push(fromEnv !== undefined ? `${param.name} (from the environment)` : param.name);
  }
  const block = lines.length > 0 ? `${BEGIN}\n${lines.join('\n')}\n${END}\n` : '';
  const separator = local === '' || local.endsWith('\n') ? '' : '\n';
  const next = `${local}${separator}${block}`;
  if (next !== '' || existsSync(localFile)) writeFileSync(localFile, next);
  return result;
}

function withoutBlock(text: string): string {
  const start = text.indexOf(BEGIN);
  if (start < 0) return text;
  const end = text.indexOf(END, start);
  return text.slice(0, start) + (end < 0 ? '' : text.slice(end + END.length).replace(/^\n/, ''));
}

function discoverParams(projectId: string, warnings: string[]): ParamSpec[] | undefined {
  try {
    return readManifest({ projectId }).params ?? [];
  } catch (error) {
    warnings.push(`could not read the functions' params (the emulator will show the same error): ${(error as Error).message}`);
    return undefined;
  }
}

function keysOf(file: string): string[] {
  return existsSync(file) ? keysIn(readFileSync(file, 'utf8')) : [];
}

function keysIn(text: string): string[] {
  return [...text.matchAll(/^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/gm)].map((match) => match[1]);
}

/** A default as a dotenv value; undefined when there is none, or it is an expression or a list. */
function dotenvValue(value: unknown): string | undefined {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value !== 'string' || value.includes('{{')) return undefined;
  return /^[\w./:@+-]*$/.test(value) ? value : JSON.stringify(value);
}
