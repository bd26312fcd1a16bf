import { open, type FileHandle } from 'node:fs/promises';
import { statSync, type Stats } from 'node:fs';
import { basename } from 'node:path';
import { InputError } from './archive';

/**
 * A local file as the loader's input: re-openable, with a count of raw bytes read (for progress).
 * Each `open()` is a pull source: nothing is read until it is iterated, so no byte can be lost to a
 * reader that starts late. Every open checks that the file is still what it was (size and mtime).
 */
export class LocalFile {
  readonly name: string;
  readonly size: number;
  bytesRead = 0;
  private readonly stats: Stats;

  constructor(readonly path: string) {
    this.name = basename(path);
    this.stats = statSync(path); // throws ENOENT early, before any work
    this.size = this.stats.size;
  }

  open = (): AsyncIterable<Uint8Array> => ({ [Symbol.asyncIterator]: () => this.read() });

  private async *read(): AsyncGenerator<Uint8Array> {
    this.bytesRead = 0;
    const handle = await open(this.path, 'r');
    try {
      await this.checkUnchanged(handle);
      for (;;) {
        const buffer = Buffer.allocUnsafe(1 << 16);
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
        if (bytesRead === 0) break;
        this.bytesRead += bytesRead;
        yield buffer.subarray(0, bytesRead);
      }
      await this.checkUnchanged(handle);
    } finally {
      await handle.close();
    }
  }

  private async checkUnchanged(handle: FileHandle): Promise<void> {
    const now = await handle.stat();
    if (now.size !== this.stats.size || now.mtimeMs !== this.stats.mtimeMs) {
      throw new FileChangedError(`${this.stats.size} bytes modified ${this.stats.mtime.toISOString()}, now ${now.size} bytes modified ${now.mtime.toISOString()}`);
    }
  }
}

/** The file's bytes changed between the two passes of a load (it was being written to, or replaced). */
export class FileChangedError extends InputError {
  constructor(detail: string) {
    super('FILE_CHANGED', `The file changed while it was being loaded (${detail}); nothing was stored. Load it again once it is complete.`);
  }
}
