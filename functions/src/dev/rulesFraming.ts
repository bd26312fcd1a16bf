// Development only, preloaded into firebase-tools (`node --require`) when the Storage rules runtime
// is the stand-in (StorageRulesStandin.java). firebase-tools parses every chunk the runtime writes
// to stdout as one JSON reply; when replies come faster than it reads (a burst of uploads), two
// arrive in one chunk, neither parses, and those requests are never answered ("Uploading 0 bytes"
// for ever). The replies are lines: here each line is handed on as a chunk of its own, so every
// request is answered exactly once whatever the timing.
import childProcess from 'node:child_process';
import type { Readable } from 'node:stream';
import { STANDIN_JAR } from './emulators';

/** Re-emits a stream's data one line (ending in \n) at a time; a partial line waits for its end. */
export function frameLines(stream: Readable): void {
  const emit = stream.emit.bind(stream) as (event: string | symbol, ...args: unknown[]) => boolean;
  let pending = '';
  stream.emit = ((event: string | symbol, ...args: unknown[]) => {
    if (event !== 'data') return emit(event, ...args);
    pending += Buffer.isBuffer(args[0]) ? args[0].toString('utf8') : String(args[0]);
    for (let end = pending.indexOf('\n'); end >= 0; end = pending.indexOf('\n')) {
      emit('data', Buffer.from(pending.slice(0, end + 1), 'utf8'));
      pending = pending.slice(end + 1);
    }
    return true;
  }) as Readable['emit'];
}

const spawn = childProcess.spawn;
childProcess.spawn = function (this: unknown, ...args: Parameters<typeof spawn>) {
  const child = spawn.apply(this, args);
  const argv: unknown[] = Array.isArray(args[1]) ? args[1] : [];
  if (argv.some((arg) => typeof arg === 'string' && arg.endsWith(STANDIN_JAR)) && child.stdout) frameLines(child.stdout);
  return child;
} as typeof spawn;
