import { MAX_UPLOAD_BYTES } from '../../../functions/src/pipeline/uploadPaths';
import { formatBytes, formatCount } from '../uploads/format';

export { MAX_UPLOAD_BYTES, uploadPathOf } from '../../../functions/src/pipeline/uploadPaths';

/**
 * Why a file is refused before it is sent, or null to send it. Empty objects are ignored by the
 * pipeline (they would never get a status), and the rules refuse 1 GB and more.
 */
export function refusalOf(file: Pick<File, 'size'>): string | null {
  if (file.size === 0) return 'EMPTY_FILE: the file is empty';
  if (file.size >= MAX_UPLOAD_BYTES) return `FILE_TOO_LARGE: the file is ${formatBytes(file.size)} (${formatCount(file.size)} bytes); the largest accepted is ${formatCount(MAX_UPLOAD_BYTES - 1)} bytes (just under 1 GB)`;
  return null;
}

/** Storage error codes, in words. Pure. */
export function sendErrorMessage(error: unknown): string {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  switch (code) {
    case 'storage/unauthorized':
      return "not allowed: you may only upload files under 1 GB into your own organisation's folder (storage/unauthorized)";
    case 'storage/unauthenticated':
      return 'you are signed out; sign in again (storage/unauthenticated)';
    case 'storage/canceled':
      return 'the upload was cancelled (storage/canceled)';
    case 'storage/quota-exceeded':
      return 'the storage quota is used up (storage/quota-exceeded)';
    case 'storage/retry-limit-exceeded':
      return 'the connection kept failing; try again (storage/retry-limit-exceeded)';
    default: {
      const message = error instanceof Error ? error.message : String(error);
      return typeof code === 'string' && !message.includes(code) ? `${message} (${code})` : message;
    }
  }
}
