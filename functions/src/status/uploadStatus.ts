import { FieldValue, type DocumentReference, type Firestore } from 'firebase-admin/firestore';
import type { FileSummary } from '../nem12';
import { logs } from '../logs';
import { TRANSITIONS, type StatusSummary, type Transition, type UploadState, type UploadStatusDocument } from './statusDocument';

/**
 * The status document of an upload, `uploads/{statusId}`: what the web page and `nem12 upload --wait`
 * watch. Its status is a state machine; every change is a transaction, terminal states never move,
 * and counts are absolute values from the database ledger, so a retried task cannot double-count.
 */
export type { StatusIssue, StatusSummary, Transition, UploadState } from './statusDocument';


/** As written by the functions: timestamps are server timestamps (or Dates). */
export type UploadStatus = UploadStatusDocument<FieldValue | Date>;

const MAX_CHANNELS = 200;

export function statusSummary(summary: FileSummary): StatusSummary {
  return {
    readings: summary.readings,
    quality: summary.quality,
    firstDate: summary.firstDate,
    lastDate: summary.lastDate,
    channelCount: summary.channels.length,
    channels: summary.channels.slice(0, MAX_CHANNELS).map((channel) => ({ ...channel, missingDays: channel.missingDays.map(([from, to]) => ({ from, to })) })),
    missingDays: summary.channels.reduce((sum, c) => sum + c.missingDayCount, 0),
    emptyIntervals: summary.channels.reduce((sum, c) => sum + c.emptyIntervals, 0),
  };
}

export function statusRef(firestore: Firestore, statusId: string): DocumentReference {
  return firestore.collection('uploads').doc(statusId);
}

/** Creates the document as pending, unless a (redelivered) event already did. */
export async function createStatus(firestore: Firestore, statusId: string, fields: Pick<UploadStatus, 'fileName' | 'path' | 'bucket' | 'generation' | 'org' | 'owner' | 'bytes'>): Promise<void> {
  const doc: UploadStatus = {
    ...fields,
    status: 'pending',
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
  } catch (error) {
    if ((error as { code?: number }).code !== 6) throw error; // 6 = ALREADY_EXISTS
  }
}

/**
 * Applies `transition` to the document with `patch`, if it is allowed from where the document is
 * (pipeline/lifecycle.ts is the only caller). Returns false (and changes nothing) otherwise.
 */
export async function advanceStatus(firestore: Firestore, statusId: string, transition: Transition, patch: Record<string, unknown> = {}): Promise<boolean> {
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
export async function reportProgress(firestore: Firestore, statusId: string, progress: { chunksDone: number; readingsLoaded: number }): Promise<void> {
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
