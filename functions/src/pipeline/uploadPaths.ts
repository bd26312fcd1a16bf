/**
 * Where uploads go in the bucket: `uploads/{org}/{uid}/{file}`. Shared by the functions, the CLI
 * and the web page (imports nothing: the page bundles it). storage.rules hold the same shape.
 */
export const UPLOADS_PREFIX = 'uploads/';
/**
 * Where the pipeline writes what it makes of an upload (its Flo SQL file): `outputs/{org}/{uid}/...`,
 * beside no client's writes (storage.rules let members read it, nobody write it).
 */
export const OUTPUTS_PREFIX = 'outputs/';

/** storage.rules: `request.resource.size < 1024 * 1024 * 1024`. */
export const MAX_UPLOAD_BYTES = 1024 * 1024 * 1024;

export function uploadPathOf(org: string, uid: string, fileName: string): string {
  return `${UPLOADS_PREFIX}${org}/${uid}/${fileName}`;
}
