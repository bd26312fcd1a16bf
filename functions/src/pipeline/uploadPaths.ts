/**
 * Where uploads go in the bucket: `uploads/{org}/{uid}/{file}`. Shared by the functions, the CLI
 * and the web page (imports nothing: the page bundles it). storage.rules hold the same shape.
 */
export const UPLOADS_PREFIX = 'uploads/';

/** storage.rules: `request.resource.size < 1024 * 1024 * 1024`. */
export const MAX_UPLOAD_BYTES = 1024 * 1024 * 1024;

export function uploadPathOf(org: string, uid: string, fileName: string): string {
  return `${UPLOADS_PREFIX}${org}/${uid}/${fileName}`;
}
