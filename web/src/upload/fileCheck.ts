import { Gunzip } from 'fflate';
import type { Nem12Issue } from 'nem12';
import { decompressWith, expansionOf, InputError, UPLOAD_MAX_DECOMPRESSED_GB } from '../../../functions/src/source/archive';
import { inspectBytes } from '../../../functions/src/source/inspectBytes';
import type { Issues } from '../uploads/model';

/**
 * What the page says of a file before it sends it: the inspection `nem12 check` makes (the same
 * parser, decompression by content and limits: functions/src/source), in the browser. No DOM: it
 * runs in a Web Worker (checkWorker.ts) and, in tests, as it is.
 */
export interface FileCheck {
  /** No error: the pipeline would load it. */
  ok: boolean;
  nmis: number;
  /** Calendar days with data. */
  days: number;
  readings: number;
  errors: Issues;
  warnings: Issues;
}

/** Reads `file` (plain, gzipped or zipped NEM12), reporting the compressed bytes read so far. */
export async function checkFile(file: Blob, onProgress: (read: number) => void = () => {}): Promise<FileCheck> {
  const nmis = new Set<string>();
  const dates = new Set<string>();
  const bytes = decompressWith(readBlob(file, onProgress), gunzip, { limit: expansionOf(file.size, UPLOAD_MAX_DECOMPRESSED_GB * 1024 ** 3) });
  const { ok, issues, info } = await inspectBytes(bytes, {
    onEvent: (event) => {
      if (event.type === 'channel') nmis.add(event.nmi);
      else if (event.type === 'day') dates.add(event.date);
    },
  });
  return {
    ok,
    nmis: nmis.size,
    days: dates.size,
    readings: info.readings,
    errors: listOf(issues.errors, issues.errorCount, issues.errorCodes),
    warnings: listOf(issues.warnings, issues.warningCount, issues.warningCodes),
  };
}

function listOf(items: Nem12Issue[], count: number, byCode: Record<string, number>): Issues {
  return { count, items: items.map(({ code, line, message }) => ({ code, line, message })), byCode: { ...byCode } };
}

/** Slices read one after the other: a large file is never held whole (Blob.slice works in workers and jsdom alike). */
const SLICE_BYTES = 1024 * 1024;

async function* readBlob(file: Blob, onProgress: (read: number) => void): AsyncGenerator<Uint8Array> {
  for (let read = 0; read < file.size; ) {
    const slice = new Uint8Array(await file.slice(read, read + SLICE_BYTES).arrayBuffer());
    if (slice.length === 0) return; // a Blob shorter than its size says
    read += slice.length;
    yield slice;
    onProgress(read);
  }
}

/** gzip in the browser: fflate's streaming inflate (the functions use Node's zlib for the same). */
async function* gunzip(input: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const out: Uint8Array[] = [];
  const inflate = new Gunzip((data) => {
    if (data.length > 0) out.push(data);
  });
  const push = (chunk: Uint8Array, final: boolean) => {
    try {
      inflate.push(chunk, final);
    } catch (error) {
      throw new InputError('CORRUPT_ARCHIVE', `The gzip data is corrupt: ${(error as Error).message}.`);
    }
  };
  for await (const chunk of input) {
    push(chunk, false);
    yield* out.splice(0);
  }
  push(new Uint8Array(0), true);
  yield* out.splice(0);
}
