import { useCallback, useEffect, useState } from 'react';
import { ApiRequestError, type ApiGet } from '../apiClient';
import type { ChannelStats, NmiListing, Reading, ReadingsPage, Selection } from './explorerModel';

/**
 * The explorer's data from the readings API. Each hook keys what it holds by its request, so a new
 * request shows "loading" at once (with the previous answer, to show dimmed meanwhile) and a late
 * answer to an old one is dropped (and aborted).
 */
export type Resource<T> = { state: 'loading'; previous?: T } | { state: 'ready'; data: T } | { state: 'error'; error: string };

const messageOf = (error: unknown) => (error instanceof ApiRequestError ? error.message : 'Something went wrong; try again.');
const aborted = (error: unknown) => (error as Error).name === 'AbortError';

interface Held<T> {
  key: string;
  result: Resource<T>;
}

function useKeyedRequest<T>(key: string | null, load: (signal: AbortSignal) => Promise<T>): Resource<T> & { retry(): void } {
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

/** The user's NMIs containing `search` (any case); "more" pages on with the API's cursor. */
export function useNmiList(get: ApiGet, search: string): Resource<NmiListing> & { retry(): void; more(): void; loadingMore: boolean } {
  const [pages, setPages] = useState<{ search: string; extra: NmiListing['nmis']; cursor: string | null; loading: boolean } | null>(null);
  const first = useKeyedRequest(`nmis:${search}`, (signal) => get<NmiListing>('/nmis', { search }, signal));
  const extra = pages?.search === search ? pages : null;
  const cursor = extra ? extra.cursor : first.state === 'ready' ? first.data.nextCursor : null;
  const more = useCallback(() => {
    if (cursor === null) return;
    setPages((held) => ({ search, extra: held?.search === search ? held.extra : [], cursor, loading: true }));
    get<NmiListing>('/nmis', { search, cursor }).then(
      (page) => setPages((held) => ({ search, extra: [...(held?.search === search ? held.extra : []), ...page.nmis], cursor: page.nextCursor, loading: false })),
      () => setPages((held) => (held === null ? null : { ...held, loading: false })),
    );
  }, [get, search, cursor]);
  if (first.state !== 'ready') return { ...first, more, loadingMore: false };
  return {
    state: 'ready',
    data: { nmis: [...first.data.nmis, ...(extra?.extra ?? [])], nextCursor: cursor, recent: first.data.recent },
    retry: first.retry,
    more,
    loadingMore: extra?.loading ?? false,
  };
}

export function useStats(get: ApiGet, selection: Selection | null): Resource<ChannelStats> & { retry(): void } {
  const key = selection && JSON.stringify(selection);
  return useKeyedRequest(key, (signal) => get<ChannelStats>('/stats', { ...selection! }, signal));
}

export const READINGS_PAGE = 2000;

export interface ReadingRows {
  state: 'loading' | 'ready' | 'error';
  /** While loading: the previous selection's first rows (shown dimmed), if any. */
  rows: Reading[];
  error: string | null;
  hasMore: boolean;
  loadingMore: boolean;
  loadMore(): void;
  retry(): void;
}

/** The selection's readings, a page at a time (keyset cursor), for the virtualised table. */
export function useReadingRows(get: ApiGet, selection: Selection | null): ReadingRows {
  const range = selection && { nmi: selection.nmi, suffix: selection.suffix, from: selection.from, to: selection.to };
  const key = range && JSON.stringify(range);
  const first = useKeyedRequest(key, (signal) => get<ReadingsPage>('/readings', { ...range!, limit: READINGS_PAGE }, signal));
  const [later, setLater] = useState<{ key: string; rows: Reading[]; cursor: string | null; loading: boolean; error: string | null } | null>(null);
  const own = later !== null && later.key === key ? later : null;
  const cursor = own ? own.cursor : first.state === 'ready' ? first.data.nextCursor : null;
  const loading = own?.loading ?? false;
  const loadMore = useCallback(() => {
    if (cursor === null || loading || key === null) return;
    const rowsSoFar = own?.rows ?? [];
    setLater({ key, rows: rowsSoFar, cursor, loading: true, error: null });
    get<ReadingsPage>('/readings', { ...range!, limit: READINGS_PAGE, cursor }).then(
      (page) => setLater((held) => (held?.key === key ? { key, rows: [...held.rows, ...page.readings], cursor: page.nextCursor, loading: false, error: null } : held)),
      (error: unknown) => setLater((held) => (held?.key === key ? { ...held, loading: false, error: messageOf(error) } : held)),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [get, key, cursor, loading]);
  if (first.state !== 'ready') {
    const previous = first.state === 'loading' ? (first.previous?.readings ?? []) : [];
    return { state: first.state, rows: previous, error: first.state === 'error' ? first.error : null, hasMore: false, loadingMore: false, loadMore, retry: first.retry };
  }
  return {
    state: 'ready',
    rows: own ? [...first.data.readings, ...own.rows] : first.data.readings,
    error: own?.error ?? null,
    hasMore: cursor !== null,
    loadingMore: loading,
    loadMore,
    retry: first.retry,
  };
}
