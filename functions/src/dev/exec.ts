// Development only. Runs one command against the whole local stack and exits with its exit code:
//
//   node functions/lib/dev/exec.js [--only EMULATORS] -- <command...>   (from the repository root or functions/)
//
// PostgreSQL (DATABASE_URL, else an embedded server) with migrations applied, then
// `firebase emulators:exec --only functions,firestore,storage,tasks,auth,hosting "<command>"`.
// The command runs in the caller's directory and sees DATABASE_URL plus what firebase-tools sets:
// FIRESTORE_EMULATOR_HOST, FIREBASE_STORAGE_EMULATOR_HOST, STORAGE_EMULATOR_HOST,
// FIREBASE_AUTH_EMULATOR_HOST, CLOUD_TASKS_EMULATOR_HOST, GCLOUD_PROJECT, FIREBASE_CONFIG.
// Its stdin is not connected (firebase-tools runs in a process group of its own, so that Ctrl-C or
// kill stops the emulators cleanly and interrupts the command exactly once); the embedded database
// is always stopped afterwards.
import { constants } from 'node:os';
import { devLog, EMULATORS, prepareSession, spawnFirebase, startLocalSweeper, type DevSession, runMain } from './session';
import { exitCodeOf, forwardSignals, interruptFlag } from './childProcess';

const USAGE = `usage: node functions/lib/dev/exec.js [--only EMULATORS] [--fresh-database] -- <command> [args...]
  One argument is run as a shell command line; several are quoted. --only defaults to ${EMULATORS}
  (leaving out auth saves about 20 s of start-up). --fresh-database runs against a new, empty
  database on the server, dropped afterwards (tests and benchmarks).`;

/** POSIX shell quoting for one argument. */
export function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The shell command line for firebase-tools: one argument is used as is, several are quoted. */
export function commandLine(args: string[], cwd: string): string {
  const command = args.length === 1 ? args[0] : args.map(shellQuote).join(' ');
  return `cd ${shellQuote(cwd)} && ${command}`;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  let only = EMULATORS;
  let freshDatabase = false;
  for (;;) {
    if (args[0] === '--only' && args.length > 1) {
      only = args[1];
      args.splice(0, 2);
    } else if (args[0] === '--fresh-database') {
      freshDatabase = true;
      args.shift();
    } else break;
  }
  if (args[0] === '--') args.shift();
  if (args.length === 0 || args[0] === '') {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const started = Date.now();
  const early = interruptFlag();
  let session: DevSession;
  try {
    session = await prepareSession({ freshDatabase });
  } catch (error) {
    early.release();
    devLog(`ERROR: ${(error as Error).message}`);
    return 1;
  }
  early.release();
  try {
    if (early.interrupted) return 130;
    devLog(`prepared in ${((Date.now() - started) / 1000).toFixed(1)} s; starting the emulators (${only})`);
    // firebase-tools runs the command with `shell: true` from the repository root.
    const child = spawnFirebase(session, ['emulators:exec', '--only', only, commandLine(args, process.cwd())]);
    const signals = forwardSignals(child);
    // Uploads whose storage event the emulator dropped go back to the trigger (dev/sweeper.ts).
    const sweeping = only.includes('functions') && only.includes('storage') ? await startLocalSweeper(session) : null;
    let code = await exitCodeOf(child);
    await sweeping?.();
    signals.dispose();
    // firebase-tools exits 0 after a clean shutdown, even when the command was interrupted.
    if (signals.signal && code === 0) code = 128 + constants.signals[signals.signal];
    devLog(`done in ${((Date.now() - started) / 1000).toFixed(1)} s, exit code ${code}`);
    return code;
  } finally {
    await session.stop().catch((error: Error) => devLog(`could not stop PostgreSQL: ${error.message}`));
  }
}

if (require.main === module) runMain(main);
