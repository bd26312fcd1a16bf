// Development only. The functions' deploy manifest, read the way firebase-tools reads it before a
// deploy or an emulator run: the firebase-functions binary loads lib/index.js and writes the
// manifest (FUNCTIONS_MANIFEST_OUTPUT_PATH), with only the environment firebase-tools gives it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { EMULATOR_BUILD_DIR, REPO_ROOT } from './emulators';

/** What the tests and the params check read of a manifest (firebase-functions' wire format). */
export interface DeployManifest {
  specVersion: string;
  params?: { name: string; type?: string; default?: unknown }[];
  requiredAPIs?: { api: string }[];
  endpoints: Record<string, Record<string, unknown> & { region?: unknown[]; platform?: string }>;
}

/**
 * Runs the discovery with `dotenv` as the values firebase-tools would load from functions/.env
 * files (they reach the discovery process as environment variables). Throws with its stderr.
 */
export function readManifest(options: { projectId: string; dotenv?: Record<string, string>; node?: string; storageBucket?: string }): DeployManifest {
  const functionsDir = join(REPO_ROOT, 'functions');
  // Where firebase-tools looks for it too (npm workspaces hoist it to the root).
  const bin = [join(functionsDir, 'node_modules', '.bin', 'firebase-functions'), join(REPO_ROOT, 'node_modules', '.bin', 'firebase-functions')].find(
    (file) => existsSync(file),
  );
  if (!bin) throw new Error('firebase-functions is not installed: run npm install');
  mkdirSync(EMULATOR_BUILD_DIR, { recursive: true });
  const manifestPath = join(EMULATOR_BUILD_DIR, `functions-manifest-${process.pid}-${Date.now()}.json`);
  // The project's default bucket, as firebase-tools passes it (new projects: PROJECT.firebasestorage.app).
  const { projectId, storageBucket = `${projectId}.appspot.com` } = options;
  try {
    const run = spawnSync(options.node ?? process.execPath, [bin, '.'], {
      cwd: functionsDir,
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        HOME: process.env.HOME,
        PATH: process.env.PATH,
        NODE_ENV: process.env.NODE_ENV,
        FUNCTIONS_CONTROL_API: 'true',
        GCLOUD_PROJECT: projectId,
        FIREBASE_CONFIG: JSON.stringify({ projectId, storageBucket }),
        FUNCTIONS_MANIFEST_OUTPUT_PATH: manifestPath,
        ...options.dotenv,
      },
    });
    if (run.status !== 0 || !existsSync(manifestPath)) {
      throw new Error(`the functions' manifest could not be read: ${(run.stderr || run.error?.message || '').trim().split('\n')[0]}`);
    }
    return JSON.parse(readFileSync(manifestPath, 'utf8')) as DeployManifest;
  } finally {
    rmSync(manifestPath, { force: true });
  }
}
