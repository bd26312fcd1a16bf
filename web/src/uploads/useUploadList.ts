import { collection, limit, onSnapshot, orderBy, query, where } from 'firebase/firestore';
import { useCallback, useEffect, useState } from 'react';
import { STATUS_COLLECTION } from '../../../functions/src/status/statusDocument';
import { db } from '../firestore';
import { listErrorMessage } from './listErrors';
import { uploadFromData, type Upload } from './model';
import type { UploadFeed } from './UploadList';

export const PAGE_SIZE = 20;

interface Snapshot {
  key: string;
  uploads: Upload[];
  error: string | null;
}

/**
 * The organisation's uploads, newest first, live (onSnapshot), `limit` at a time: "Show more" raises
 * the limit by PAGE_SIZE, re-subscribing; what was shown stays until the larger page arrives.
 */
export function useUploadList(org: string): UploadFeed {
  const [count, setCount] = useState(PAGE_SIZE);
  const [attempt, setAttempt] = useState(0);
  const [snapshot, setSnapshot] = useState<Snapshot | null>(null);
  const key = `${org}:${count}:${attempt}`;

  useEffect(() => {
    const uploads = query(collection(db, STATUS_COLLECTION), where('org', '==', org), orderBy('createdAt', 'desc'), limit(count));
    return onSnapshot(
      uploads,
      (result) =>
        setSnapshot({
          key,
          uploads: result.docs.map((doc) => uploadFromData(doc.id, doc.data({ serverTimestamps: 'estimate' }))),
          error: null,
        }),
      (error) => setSnapshot((previous) => ({ key, uploads: previous?.uploads ?? [], error: listErrorMessage(error) })),
    );
  }, [org, count, key]);

  const onShowMore = useCallback(() => setCount((n) => n + PAGE_SIZE), []);
  const onRetry = useCallback(() => setAttempt((n) => n + 1), []);

  const current = snapshot !== null && snapshot.key === key;
  const uploads = snapshot?.uploads ?? [];
  // Nothing yet, or trying again after an error: loading. A larger page on its way: loading more.
  const state = snapshot === null ? 'loading' : snapshot.error !== null ? (current ? 'error' : 'loading') : 'ready';
  const loadingMore = state === 'ready' && !current;
  return {
    state,
    uploads,
    error: current ? snapshot.error : null,
    hasMore: state === 'ready' && (loadingMore || uploads.length >= count),
    loadingMore,
    onShowMore,
    onRetry,
  };
}
