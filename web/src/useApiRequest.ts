import { useCallback, useEffect, useState } from 'react';
import { ApiRequestError } from './apiClient';

/**
 * Requests to the API keyed by what they ask for, shared by the explorer and the completeness view.
 * A new key shows "loading" at once (with the previous answer, to show dimmed meanwhile) and a late
 * answer to an old key is dropped (and aborted).
 */
export type Resource<T> = { state: 'loading'; previous?: T } | { state: 'ready'; data: T } | { state: 'error'; error: string };

export const messageOf = (error: unknown) => (error instanceof ApiRequestError ? error.message : 'Something went wrong; try again.');
const aborted = (error: unknown) => (error as Error).name === 'AbortError';

interface Held<T> {
  key: string;
  result: Resource<T>;
}

/** `load` once per key (none while the key is null); `retry` asks again for the same key. */
export function useKeyedRequest<T>(key: string | null, load: (signal: AbortSignal) => Promise<T>): Resource<T> & { retry(): void } {
  const [attempt, setAttempt] = useState(0);
  const [held, setHeld] = useState<Held<T> | null>(null);
  const [shown, setShown] = useState<T | undefined>(undefined);
  const fullKey = key === null ? null : `${key}#${attempt}`;
  useEffect(() => {
    if (fullKey === null) return;
    const controller = new AbortController();
    load(controller.signal).then(
      (data) => {
        setHeld({ key: fullKey, result: { state: 'ready', data } });
        setShown(data);
      },
      (error: unknown) => {
        if (!aborted(error)) setHeld({ key: fullKey, result: { state: 'error', error: messageOf(error) } });
      },
    );
    return () => controller.abort();
    // `load` is derived from the key: the key alone says when to fetch again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [fullKey]);
  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  const result: Resource<T> = held !== null && held.key === fullKey ? held.result : { state: 'loading', previous: shown };
  return { ...result, retry };
}

/** A list the API gives a page at a time (keyset cursor), grown by `loadMore`. */
export interface PagedRows<R> {
  state: 'loading' | 'ready' | 'error';
  /** While loading: the previous key's first rows (shown dimmed), if any. */
  rows: R[];
  error: string | null;
  hasMore: boolean;
  loadingMore: boolean;
  loadMore(): void;
  retry(): void;
}

/**
 * The first page of `key` (as useKeyedRequest), then the next ones on `loadMore`, each asked with
 * the cursor the previous one gave; `first` is the first page's own answer (its totals).
 */
export function useCursorPages<P extends { nextCursor: string | null }, R>(
  key: string | null,
  load: (cursor: string | undefined, signal?: AbortSignal) => Promise<P>,
  rowsOf: (page: P) => R[],
): PagedRows<R> & { first: P | null } {
  const first = useKeyedRequest(key, (signal) => load(undefined, signal));
  const [later, setLater] = useState<{ key: string; rows: R[]; cursor: string | null; loading: boolean; error: string | null } | null>(null);
  const own = later !== null && later.key === key ? later : null;
  const cursor = own ? own.cursor : first.state === 'ready' ? first.data.nextCursor : null;
  const loading = own?.loading ?? false;
  const loadMore = useCallback(() => {
    if (cursor === null || loading || key === null) return;
    setLater({ key, rows: own?.rows ?? [], cursor, loading: true, error: null });
    load(cursor).then(
      (page) => setLater((held) => (held?.key === key ? { key, rows: [...held.rows, ...rowsOf(page)], cursor: page.nextCursor, loading: false, error: null } : held)),
      (error: unknown) => setLater((held) => (held?.key === key ? { ...held, loading: false, error: messageOf(error) } : held)),
    );
    // `load` and `rowsOf` are derived from the key, as above.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, cursor, loading]);
  if (first.state !== 'ready') {
    const previous = first.state === 'loading' && first.previous ? rowsOf(first.previous) : [];
    return { state: first.state, rows: previous, error: first.state === 'error' ? first.error : null, hasMore: false, loadingMore: false, loadMore, retry: first.retry, first: null };
  }
  return {
    state: 'ready',
    rows: own ? [...rowsOf(first.data), ...own.rows] : rowsOf(first.data),
    error: own?.error ?? null,
    hasMore: cursor !== null,
    loadingMore: loading,
    loadMore,
    retry: first.retry,
    first: first.data,
  };
}
