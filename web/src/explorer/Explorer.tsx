import { useId, useState } from 'react';
import { saveBlob } from '../download';
import { ConsumptionChart, LoadProfileChart } from './ConsumptionChart';
import { seriesCsv, type ChannelStats, type NmiListing, type Selection } from './explorerModel';
import { ReadingsTable } from './ReadingsTable';
import { SelectionForm } from './SelectionForm';
import { StatsPanel } from './StatsPanel';
import type { ReadingRows, Resource } from './useReadingsApi';

export interface ExplorerProps {
  nmis: Resource<NmiListing> & { retry(): void; more(): void; loadingMore: boolean };
  search: string;
  onSearch(search: string): void;
  selection: Selection | null;
  onSelect(selection: Selection): void;
  stats: Resource<ChannelStats> & { retry(): void };
  /** The figures of the channel compared with it (same range and granularity), once loaded. */
  overlay?: ChannelStats | null;
  readings: ReadingRows;
  /** Fetches the selection's readings as CSV from the API (any range, streamed there) and saves them. */
  downloadReadings(): Promise<void>;
}

/** The readings explorer: pick a channel and days; see the chart, the figures, the profile, the rows. */
export function Explorer({ nmis, search, onSearch, selection, onSelect, stats, overlay = null, readings, downloadReadings }: ExplorerProps) {
  const titleId = useId();
  return (
    <section className="explorer" aria-labelledby={titleId} aria-busy={nmis.state === 'loading' || stats.state === 'loading'}>
      <h2 id={titleId}>Readings explorer</h2>
      {nmis.state === 'loading' && (
        <p className="placeholder" role="status">
          Loading your NMIs…
        </p>
      )}
      {nmis.state === 'error' && <Failure what="Your NMIs cannot be listed" error={nmis.error} onRetry={nmis.retry} />}
      {nmis.state === 'ready' && selection === null && (
        <div className="empty">
          {search === '' ? (
            <>
              <p className="empty-title">No readings to explore yet</p>
              <p className="hint">
                Once a file you <a href="#/">uploaded</a> is done, its NMIs and channels appear here.
              </p>
            </>
          ) : (
            <>
              <p className="empty-title">None of your NMIs contains “{search}”</p>
              <button type="button" onClick={() => onSearch('')}>
                Show all NMIs
              </button>
            </>
          )}
        </div>
      )}
      {nmis.state === 'ready' && selection !== null && (
        <>
          <SelectionForm
            nmis={nmis.data.nmis}
            recent={nmis.data.recent}
            selection={selection}
            onChange={onSelect}
            search={search}
            onSearch={onSearch}
            hasMoreNmis={nmis.data.nextCursor !== null}
            loadingMoreNmis={nmis.loadingMore}
            onMoreNmis={nmis.more}
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
                  uom={[...nmis.data.recent, ...nmis.data.nmis].find((entry) => entry.nmi === selection.nmi)?.channels.find((c) => c.suffix === selection.suffix)?.uom ?? null}
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

/** A download that takes a moment: says so, and says why when it fails. */
function DownloadButton({ label, download }: { label: string; download(): Promise<void> }) {
  const [state, setState] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });
  const onClick = () => {
    setState({ busy: true, error: null });
    download().then(
      () => setState({ busy: false, error: null }),
      (error: unknown) => setState({ busy: false, error: error instanceof Error ? error.message : String(error) }),
    );
  };
  return (
    <span className="downloads">
      <button type="button" className="link" onClick={onClick} disabled={state.busy}>
        {state.busy ? 'Preparing the CSV…' : label}
      </button>
      {state.error !== null && (
        <span className="field-problem" role="alert">
          {' '}
          The CSV cannot be downloaded: {state.error}
        </span>
      )}
    </span>
  );
}

function Failure({ what, error, onRetry }: { what: string; error: string; onRetry(): void }) {
  return (
    <div className="form-error" role="alert">
      <p>
        {what}: {error}
      </p>
      <button type="button" onClick={onRetry}>
        Try again
      </button>
    </div>
  );
}
