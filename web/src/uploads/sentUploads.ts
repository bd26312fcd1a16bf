import type { Upload } from './model';

/**
 * A file this page sent whose status document has not come yet (the trigger writes it within
 * seconds, normally): shown in the list at once, as sent and waiting for the pipeline. Pure.
 */
export interface SentUpload {
  key: string;
  /** The object path the page uploaded to: what the status document's `path` says. */
  path: string;
  /** Storage's generation of that object, when known: the document of exactly this send. */
  generation: string | null;
  fileName: string;
  bytes: number;
  sentAt: Date;
  /** Without a generation: documents of the same path already there when it was sent (earlier sends of the name). */
  before: string[];
  /** No status document within the wait: the pipeline may have missed it. */
  overdue: boolean;
}

/** How long a sent file may wait for its status document before the page says so. */
export const STATUS_WAIT_MS = 3 * 60_000;

/** Is `upload` the status document of `sent`? Same path, and the same object (generation) or a new document. */
export function isStatusOf(sent: SentUpload, upload: Pick<Upload, 'id' | 'path' | 'generation'>): boolean {
  if (upload.path !== sent.path) return false;
  return sent.generation !== null && upload.generation !== '' ? upload.generation === sent.generation : !sent.before.includes(upload.id);
}
