import { ref, uploadBytesResumable } from 'firebase/storage';
import { storage } from '../storage';
import type { SendFile } from './useFileUploads';
import { uploadPathOf } from './validateFile';

/** Sends files to `uploads/{uid}/{name}`, owned by uid: where the pipeline's trigger looks. */
export function storageSender(uid: string): SendFile {
  return (file, onProgress) =>
    new Promise<void>((resolve, reject) => {
      const task = uploadBytesResumable(ref(storage, uploadPathOf(uid, file.name)), file, { customMetadata: { owner: uid } });
      task.on('state_changed', (snapshot) => onProgress(snapshot.bytesTransferred, snapshot.totalBytes), reject, () => resolve());
    });
}
