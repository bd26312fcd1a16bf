import { createHash } from 'node:crypto';
import { isOrgId } from '../orgs/orgIds';
import { OUTPUTS_PREFIX, UPLOADS_PREFIX } from './uploadPaths';

export { OUTPUTS_PREFIX, UPLOADS_PREFIX, uploadPathOf } from './uploadPaths';

/**
 * Where things live in the bucket, and which objects the pipeline handles. Pure: the trigger's
 * guards are a predicate that says why it skips, tested without any emulator.
 */
export const TMP_PREFIX = 'tmp/';
export const FLO_SQL_SUFFIX = '.flo.sql.gz';
/** Custom metadata on every object the pipeline writes (what it is, for an operator; the trigger never reads metadata). */
export const OUTPUT_METADATA_KEY = 'nem12Output';

export interface StorageObject {
  bucket: string;
  name: string;
  generation: string;
  size: number;
  metadata?: Record<string, string> | null;
}

export type Admission = { accept: true; org: string; uploader: string } | { accept: false; reason: string };

/**
 * Should the pipeline load this object, and whose is it? Only `uploads/{org}/{uid}/{file}` is
 * loaded: the organisation comes from the path alone (storage.rules let a member write only under
 * their own organisation and uid), never from metadata a client wrote. The pipeline writes nothing
 * there (its outputs are under outputs/, its temporary objects under tmp/): every object under
 * uploads/ is someone's upload, whatever its name or metadata say.
 */
export function admit(object: StorageObject): Admission {
  if (!object.name.startsWith(UPLOADS_PREFIX)) return { accept: false, reason: `outside ${UPLOADS_PREFIX}` };
  if (object.name.endsWith('/')) return { accept: false, reason: 'folder placeholder' };
  const [org, uploader, ...rest] = object.name.slice(UPLOADS_PREFIX.length).split('/');
  if (rest.length === 0 || uploader === '') return { accept: false, reason: `not under ${UPLOADS_PREFIX}{organisation}/{user}/` };
  if (!isOrgId(org)) return { accept: false, reason: 'the folder after uploads/ is not an organisation id' };
  if (object.size === 0) return { accept: false, reason: 'empty object' };
  return { accept: true, org, uploader };
}

/**
 * A stable id per delivery of a file: the same bucket, name and generation always give the same id,
 * so a redelivered event finds its upload; a new upload of the same name is a new generation.
 */
export function statusIdOf(object: Pick<StorageObject, 'bucket' | 'name' | 'generation'>): string {
  return createHash('sha256').update(sourceKeyOf(object)).digest('hex').slice(0, 32);
}

export function sourceKeyOf(object: Pick<StorageObject, 'bucket' | 'name' | 'generation'>): string {
  return `gs://${object.bucket}/${object.name}#${object.generation}`;
}

/** Task ids allow [A-Za-z0-9_-]: derived from the upload, so re-enqueueing is harmless. */
export function taskIdOf(statusId: string, kind: 'chunk' | 'sql' | 'publish', chunk?: number): string {
  return chunk === undefined ? `${statusId}-${kind}` : `${statusId}-${kind}-${chunk}`;
}

/** The Flo SQL file of `uploads/{org}/{uid}/{file}`: `outputs/{org}/{uid}/{file}.{id}.flo.sql.gz`. */
export function floSqlPathOf(uploadName: string, statusId: string): string {
  return `${OUTPUTS_PREFIX}${uploadName.slice(UPLOADS_PREFIX.length)}.${statusId.slice(0, 8)}${FLO_SQL_SUFFIX}`;
}

/** Where an upload's temporary objects are; all of them are removed when it is done. */
export function tmpPrefixOf(statusId: string): string {
  return `${TMP_PREFIX}${statusId}/`;
}

/** Decompressed copy of a zipped or gzipped upload, read by the chunk tasks. */
export function tmpDataPathOf(statusId: string): string {
  return `${tmpPrefixOf(statusId)}data.nem12`;
}

/** A part of the Flo SQL file (a gzip member), or its head or tail, before they are composed. */
export function sqlPartPathOf(statusId: string, part: number | 'head' | 'tail' | `group-${number}-${number}`): string {
  return `${tmpPrefixOf(statusId)}sql/${typeof part === 'number' ? `part-${String(part).padStart(6, '0')}` : part}.gz`;
}
