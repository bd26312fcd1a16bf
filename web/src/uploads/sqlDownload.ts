import { getBlob, getMetadata, ref } from 'firebase/storage';
import { saveBlob } from '../download';
import { storage } from '../storage';

/**
 * Downloads the Flo SQL file through storage.rules (members of the organisation read its folder; the
 * file carries no download token) and saves it under the upload's own name.
 */
export async function downloadSql(path: string, saveAs: string): Promise<void> {
  saveBlob(await getBlob(ref(storage, path)), saveAs);
}

/** The file's size in bytes (its metadata, through the same rules). */
export async function sqlSize(path: string): Promise<number> {
  return (await getMetadata(ref(storage, path))).size;
}
