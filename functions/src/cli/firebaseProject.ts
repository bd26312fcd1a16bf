import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { initializeApp, type App } from 'firebase-admin/app';

/** Local emulator ports (firebase.json): used by default for a `demo-` project. */
const EMULATORS = {
  FIREBASE_STORAGE_EMULATOR_HOST: '127.0.0.1:9199',
  FIRESTORE_EMULATOR_HOST: '127.0.0.1:8080',
  FIREBASE_AUTH_EMULATOR_HOST: '127.0.0.1:9099',
};

export interface FirebaseTarget {
  project: string;
  /** The pipeline's bucket. */
  bucket: string;
  /** A `demo-` project: the local emulators, nothing leaves the machine. */
  emulated: boolean;
}

/**
 * The project the Firebase commands (`upload`, `org`) work on: --project, else GCLOUD_PROJECT, else
 * the nearest .firebaserc's default. A `demo-` project means the local emulators (their hosts can
 * be overridden with the usual variables); any other means Google Cloud with Application Default
 * Credentials. The bucket is --bucket, else NEM12_BUCKET, else `{project}.firebasestorage.app`
 * (the default name of buckets made since October 2024), and `{project}.appspot.com` on the emulators.
 */
export function firebaseTarget(values: Record<string, unknown>): FirebaseTarget {
  const project = (values.project as string | undefined) ?? process.env.GCLOUD_PROJECT ?? defaultProject() ?? 'demo-nem12';
  const emulated = project.startsWith('demo-');
  if (emulated) for (const [name, value] of Object.entries(EMULATORS)) process.env[name] ??= value;
  const bucket = (values.bucket as string | undefined) ?? process.env.NEM12_BUCKET ?? (emulated ? `${project}.appspot.com` : `${project}.firebasestorage.app`);
  return { project, bucket, emulated };
}

/** An Admin SDK app of its own for one command. */
export function adminApp(target: FirebaseTarget): App {
  return initializeApp({ projectId: target.project, storageBucket: target.bucket }, `nem12-cli-${process.pid}-${Date.now()}`);
}

/** The default project of the nearest .firebaserc, from the working directory up. */
function defaultProject(): string | null {
  for (let dir = process.cwd(); ; dir = dirname(dir)) {
    const rc = join(dir, '.firebaserc');
    if (existsSync(rc)) return (JSON.parse(readFileSync(rc, 'utf8')) as { projects?: { default?: string } }).projects?.default ?? null;
    if (dirname(dir) === dir) return null;
  }
}
