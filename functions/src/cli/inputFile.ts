import { accessSync, constants, statSync } from 'node:fs';
import { LocalFile } from '../source/localFile';
import { UsageError } from './failure';

/**
 * A FILE argument, checked before any work starts: missing, unreadable or a folder is a usage error
 * of one line naming it. Anything else readable is accepted (a FIFO such as `<(zcat f.gz)` too).
 */
export function inputFile(path: string): LocalFile {
  let problem: string | null = null;
  try {
    if (statSync(path).isDirectory()) problem = 'is a directory';
    // access(), not open(): opening and closing a FIFO would lose what its writer sent.
    else accessSync(path, constants.R_OK);
  } catch (error) {
    problem = reasonOf(error);
  }
  if (problem !== null) throw new UsageError(`${problem}: ${path}`, false);
  return new LocalFile(path);
}

/** A file system error as a few words (the error's own message repeats the path and the syscall). */
export function reasonOf(error: unknown): string {
  const { code, message } = error as NodeJS.ErrnoException;
  if (code === 'ENOENT' || code === 'ENOTDIR') return 'no such file';
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return code ?? message;
}
