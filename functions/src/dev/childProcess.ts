// Development only. The firebase-tools child process of `npm start` and exec.ts: signals passed on
// once, its exit code, and a terminal's Ctrl-C told apart from the child's own exit.
import type { ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import { devLog, type Log } from './session';

export interface SignalForwarding {
  /** The first stop signal that arrived, if any. */
  readonly signal: NodeJS.Signals | undefined;
  dispose(): void;
}

/**
 * Passes SIGINT/SIGTERM/SIGHUP on to the firebase-tools process group: firebase-tools shuts the
 * emulators down cleanly, an exec'd command is interrupted too. A second signal (more than a second
 * later), or 30 s without exit, makes firebase-tools stop at once.
 */
export function forwardSignals(child: ChildProcess, log: Log = devLog): SignalForwarding {
  let count = 0;
  let first: NodeJS.Signals | undefined;
  let last = 0;
  let timer: NodeJS.Timeout | undefined;
  const send = (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      child.kill(signal);
    }
  };
  const handler = (signal: NodeJS.Signals) => {
    // npm and the shell in front of us may pass one Ctrl-C on as well: count it once.
    if (Date.now() - last < 1000) return;
    last = Date.now();
    count += 1;
    first ??= signal;
    log(count === 1 ? `${signal}: stopping the emulators cleanly (send it again to stop at once)` : `${signal}: stopping at once`);
    send(signal);
    if (!timer) {
      timer = setTimeout(() => {
        log('the emulators did not stop within 30 s: stopping at once');
        send('SIGINT');
      }, 30_000);
      timer.unref();
    }
  };
  // The handlers stay: a late Ctrl-C must not kill this process while it stops the database.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, handler);
  return {
    get signal() {
      return first;
    },
    dispose() {
      if (timer) clearTimeout(timer);
    },
  };
}

/** Resolves with the child's exit code (128 + signal number when it was killed). */
export function exitCodeOf(child: ChildProcess): Promise<number> {
  return new Promise((done) => {
    child.once('error', (error) => {
      devLog(`could not start firebase-tools: ${error.message}`);
      done(1);
    });
    child.once('exit', (code, signal) => done(code ?? 128 + (signal ? constants.signals[signal] : 0)));
  });
}

/**
 * Until the user's first signal arrives we may be busy starting PostgreSQL: remember it, and let the
 * caller stop what it started before exiting.
 */
export function interruptFlag(): { readonly interrupted: boolean; release(): void } {
  let interrupted = false;
  const handler = () => {
    interrupted = true;
  };
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  for (const signal of signals) process.on(signal, handler);
  return {
    get interrupted() {
      return interrupted;
    },
    release() {
      for (const signal of signals) process.off(signal, handler);
    },
  };
}

