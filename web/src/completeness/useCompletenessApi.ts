import type { ApiGet } from '../apiClient';
import { useCursorPages, useKeyedRequest, type PagedRows, type Resource } from '../useApiRequest';
import type { CompletenessSummary, CompletenessView, GapStream, GapStreamsPage, RegisterSummary } from './completenessModel';

/**
 * The completeness view's data from the API, each request keyed by what it asks and by `version`,
 * which moves when an upload is done or the register is replaced: both change the report.
 */
export type SummaryResource = Resource<CompletenessSummary> & { retry(): void };
export type GapStreamRows = PagedRows<GapStream> & { first: GapStreamsPage | null };
export type RegisterResource = Resource<RegisterSummary> & { retry(): void };

/** Streams asked for at a time (the API's default; it allows up to 500). */
export const STREAMS_PAGE = 50;

/** Per NEM day of the range: streams expected, complete, partial, missing; readings by quality. */
export function useCompletenessSummary(get: ApiGet, view: CompletenessView, version: string): SummaryResource {
  const range = { from: view.from, to: view.to };
  return useKeyedRequest(`${JSON.stringify(range)}@${version}`, (signal) => get<CompletenessSummary>('/completeness', range, signal));
}

/** The streams with a day of the view's status, worst first, a page at a time. */
export function useGapStreams(get: ApiGet, view: CompletenessView, version: string): GapStreamRows {
  return useCursorPages(
    `${JSON.stringify(view)}@${version}`,
    (cursor, signal) => get<GapStreamsPage>('/completeness/streams', { ...view, limit: STREAMS_PAGE, cursor }, signal),
    (page) => page.streams,
  );
}

/** The register's size. */
export function useRegisterSummary(get: ApiGet, version: string): RegisterResource {
  return useKeyedRequest(`register@${version}`, (signal) => get<RegisterSummary>('/register', {}, signal));
}
