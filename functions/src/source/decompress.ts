import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { decompressWith, InputError, type DecompressOptions } from './archive';

export * from './archive';

/** The NEM12 bytes of a plain, gzipped or zipped (one file) input, streamed; gzip by Node's zlib. */
export function decompress(input: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, options: DecompressOptions = {}): AsyncGenerator<Uint8Array> {
  return decompressWith(input, gunzip, options);
}

async function* gunzip(input: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const inflated = Readable.from(input).pipe(createGunzip());
  try {
    for await (const chunk of inflated) yield chunk as Uint8Array;
  } catch (error) {
    throw new InputError('CORRUPT_ARCHIVE', `The gzip data is corrupt: ${(error as Error).message}.`);
  }
}
