import { spawn } from 'node:child_process';
import { join } from 'node:path';

/** The CLI as users run it: the built bin (npm test builds first), in a child process. */
export const BIN = join(__dirname, '..', '..', 'bin', 'nem12.js');

export interface CliRun {
  status: number | null;
  /** stdout parsed as JSON (null when empty). */
  json: unknown;
  stderr: string;
}

/** `nem12 load FILE... --json` against the database at `url`. */
export function nem12Load(url: string, files: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return nem12Json(url, ['load', ...files], env);
}

/** `nem12 ARGS... --json` against the database at `url`. */
export function nem12Json(url: string, args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...args, '--json'], { env: { ...process.env, DATABASE_URL: url, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (status) => done({ status, json: stdout ? JSON.parse(stdout) : null, stderr }));
  });
}
