import { useEffect, useState } from 'react';
import type { ApiGet } from '../apiClient';
import { useCursorPages, useKeyedRequest, type PagedRows, type Resource } from '../useApiRequest';
import type { ChannelStats, NmiEntry, NmiListing, Reading, ReadingsPage, Selection } from './explorerModel';

/** The explorer's data from the readings API, each request keyed by what it asks (useApiRequest.ts). */
export type { Resource };

/** How many NMIs a search shows: enough to pick from, never the whole organisation (100,000 NMIs). */
export const NMI_SEARCH_LIMIT = 20;
/** Typing waits this long for the next key before asking the API. */
export const NMI_SEARCH_DEBOUNCE_MS = 250;

/**
 * The first NMI_SEARCH_LIMIT NMIs containing `search` (any case), asked once typing pauses; the
 * previous answer stays (as `previous`) while the next one loads. `version` moves when uploads are done.
 */
export function useNmiList(get: ApiGet, search: string, version = 0, debounceMs = NMI_SEARCH_DEBOUNCE_MS): Resource<NmiListing> & { retry(): void } {
  const settled = useDebounced(search, debounceMs);
  const listing = useKeyedRequest(`nmis:${settled}@${version}`, (signal) => get<NmiListing>('/nmis', { search: settled, limit: NMI_SEARCH_LIMIT }, signal));
  if (settled === search || listing.state === 'error') return listing;
  return { state: 'loading', previous: listing.state === 'ready' ? listing.data : listing.previous, retry: listing.retry };
}

/**
 * The selected NMI's own entry (its channels and their days), whatever the search shows: asked by
 * its whole name (the exact NMI comes first among those containing it: shorter ones first).
 */
export function useNmiEntry(get: ApiGet, nmi: string | null, version = 0): NmiEntry | null {
  const entry = useKeyedRequest(nmi && `entry:${nmi}@${version}`, async (signal) => {
    const found = await get<NmiListing>('/nmis', { search: nmi!, limit: 5 }, signal);
    return [...found.nmis, ...found.recent].find((candidate) => candidate.nmi === nmi) ?? null;
  });
  const known = entry.state === 'ready' ? entry.data : entry.state === 'loading' ? entry.previous : null;
  return known?.nmi === nmi ? known : null;
}

/** `value`, once it has stopped changing for `ms`. */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return ms <= 0 ? value : settled;
}

/** `version` moves when an upload that is done may have changed the figures. */
export function useStats(get: ApiGet, selection: Selection | null, version = 0): Resource<ChannelStats> & { retry(): void } {
  const key = selection && `${JSON.stringify(selection)}@${version}`;
  return useKeyedRequest(key, (signal) => get<ChannelStats>('/stats', { ...selection! }, signal));
}

export const READINGS_PAGE = 2000;

export type ReadingRows = PagedRows<Reading>;

/** The selection's readings, a page at a time (keyset cursor), for the virtualised table. */
export function useReadingRows(get: ApiGet, selection: Selection | null, version = 0): ReadingRows {
  const range = selection && { nmi: selection.nmi, suffix: selection.suffix, from: selection.from, to: selection.to };
  const key = range && `${JSON.stringify(range)}@${version}`;
  const { first: _first, ...rows } = useCursorPages(key, (cursor, signal) => get<ReadingsPage>('/readings', { ...range!, limit: READINGS_PAGE, cursor }, signal), (page) => page.readings);
  return rows;
}
