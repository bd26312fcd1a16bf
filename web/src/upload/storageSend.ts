import { ref, uploadBytesResumable } from 'firebase/storage';
import { storage } from '../storage';
import type { SendFile, StoredObject } from './useFileUploads';
import { uploadPathOf } from './validateFile';

/** Sends files to `uploads/{org}/{uid}/{name}`: where the pipeline's trigger looks (the path says whose). */
export function storageSender(org: string, uid: string): SendFile {
  return (file, onProgress, signal) =>
    new Promise<StoredObject>((resolve, reject) => {
      const task = uploadBytesResumable(ref(storage, uploadPathOf(org, uid, file.name)), file);
      signal.addEventListener('abort', () => task.cancel(), { once: true });
      task.on('state_changed', (snapshot) => onProgress(snapshot.bytesTransferred, snapshot.totalBytes), reject, () =>
        resolve({ path: task.snapshot.ref.fullPath, generation: task.snapshot.metadata.generation ?? null }),
      );
    });
}
