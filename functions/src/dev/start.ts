// Development only. `npm start` at the repository root: npm install, build, then this file runs the
// whole stack locally until Ctrl-C: PostgreSQL (DATABASE_URL, else an embedded server) with the
// migrations applied, and `firebase emulators:start --only functions,firestore,storage,tasks,auth,hosting`.
// Ctrl-C or SIGTERM stops the emulators cleanly, then the embedded database.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { redact } from '../load/database';
import { firebaseTarget, adminApp } from '../cli/firebaseProject';
import { createOrganisation, OrgError } from '../orgs/organisations';
import { LOCAL_ORG } from '../orgs/orgIds';
import { REPO_ROOT } from './emulators';
import { BUCKET, devLog, EMULATORS, PROJECT_ID, prepareSession, spawnFirebase, startLocalSweeper, type DevSession, runMain } from './session';
import { exitCodeOf, forwardSignals, interruptFlag } from './childProcess';

interface FirebaseJson {
  emulators?: Record<string, { host?: string; port?: number }>;
  hosting?: { rewrites?: { source?: string; function?: { functionId?: string; region?: string } }[] };
}

/** host:port of each emulator, and the functions' region (from the /api/** rewrite), per firebase.json. */
function firebaseJson(): { at: Record<string, string>; region: string } {
  const config = JSON.parse(readFileSync(join(REPO_ROOT, 'firebase.json'), 'utf8')) as FirebaseJson;
  const at: Record<string, string> = {};
  for (const [name, value] of Object.entries(config.emulators ?? {})) {
    if (value && typeof value === 'object' && value.port) at[name] = `${value.host ?? '127.0.0.1'}:${value.port}`;
  }
  const region = config.hosting?.rewrites?.find((rewrite) => rewrite.function?.region)?.function?.region ?? '<region>';
  return { at, region };
}

function embeddedNote(db: DevSession['database']): string {
  if (!db.embedded) return '  (DATABASE_URL)';
  return `  (embedded, data in ${db.embedded.dataDir}; ${db.embedded.startedHere ? 'stops with this' : 'started by another run, left running'})`;
}

/** What to print once the emulators are ready. */
export function summary(session: DevSession): string {
  const { at, region } = firebaseJson();
  const db = session.database;
  const clientEnv = [
    `FIREBASE_STORAGE_EMULATOR_HOST=${at.storage}`,
    `FIRESTORE_EMULATOR_HOST=${at.firestore}`,
    `FIREBASE_AUTH_EMULATOR_HOST=${at.auth}`,
    `GCLOUD_PROJECT=${PROJECT_ID}`,
  ].join(' ');
  const rules =
    session.emulators.storageRules === 'not-evaluated' ? '  (storage.rules NOT evaluated: stand-in allows everything)' : '';
  const line = '='.repeat(96);
  return [
    '',
    line,
    `  NEM12 pipeline running locally: project ${PROJECT_ID} (emulators, nothing leaves this machine). Ctrl-C stops everything.`,
    '',
    `  Web page     http://${at.hosting}`,
    `  Functions    http://${at.functions}/${PROJECT_ID}/${region}/<function> (HTTP); /api/** on the web page goes to "api"`,
    `  Firestore    ${at.firestore}`,
    `  Storage      ${at.storage}  bucket ${BUCKET}${rules}`,
    `  Auth         ${at.auth}`,
    `  Cloud Tasks  ${at.tasks}`,
    `  PostgreSQL   ${redact(db.url)}${embeddedNote(db)}`,
    '',
    '  Sign up on the web page: on the emulators a new account gets an organisation of its own, whose id',
    '  the Members page shows. Upload a NEM12 file from another terminal (at the repository root):',
    `    export ${clientEnv}`,
    `    npx nem12 upload FILE --wait                 # into the organisation "${LOCAL_ORG}"`,
    '    npx nem12 upload FILE --org <your organisation id> --wait   # to see it on your web page',
    line,
    '',
  ].join('\n');
}

async function main(): Promise<number> {
  const early = interruptFlag();
  let session: DevSession;
  try {
    // `npm start` has just built everything; a direct run still gets a stale build fixed.
    session = await prepareSession();
  } catch (error) {
    early.release();
    devLog(`ERROR: ${(error as Error).message}`);
    return 1;
  }
  early.release();
  try {
    if (early.interrupted) return 130;
    devLog(`starting the emulators (${EMULATORS}); the first start takes about half a minute`);
    const env = process.stdout.isTTY && !session.env.NO_COLOR ? { ...session.env, FORCE_COLOR: '1' } : session.env;
    const child = spawnFirebase({ ...session, env }, ['emulators:start', '--only', EMULATORS], 'pipe');
    const signals = forwardSignals(child);
    let pending = '';
    let ready = false;
    child.stdout?.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk);
      if (ready) return;
      pending = (pending + chunk.toString('utf8')).slice(-4096);
      // firebase-tools prints its table of emulators right after this line.
      if (/All emulators ready/.test(pending)) {
        ready = true;
        // `nem12 upload` without --org loads into `local`: it exists from the start.
        ensureOrganisation(LOCAL_ORG, 'Local (nem12 upload without --org)').then(
          () => {
            process.stdout.write(summary(session));
            for (const warning of session.emulators.warnings) devLog(`WARNING: ${warning}`);
          },
          (error: Error) => devLog(`could not create the organisation ${LOCAL_ORG}: ${error.message}`),
        );
      }
    });
    // Uploads whose storage event the emulator dropped go back to the trigger (dev/sweeper.ts).
    const sweeping = await startLocalSweeper(session);
    const code = await exitCodeOf(child);
    await sweeping();
    signals.dispose();
    devLog(`emulators stopped (exit code ${code})`);
    return code;
  } finally {
    await session.stop().catch((error: Error) => devLog(`could not stop PostgreSQL: ${error.message}`));
  }
}

/** Creates an organisation on the emulators unless it exists. */
async function ensureOrganisation(id: string, name: string): Promise<void> {
  const app = adminApp(firebaseTarget({ project: PROJECT_ID }));
  const { getAuth } = await import('firebase-admin/auth');
  const { getFirestore } = await import('firebase-admin/firestore');
  try {
    await createOrganisation({ auth: getAuth(app), firestore: getFirestore(app) }, name, { id });
  } catch (error) {
    if (!(error instanceof OrgError && error.code === 'ORGANISATION_EXISTS')) throw error;
  } finally {
    await getFirestore(app).terminate();
  }
}

if (require.main === module) runMain(main);
