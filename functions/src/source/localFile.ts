import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';

/** A local file as the loader's input: re-openable, with a count of raw bytes read (for progress). */
export class LocalFile {
  readonly name: string;
  readonly size: number;
  bytesRead = 0;

  constructor(readonly path: string) {
    this.name = basename(path);
    this.size = statSync(path).size; // throws ENOENT early, before any work
  }

  open = (): AsyncIterable<Uint8Array> => {
    this.bytesRead = 0;
    const stream = createReadStream(this.path, { highWaterMark: 1 << 16 });
    stream.on('data', (chunk) => {
      this.bytesRead += chunk.length;
    });
    return stream;
  };
}
