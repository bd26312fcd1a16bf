import { getDownloadURL, ref } from 'firebase/storage';
import { storage } from '../storage';

/** The Flo SQL file's download URL (storage.rules: the owner reads their own folder). */
export const sqlDownloadUrl = (path: string): Promise<string> => getDownloadURL(ref(storage, path));
