// Archives by content, pure (no Node modules), so the page checks a file exactly as the pipeline
// reads it: detection, expansion limits, zip, and the orchestration. gzip itself is given by the
// caller (decompress.ts: Node's zlib; the page: fflate), as the fastest inflate differs by platform.
import { Unzip, UnzipInflate, type UnzipFile } from 'fflate';

export type Compression = 'none' | 'gzip' | 'zip';

/** A file that cannot be opened as one NEM12 text: carries a stable code like parser issues. */
export class InputError extends Error {
  constructor(
    readonly code: 'CORRUPT_ARCHIVE' | 'ZIP_NOT_ONE_FILE' | 'DECOMPRESSED_TOO_LARGE' | 'FILE_TOO_LARGE' | 'FILE_CHANGED',
    message: string,
  ) {
    super(message);
  }
}

/** Decided by content (magic bytes), never by the file name. */
export function detectCompression(head: Uint8Array): Compression {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return 'zip';
  return 'none';
}

/**
 * How far a zip or gzip may expand: at most `maxBytes`, and at most `maxRatio` times its own size
 * (`compressedBytes`, when known: the object's or file's real size, never what an archive header
 * claims). Bytes are counted as they come out, so a bomb stops before it fills anything.
 */
export interface ExpansionLimit {
  maxBytes: number;
  maxRatio: number;
  compressedBytes?: number;
}

export const DEFAULT_EXPANSION: ExpansionLimit = { maxBytes: 10 * 1024 ** 3, maxRatio: 50 };

/** What an upload may expand to by default (the MAX_DECOMPRESSED_GB param's default); the page checks by it too. */
export const UPLOAD_MAX_DECOMPRESSED_GB = 1;

/** The default limit for an input of `compressedBytes` (a file's or object's own size). */
export function expansionOf(compressedBytes: number, maxBytes = DEFAULT_EXPANSION.maxBytes): ExpansionLimit {
  return { ...DEFAULT_EXPANSION, maxBytes, compressedBytes };
}

/** Inflates gzip data, streamed; corrupt data throws InputError('CORRUPT_ARCHIVE'). */
export type Gunzip = (input: AsyncIterable<Uint8Array>) => AsyncIterable<Uint8Array>;

export interface DecompressOptions {
  onDetect?: (kind: Compression) => void;
  limit?: ExpansionLimit;
}

/** The NEM12 bytes of a plain, gzipped or zipped (one file) input, streamed, gzip inflated by `gunzip`. */
export async function* decompressWith(input: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, gunzip: Gunzip, options: DecompressOptions = {}): AsyncGenerator<Uint8Array> {
  const source = (async function* () {
    yield* input;
  })();
  let first = await source.next();
  while (!first.done && first.value.length < 4) {
    // Tiny first chunks: gather enough to see the magic bytes.
    const next = await source.next();
    if (next.done) break;
    first = { done: false, value: concat(first.value, next.value) };
  }
  if (first.done) return;
  const rest: AsyncIterable<Uint8Array> = {
    [Symbol.asyncIterator]: () => {
      let sentFirst = false;
      return {
        next: async () => {
          if (!sentFirst) {
            sentFirst = true;
            return { done: false, value: first.value as Uint8Array };
          }
          return source.next();
        },
      };
    },
  };
  const kind = detectCompression(first.value);
  options.onDetect?.(kind);
  const limit = options.limit ?? DEFAULT_EXPANSION;
  if (kind === 'none') {
    // A plain file over the limit is refused before any of it is read further (its size is known).
    if (limit.compressedBytes !== undefined && limit.compressedBytes > limit.maxBytes) {
      throw new InputError('FILE_TOO_LARGE', `The file is ${limit.compressedBytes.toLocaleString('en')} bytes; the limit is ${limit.maxBytes.toLocaleString('en')} bytes of NEM12: refused.`);
    }
    yield* rest;
    return;
  }
  const allowed = Math.min(limit.maxBytes, limit.compressedBytes === undefined ? Infinity : limit.compressedBytes * limit.maxRatio);
  let produced = 0;
  for await (const chunk of kind === 'gzip' ? gunzip(rest) : unzipSingle(rest)) {
    produced += chunk.length;
    if (produced > allowed) {
      throw new InputError(
        'DECOMPRESSED_TOO_LARGE',
        `The ${kind} expands to more than ${allowed.toLocaleString('en')} bytes (the limit is ${limit.maxBytes.toLocaleString('en')} bytes, and ${limit.maxRatio} times the compressed size): refused.`,
      );
    }
    yield chunk;
  }
}

async function* unzipSingle(input: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const out: Uint8Array[] = [];
  const files: string[] = [];
  let failure: Error | null = null;
  const unzip = new Unzip((file: UnzipFile) => {
    if (file.name.endsWith('/')) return; // a folder entry
    files.push(file.name);
    if (files.length > 1) return;
    file.ondata = (error, data) => {
      if (error) failure = error;
      else if (data.length > 0) out.push(data);
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  const push = (chunk: Uint8Array, final: boolean) => {
    try {
      unzip.push(chunk, final);
    } catch (error) {
      failure = error as Error;
    }
    if (failure) throw new InputError('CORRUPT_ARCHIVE', `The zip archive is corrupt: ${failure.message}.`);
  };
  for await (const chunk of input) {
    push(chunk, false);
    yield* out.splice(0);
  }
  push(new Uint8Array(0), true);
  yield* out.splice(0);
  if (files.length !== 1) {
    throw new InputError('ZIP_NOT_ONE_FILE', `The zip archive holds ${files.length} files (${files.slice(0, 5).join(', ')}); it must hold exactly one NEM12 file.`);
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}
