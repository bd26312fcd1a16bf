import type { Readable, Writable } from 'node:stream';
import type { Storage } from 'firebase-admin/storage';
import { OUTPUT_METADATA_KEY } from './objects';

/** One version of an object: chunk tasks always read the generation that was split. */
export interface ObjectRef {
  bucket: string;
  name: string;
  generation: string;
}

function file(storage: Storage, ref: Pick<ObjectRef, 'bucket' | 'name'> & { generation?: string }) {
  return storage.bucket(ref.bucket).file(ref.name, ref.generation ? { generation: Number(ref.generation) } : {});
}

/** Bytes [start, end) of an object version, or all of it. */
export function readObject(storage: Storage, ref: ObjectRef, range?: { start: number; end: number }): Readable {
  // The client's `end` is inclusive.
  return file(storage, ref).createReadStream(range ? { start: range.start, end: range.end - 1, validation: false } : {});
}

/**
 * A write stream for an object the pipeline produces, marked so the trigger ignores it. No download
 * token: clients read it through storage.rules (members of its organisation), never by a bearer URL.
 */
export function writeOutput(storage: Storage, ref: Pick<ObjectRef, 'bucket' | 'name'>, kind: string, contentType: string, statusId: string): Writable {
  return file(storage, ref).createWriteStream({
    resumable: false,
    metadata: { contentType, metadata: { [OUTPUT_METADATA_KEY]: kind, statusId } },
  });
}

/** The generation of an object just written. */
export async function generationOf(storage: Storage, ref: Pick<ObjectRef, 'bucket' | 'name'>): Promise<string> {
  const [metadata] = await file(storage, ref).getMetadata();
  return String(metadata.generation);
}

export async function deleteObject(storage: Storage, ref: Pick<ObjectRef, 'bucket' | 'name'>): Promise<void> {
  await file(storage, ref).delete({ ignoreNotFound: true });
}

/** A missing object (deleted or replaced generation) cannot come back by retrying. */
export function isNotFound(error: unknown): boolean {
  return (error as { code?: number }).code === 404;
}
