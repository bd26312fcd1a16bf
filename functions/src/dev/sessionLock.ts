// Development only. One emulator suite at a time on a machine: the emulators' ports are fixed and
// functions/.secret.local names one database, so a second run started beside the first would take
// the first one's functions to its own database. The second run waits for the first to end.
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './emulators';
import type { Log } from './devLog';

const LOCK = join(REPO_ROOT, '.data', 'emulators.lock');

function holder(): number | null {
  try {
    const pid = Number(readFileSync(LOCK, 'utf8').trim());
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}

/** Takes the machine's emulator lock, waiting up to `waitMs` for another run to end; returns its release. */
export async function takeSessionLock(log: Log, waitMs = 45 * 60_000): Promise<() => void> {
  mkdirSync(join(REPO_ROOT, '.data'), { recursive: true });
  const started = Date.now();
  let told = false;
  for (;;) {
    try {
      const fd = openSync(LOCK, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        if (holder() === process.pid) rmSync(LOCK, { force: true });
      };
      process.once('exit', release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const pid = holder();
    // A lock left by a run that died: taken over.
    if (pid === null) {
      rmSync(LOCK, { force: true });
      continue;
    }
    if (Date.now() - started > waitMs) throw new Error(`another emulator run (pid ${pid}) still holds ${LOCK} after ${Math.round(waitMs / 60_000)} min`);
    if (!told) log(`another emulator run (pid ${pid}) is using the emulators' ports: waiting for it to end`);
    told = true;
    await new Promise((done) => setTimeout(done, 2000));
  }
}
