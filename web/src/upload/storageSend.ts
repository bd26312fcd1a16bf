import { ref, uploadBytesResumable } from 'firebase/storage';
import { storage } from '../storage';
import type { SendFile } from './useFileUploads';
import { uploadPathOf } from './validateFile';

/** Sends files to `uploads/{org}/{uid}/{name}`: where the pipeline's trigger looks (the path says whose). */
export function storageSender(org: string, uid: string): SendFile {
  return (file, onProgress, signal) =>
    new Promise<void>((resolve, reject) => {
      const task = uploadBytesResumable(ref(storage, uploadPathOf(org, uid, file.name)), file);
      signal.addEventListener('abort', () => task.cancel(), { once: true });
      task.on('state_changed', (snapshot) => onProgress(snapshot.bytesTransferred, snapshot.totalBytes), reject, () => resolve());
    });
}
