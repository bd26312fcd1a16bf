// Development only (not deployed: firebase.json ignores lib/dev). The preparation shared by exec.ts
// and start.ts: PostgreSQL (DATABASE_URL or embedded) with migrations applied and its URL in
// functions/.secret.local, the functions built, params' defaults in functions/.env.local, the
// emulator helpers built, and firebase-tools started with the resulting environment.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { redact } from '../load/database';
import { startDatabase, type RunningDatabase } from './database';
import { migrate } from '../load/migrate';
import { prepareEmulators, REPO_ROOT, type PreparedEmulators } from './emulators';
import { functionsNode } from './functionsNode';
import { fillParamDefaults } from './params';
import { takeSessionLock } from './sessionLock';
import { startSweeper } from './sweeper';
import { devLog, type Log } from './devLog';
import { adminApp, firebaseTarget } from '../cli/firebaseProject';
import { REGION } from '../config';

export const PROJECT_ID = 'demo-nem12';
export const BUCKET = `${PROJECT_ID}.appspot.com`;
/** The emulators `npm start` and exec.ts run (not eventarc, database, pubsub, UI). */
export const EMULATORS = 'functions,firestore,storage,tasks,auth,hosting';

const FUNCTIONS_DIR = join(REPO_ROOT, 'functions');
const SECRET_FILE = join(FUNCTIONS_DIR, '.secret.local');
const WEB_DIST = join(REPO_ROOT, 'web', 'dist');

export interface DevSession {
  /** Environment for firebase-tools (and through it the functions and an exec'd command). */
  env: NodeJS.ProcessEnv;
  database: RunningDatabase;
  emulators: PreparedEmulators;
  /** The Node binary of the functions (functionsNode). */
  node: string;
  /** Stops the embedded database (no-op for DATABASE_URL); safe to call twice. */
  stop(): Promise<void>;
}

export { devLog, type Log } from './devLog';

/** Everything up to (not including) starting firebase-tools. `build: false` skips the functions build check. */
export async function prepareSession(options: { log?: Log; build?: boolean; freshDatabase?: boolean } = {}): Promise<DevSession> {
  const log = options.log ?? devLog;
  const firebaseBin = join(REPO_ROOT, 'node_modules', '.bin', 'firebase');
  if (!existsSync(firebaseBin)) throw new Error(`${firebaseBin} is missing: run \`npm install\` at the repository root.`);
  if (!existsSync(join(REPO_ROOT, 'firebase.json'))) throw new Error(`no firebase.json in ${REPO_ROOT}`);

  // Cheap checks first, so a missing Java fails before a database is started.
  const node = functionsNode(log);
  const emulators = await prepareEmulators({ log });
  const unlock = await takeSessionLock(log);
  if (options.build !== false) buildFunctionsIfStale(log);
  ensureWebPlaceholder(log);

  const server = await startDatabase({ log }).catch((error: unknown) => {
    unlock();
    throw error;
  });
  // A throwaway database on that server (tests, benchmarks): created empty, dropped at the end.
  const throwaway = options.freshDatabase ? await createThrowawayDatabase(server.url, log) : null;
  const database: RunningDatabase = throwaway ? { ...server, url: throwaway.url } : server;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (throwaway) await throwaway.drop().catch((error: Error) => log(`could not drop ${throwaway.name}: ${error.message}`));
    await server.stop();
    unlock();
  };
  try {
    const pool = new pg.Pool({ connectionString: database.url, max: 1 });
    try {
      const ran = await migrate(pool);
      log(ran.length ? `migrations applied: ${ran.join(', ')}` : 'database schema up to date');
    } finally {
      await pool.end();
    }
    writeSecret('DATABASE_URL', database.url);
    log(`functions/.secret.local: DATABASE_URL=${redact(database.url)}`);
    const params = fillParamDefaults(PROJECT_ID);
    if (params.filled.length > 0) log(`functions/.env.local: params ${params.filled.join(', ')} (else the emulator would ask for them)`);
    for (const warning of params.warnings) {
      emulators.warnings.push(warning);
      log(`WARNING: ${warning}`);
    }
  } catch (error) {
    await stop();
    throw error;
  }

  // An exec'd command (the tests) finds the same Node first on PATH.
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...emulators.env,
    DATABASE_URL: database.url,
    PATH: `${dirname(node)}:${process.env.PATH ?? ''}`,
    // A burst of events starts a worker process each; on 2 cores the default 30 s for one to come up
    // is not enough, and the emulator then drops the event ("Failed to load function").
    FUNCTIONS_DISCOVERY_TIMEOUT: process.env.FUNCTIONS_DISCOVERY_TIMEOUT ?? '180',
  };
  return { env, node, database, emulators, stop };
}

