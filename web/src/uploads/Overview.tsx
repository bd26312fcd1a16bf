import { useEffect, useState } from 'react';
import type { Overview as OverviewFigures } from '../../../functions/src/api/apiTypes';
import { ApiRequestError, type ApiGet } from '../apiClient';
import { formatCount } from './format';
import type { Upload } from './model';

export type { OverviewFigures };

export type OverviewState = { state: 'loading' } | { state: 'ready'; figures: OverviewFigures } | { state: 'error'; error: string };

/** What moves the overview: an upload new, done or failed (any status of the live list changing). */
export function overviewRefreshOf(uploads: readonly Pick<Upload, 'id' | 'status'>[]): string {
  return uploads.map((upload) => `${upload.id}:${upload.status}`).join(',');
}

/** GET /overview, again whenever `refresh` changes (an upload of the list moved). */
export function useOverview(get: ApiGet, refresh: string): OverviewState {
  const [held, setHeld] = useState<{ key: string; result: OverviewState } | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    get<OverviewFigures>('/overview', {}, controller.signal).then(
      (figures) => setHeld({ key: refresh, result: { state: 'ready', figures } }),
      (error: unknown) => {
        if ((error as Error).name !== 'AbortError') setHeld({ key: refresh, result: { state: 'error', error: error instanceof ApiRequestError ? error.message : 'The overview cannot be loaded.' } });
      },
    );
    return () => controller.abort();
  }, [get, refresh]);
  // The figures already shown stay while they refresh: the page does not flicker on every status.
  return held?.result ?? { state: 'loading' };
}

/** The organisation's data and uploads at a glance, above the uploads. */
export function Overview({ overview }: { overview: OverviewState }) {
  if (overview.state === 'loading') {
    return (
      <p className="placeholder overview" role="status">
        Adding up your data…
      </p>
    );
  }
  if (overview.state === 'error') {
    return (
      <p className="form-error overview" role="alert">
        The overview cannot be shown: {overview.error}
      </p>
    );
  }
  const { figures } = overview;
  const facts: [string, string, string?][] = [
    ['Files loaded', formatCount(figures.filesLoaded)],
    ['Readings', formatCount(figures.readings)],
    ['NMIs', formatCount(figures.nmis)],
    ['Latest data day', figures.latestDay ?? '—'],
    ['Uploads in progress', formatCount(figures.inFlight)],
    ['Failed, last 7 days', formatCount(figures.failedLast7Days), figures.failedLast7Days > 0 ? 'overview-bad' : undefined],
  ];
  return (
    <section className="panel overview" aria-label="Overview">
      <dl className="facts overview-facts" data-testid="overview">
        {facts.map(([term, value, tone]) => (
          <div key={term} className={tone}>
            <dt>{term}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
