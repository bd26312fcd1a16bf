import { useId } from 'react';
import { saveBlob } from '../download';
import { DownloadButton } from '../DownloadButton';
import { Failure } from '../Failure';
import { ConsumptionChart, LoadProfileChart } from './ConsumptionChart';
import { seriesCsv, type ChannelStats, type NmiEntry, type NmiListing, type Selection } from './explorerModel';
import { ReadingsTable } from './ReadingsTable';
import { SelectionForm } from './SelectionForm';
import { StatsPanel } from './StatsPanel';
import type { ReadingRows, Resource } from './useReadingsApi';

export interface ExplorerProps {
  /** The NMIs found for the search (the first ones with none): the previous answer while the next loads. */
  nmis: Resource<NmiListing> & { retry(): void };
  onSearch(search: string): void;
  /** The selected NMI's entry (its channels), known whatever the search shows. */
  entry: NmiEntry | null;
  selection: Selection | null;
  onSelect(selection: Selection, entry?: NmiEntry): void;
  stats: Resource<ChannelStats> & { retry(): void };
  /** The figures of the channel compared with it (same range and granularity), once loaded. */
  overlay?: ChannelStats | null;
  readings: ReadingRows;
  /** Fetches the selection's readings as CSV from the API (any range, streamed there) and saves them. */
  downloadReadings(): Promise<void>;
}

/**
 * The readings explorer: pick a channel and days; see the chart, the figures, the profile, the rows.
 * Once there is a view, the form stays in place whatever the NMI search is doing.
 */
export function Explorer({ nmis, onSearch, entry, selection, onSelect, stats, overlay = null, readings, downloadReadings }: ExplorerProps) {
  const titleId = useId();
  const listing = nmis.state === 'ready' ? nmis.data : nmis.state === 'loading' ? (nmis.previous ?? null) : null;
  return (
    <section className="explorer" aria-labelledby={titleId} aria-busy={(selection === null && nmis.state === 'loading') || stats.state === 'loading'}>
      <h2 id={titleId}>Readings explorer</h2>
      {selection === null && listing === null && nmis.state === 'loading' && (
        <p className="placeholder" role="status">
          Loading your NMIs…
        </p>
      )}
      {selection === null && nmis.state === 'error' && <Failure what="Your NMIs cannot be listed" error={nmis.error} onRetry={nmis.retry} />}
      {selection === null && listing !== null && (
        <div className="empty">
          <p className="empty-title">No readings to explore yet</p>
          <p className="hint">
            Once a file you <a href="#/">uploaded</a> is done, its NMIs and channels appear here by themselves.
          </p>
        </div>
      )}
      {selection !== null && (
        <>
          <SelectionForm
            search={{ listing, loading: nmis.state === 'loading', error: nmis.state === 'error' ? nmis.error : null, onSearch, onRetry: nmis.retry }}
            entry={entry}
            selection={selection}
            onChange={onSelect}
          />
          <div className="panel explorer-results">
            <h3>
              {selection.nmi} {selection.suffix}, {selection.from === selection.to ? selection.from : `${selection.from} to ${selection.to}`}
            </h3>
            {stats.state === 'loading' && (
              <p className="placeholder" role="status">
                {stats.previous ? 'Updating…' : 'Adding up the readings…'}
              </p>
            )}
            {stats.state === 'error' && <Failure what="The figures cannot be shown" error={stats.error} onRetry={stats.retry} />}
            {stats.state === 'ready' && (
              <>
                <StatsPanelWithCharts stats={stats.data} overlay={overlay} />
                <p className="downloads">
                  <button type="button" className="link" onClick={() => saveBlob(new Blob([seriesCsv(stats.data)], { type: 'text/csv' }), `${selection.nmi}-${selection.suffix}-${selection.granularity}-${selection.from}-to-${selection.to}.csv`)}>
                    Download this series (CSV)
                  </button>
                </p>
              </>
            )}
            {/* The previous figures stay, dimmed, while the new ones load: the page does not jump. */}
            {stats.state === 'loading' && stats.previous && (
              <div className="stale" aria-hidden="true">
                <StatsPanelWithCharts stats={stats.previous} />
              </div>
            )}
          </div>
          <div className="panel">
            <div className="panel-title">
              <h3>Readings</h3>
              <DownloadButton label="Download the readings (CSV)" download={downloadReadings} />
            </div>
            {readings.state === 'loading' && (
              <p className="placeholder" role="status">
                Loading readings…
              </p>
            )}
            {readings.state === 'error' && <Failure what="The readings cannot be shown" error={readings.error ?? ''} onRetry={readings.retry} />}
            {(readings.state === 'ready' || (readings.state === 'loading' && readings.rows.length > 0)) && (
              <div className={readings.state === 'loading' ? 'stale' : undefined} aria-hidden={readings.state === 'loading' ? true : undefined}>
                <ReadingsTable
                  rows={readings.rows}
                  uom={entry?.channels.find((c) => c.suffix === selection.suffix)?.uom ?? null}
                  hasMore={readings.state === 'ready' && readings.hasMore}
                  loadingMore={readings.loadingMore}
                  error={readings.error}
                  onLoadMore={readings.loadMore}
                />
              </div>
            )}
          </div>
        </>
      )}
    </section>
  );
}

function StatsPanelWithCharts({ stats, overlay = null }: { stats: ChannelStats; overlay?: ChannelStats | null }) {
  return (
    <div className="results-grid">
      <StatsPanel stats={stats} />
      {stats.readings > 0 && (
        <>
          <ConsumptionChart stats={stats} overlay={overlay} />
          <LoadProfileChart stats={stats} />
        </>
      )}
    </div>
  );
}
