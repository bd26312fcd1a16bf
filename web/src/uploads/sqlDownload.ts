import { getBlob, ref } from 'firebase/storage';
import { storage } from '../storage';

/**
 * Downloads the Flo SQL file through storage.rules (members of the organisation read its folder; the
 * file carries no download token) and saves it under the upload's own name.
 */
export async function downloadSql(path: string, saveAs: string): Promise<void> {
  const blob = await getBlob(ref(storage, path));
  const url = URL.createObjectURL(blob);
  try {
    const link = document.createElement('a');
    link.href = url;
    link.download = saveAs;
    document.body.append(link);
    link.click();
    link.remove();
  } finally {
    // The browser has the blob by the time click() returns; revoke on the next turn to be safe.
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }
}
