import { FieldValue, type DocumentReference, type Firestore } from 'firebase-admin/firestore';
import { logs } from '../logs';
import { STATUS_COLLECTION, type UploadState } from '../status/statusDocument';
import type { UploadStatus } from '../status/uploadStatus';
import { TRANSITIONS, type Transition } from './transitions';

/**
 * The status document side of the upload lifecycle: `uploads/{statusId}`, what the web page and
 * `nem12 upload --wait` watch, the projection of the row. Every write is a transaction that moves
 * only as TRANSITIONS allows (terminal states never move); counts are absolute values from the
 * ledger, so a retried task cannot double-count. Nothing else writes these documents.
 */
export function statusRef(firestore: Firestore, statusId: string): DocumentReference {
  return firestore.collection(STATUS_COLLECTION).doc(statusId);
}

/** create: the document as pending, unless a (redelivered) event already made it. */
export async function createDocument(firestore: Firestore, statusId: string, fields: Pick<UploadStatus, 'fileName' | 'path' | 'bucket' | 'generation' | 'org' | 'owner' | 'bytes'>): Promise<boolean> {
  const doc: UploadStatus = {
    ...fields,
    status: TRANSITIONS.create.to,
    chunks: { total: 0, done: 0 },
    readings: { total: 0, loaded: 0, new: 0, updated: 0, unchanged: 0 },
    warnings: { count: 0, items: [] },
    errors: { count: 0, items: [] },
    summary: null,
    sqlPath: null,
    createdAt: FieldValue.serverTimestamp(),
    updatedAt: FieldValue.serverTimestamp(),
  };
  try {
    await statusRef(firestore, statusId).create(doc);
    return true;
  } catch (error) {
    if ((error as { code?: number }).code !== 6) throw error; // 6 = ALREADY_EXISTS
    return false;
  }
}

/** Applies `transition` to the document with `patch`, if it is allowed from where the document is. Returns whether it moved. */
export async function advanceDocument(firestore: Firestore, statusId: string, transition: Transition, patch: Record<string, unknown> = {}): Promise<boolean> {
  const ref = statusRef(firestore, statusId);
  const { from, to } = TRANSITIONS[transition];
  const moved = await firestore.runTransaction(async (tx) => {
    const current = (await tx.get(ref)).data() as UploadStatus | undefined;
    if (current === undefined || !(from as readonly UploadState[]).includes(current.status)) return null;
    const now = FieldValue.serverTimestamp();
    const stamp = to === 'loading' ? { loadingAt: now } : to === 'publishing' ? { publishingAt: now } : to === 'done' || to === 'failed' ? { finishedAt: now } : {};
    tx.update(ref, { ...patch, ...stamp, status: to, updatedAt: now });
    const since = (current.updatedAt as unknown as { toMillis?: () => number } | undefined)?.toMillis?.();
    return { from: current.status, ms: since === undefined ? null : Date.now() - since, readings: current.readings?.total ?? 0, chunks: current.chunks?.total ?? 0 };
  });
  // One structured line per transition (after the commit: a retried transaction logs once).
  if (moved !== null) logs.statusMoved({ statusId, transition, ...moved, to, readings: Number(patch['readings.total'] ?? moved.readings), chunks: Number(patch['chunks.total'] ?? moved.chunks) });
  return moved !== null;
}

/** Progress while loading: only forwards (concurrent tasks may report out of order). */
export async function progressDocument(firestore: Firestore, statusId: string, progress: { chunksDone: number; readingsLoaded: number }): Promise<void> {
  const ref = statusRef(firestore, statusId);
  await firestore.runTransaction(async (tx) => {
    const current = (await tx.get(ref)).data() as UploadStatus | undefined;
    if (current === undefined || current.status !== 'loading') return;
    if (progress.chunksDone <= current.chunks.done && progress.readingsLoaded <= current.readings.loaded) return;
    tx.update(ref, {
      'chunks.done': Math.max(progress.chunksDone, current.chunks.done),
      'readings.loaded': Math.max(progress.readingsLoaded, current.readings.loaded),
      updatedAt: FieldValue.serverTimestamp(),
    });
  });
}
