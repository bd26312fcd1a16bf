import type { Readable, Writable } from 'node:stream';
import type { Storage } from 'firebase-admin/storage';
import { pipeline } from 'node:stream/promises';
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
    metadata: outputMetadata(kind, contentType, statusId),
  });
}

/** The generation of an object just written. */
export async function generationOf(storage: Storage, ref: Pick<ObjectRef, 'bucket' | 'name'>): Promise<string> {
  const [metadata] = await file(storage, ref).getMetadata();
  return String(metadata.generation);
}

/** Objects the pipeline writes carry what they are and whose upload made them (the trigger skips them). */
const outputMetadata = (kind: string, contentType: string, statusId: string) => ({ contentType, metadata: { [OUTPUT_METADATA_KEY]: kind, statusId } });

/** GCS composes at most 32 objects per request. */
const COMPOSE_MAX = 32;

/**
 * `destination` = the objects `sources` joined in order, composed in Storage (no bytes pass through
 * the function). More than 32 are composed as a tree of intermediate objects named after their
 * inputs, so two tasks composing at once write the same bytes. The Storage emulator has no compose:
 * there the bytes are streamed through instead (the only path the local tests can exercise).
 */
export async function composeObjects(
  storage: Storage,
  bucket: string,
  sources: string[],
  destination: { name: string; kind: string; contentType: string; statusId: string; intermediate: (level: number, index: number) => string },
): Promise<void> {
  if (process.env.FIREBASE_STORAGE_EMULATOR_HOST) {
    const out = writeOutput(storage, { bucket, name: destination.name }, destination.kind, destination.contentType, destination.statusId);
    async function* bytes() {
      for (const name of sources) yield* file(storage, { bucket, name }).createReadStream();
    }
    await pipeline(bytes(), out);
    return;
  }
  let level = 0;
  let names = sources;
  while (names.length > COMPOSE_MAX) {
    const groups: string[] = [];
    for (let i = 0; i < names.length; i += COMPOSE_MAX) {
      const name = destination.intermediate(level, i / COMPOSE_MAX);
      await compose(storage, bucket, names.slice(i, i + COMPOSE_MAX), name, outputMetadata('tmp', destination.contentType, destination.statusId));
      groups.push(name);
    }
    names = groups;
    level++;
  }
  await compose(storage, bucket, names, destination.name, outputMetadata(destination.kind, destination.contentType, destination.statusId));
}

/** One compose request (the client library's combine() drops custom metadata, so it is made here). */
async function compose(storage: Storage, bucket: string, sources: string[], name: string, metadata: object): Promise<void> {
  await new Promise<void>((done, fail) => {
    file(storage, { bucket, name }).request(
      { method: 'POST', uri: '/compose', json: { destination: metadata, sourceObjects: sources.map((source) => ({ name: source })) } },
      (error) => (error ? fail(error) : done()),
    );
  });
}

/** Every object under `prefix` (an upload's temporary objects); one another task deleted first is no failure. */
export async function deletePrefix(storage: Storage, bucket: string, prefix: string): Promise<void> {
  const [files] = await storage.bucket(bucket).getFiles({ prefix });
  await Promise.all(files.map((found) => found.delete({ ignoreNotFound: true })));
}


/** A missing object (deleted or replaced generation) cannot come back by retrying. */
export function isNotFound(error: unknown): boolean {
  return (error as { code?: number }).code === 404;
}