async function createThrowawayDatabase(serverUrl: string, log: Log): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const name = `nem12_run_${Date.now().toString(36)}_${process.pid}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  log(`throwaway database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { name, url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/**
 * Starts `firebase <args>` from the repository root (where firebase.json is), in a process group of
 * its own: signals then reach firebase-tools and everything it runs (an exec'd command included)
 * exactly once, whether they come from a terminal's Ctrl-C or from `kill`. A background process
 * group must not read the terminal, so the child's stdin is not connected.
 */
export function spawnFirebase(session: DevSession, args: string[], stdout: 'inherit' | 'pipe' = 'inherit'): ChildProcess {
  const firebaseBin = join(REPO_ROOT, 'node_modules', '.bin', 'firebase');
  // On the functions' own Node: firebase-tools runs the functions on the Node it runs on when its
  // major is the one functions/package.json asks for ("Using node@24 from host").
  // With the rules stand-in, its replies are framed by line (rulesFraming.ts).
  const preload = session.emulators.storageRules === 'not-evaluated' ? ['--require', join(__dirname, 'rulesFraming.js')] : [];
  return spawn(session.node, [...preload, firebaseBin, '--project', PROJECT_ID, ...args], {
    cwd: REPO_ROOT,
    env: session.env,
    stdio: ['ignore', stdout, 'inherit'],
    detached: true,
  });
}

/** Builds the functions (`npm run build -w functions`) when lib/ is missing or older than src/. */
function buildFunctionsIfStale(log: Log): void {
  const src = join(FUNCTIONS_DIR, 'src');
  const hasIndex = existsSync(join(src, 'index.ts'));
  if (!hasIndex) log('functions/src/index.ts does not exist yet: the functions emulator will have no functions to run');
  // tsc rewrites every output, so one output file dates the last build; without index.ts, use this very file.
  const output = hasIndex ? join(FUNCTIONS_DIR, 'lib', 'index.js') : __filename;
  const built = existsSync(output) ? statSync(output).mtimeMs : 0;
  const newest = newestMtime(src);
  if (built >= newest) return;
  log(built ? 'functions/src changed since the last build: npm run build -w functions' : 'building the functions: npm run build -w functions');
  const started = Date.now();
  const run = spawnSync('npm', ['run', 'build', '-w', 'functions'], { cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (run.error || run.status !== 0) {
    throw new Error(`npm run build -w functions failed${run.error ? `: ${run.error.message}` : ` (exit ${run.status})`}`);
  }
  log(`functions built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** Hosting serves web/dist: until the web workspace is built, a placeholder page. */
function ensureWebPlaceholder(log: Log): void {
  const index = join(WEB_DIST, 'index.html');
  if (existsSync(index)) return;
  mkdirSync(WEB_DIST, { recursive: true });
  writeFileSync(
    index,
    '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>NEM12 pipeline</title></head>\n' +
      '<body><h1>NEM12 pipeline</h1>\n<p>Placeholder: the web page is built by <code>npm run build -w web</code> ' +
      '(into web/dist/, which the Hosting emulator serves).</p></body></html>\n',
  );
  log('web/dist/index.html is a placeholder: the web page is built by `npm run build -w web`');
}

/** Sets one KEY=value line in functions/.secret.local (git-ignored), keeping any other lines. */
function writeSecret(name: string, value: string): void {
  const lines = existsSync(SECRET_FILE) ? readFileSync(SECRET_FILE, 'utf8').split('\n') : [];
  const kept = lines.filter((line) => line.trim() !== '' && !line.startsWith(`${name}=`));
  writeFileSync(SECRET_FILE, `${[...kept, `${name}=${value}`].join('\n')}\n`, { mode: 0o600 });
}

/**
 * The local stack's sweeper (dev/sweeper.ts) on the session's database and emulators: uploads whose
 * storage event the functions emulator dropped are handed to the trigger again. Returns its stop.
 */
export async function startLocalSweeper(session: DevSession, log: Log = devLog): Promise<() => Promise<void>> {
  const app = adminApp(firebaseTarget({ project: PROJECT_ID }));
  const [{ getFirestore }, { getStorage }] = await Promise.all([import('firebase-admin/firestore'), import('firebase-admin/storage')]);
  const db = new pg.Pool({ connectionString: session.database.url, max: 1 });
  db.on('error', () => {});
  const stop = startSweeper({ db, firestore: getFirestore(app), storage: getStorage(app) }, BUCKET, { functions: '127.0.0.1:5001', project: PROJECT_ID, region: REGION }, log);
  return async () => {
    stop();
    await db.end().catch(() => {});
  };
}

/** Runs a dev entry point and exits with its code (1, with the error, if it throws). */
export function runMain(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (error: Error) => {
      devLog(`ERROR: ${error.stack ?? error.message}`);
      process.exit(1);
    },
  );
}

