import type { Upload, UploadState } from './model';

/** For the list's aria-live region: what changed since the last snapshot. Pure. */
export type StatusMap = ReadonlyMap<string, UploadState>;

export function statusMapOf(uploads: readonly Upload[]): StatusMap {
  return new Map(uploads.map((upload) => [upload.id, upload.status]));
}

export function sameStatuses(a: StatusMap, b: StatusMap): boolean {
  if (a.size !== b.size) return false;
  for (const [id, status] of a) if (b.get(id) !== status) return false;
  return true;
}

/** "a.csv is now done. b.csv is now loading." for uploads already seen whose status moved. */
export function statusChanges(before: StatusMap, uploads: readonly Upload[]): string {
  return uploads
    .filter((upload) => before.has(upload.id) && before.get(upload.id) !== upload.status)
    .map((upload) => `${upload.fileName} is now ${upload.status}.`)
    .join(' ');
}

/** Uploads that reached done since `before`: done now, and not done (or not there) then. */
export function newlyDone(before: StatusMap, uploads: readonly Upload[]): Upload[] {
  return uploads.filter((upload) => upload.status === 'done' && before.get(upload.id) !== 'done');
}
