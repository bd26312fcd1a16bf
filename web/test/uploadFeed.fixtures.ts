import { useSyncExternalStore } from 'react';
import type { Upload } from '../src/uploads/model';
import type { UploadFeed } from '../src/uploads/UploadList';

/**
 * The uploads list's live query, stood in for (Firestore's listener is not what these tests check):
 * a test moves the organisation's uploads with `feed.set`. Used as
 * `vi.mock('../src/uploads/useUploadList', () => import('./uploadFeed.fixtures'))`.
 */
const listeners = new Set<() => void>();

export const feed = {
  current: { state: 'ready', uploads: [], error: null, hasMore: false, loadingMore: false, onShowMore: () => {} } as UploadFeed,
  subscribe(listener: () => void) {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  set(uploads: Upload[]) {
    feed.current = { ...feed.current, uploads };
    listeners.forEach((listener) => listener());
  },
};

export const useUploadList = (_org: string) => useSyncExternalStore(feed.subscribe, () => feed.current);
