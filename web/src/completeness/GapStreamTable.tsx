import { useId } from 'react';
import { DownloadButton } from '../DownloadButton';
import { Failure } from '../Failure';
import { formatCount, plural } from '../uploads/format';
import { explorerHash, formatRuns, formatShare, STATUSES, statusOf, type CompletenessView, type GapStatus, type GapStream } from './completenessModel';
import type { GapStreamRows } from './useCompletenessApi';

export interface GapStreamTableProps {
  view: CompletenessView;
  onStatus(status: GapStatus): void;
  /** How many streams have each status over the range (the summary's), once known. */
  counts: Record<GapStatus, number> | null;
  streams: GapStreamRows;
  /** Fetches the whole list as CSV from the API and saves it. */
  downloadStreams(): Promise<void>;
}

/**
 * The streams with missing days, empty intervals or estimated readings, worst first, a page at a
 * time ("Show more" continues with the API's cursor). Each opens the explorer on its NMI and the
 * report's days; the table scrolls sideways in its own box on a phone.
 */
export function GapStreamTable({ view, onStatus, counts, streams, downloadStreams }: GapStreamTableProps) {
  const id = useId();
  const status = statusOf(view.status);
  const total = streams.first?.total ?? null;
  return (
    <section className="panel gap-streams" aria-labelledby={`${id}-title`}>
      <div className="panel-title">
        <h3 id={`${id}-title`}>Streams with gaps</h3>
        <DownloadButton label="Download this list (CSV)" download={downloadStreams} />
      </div>
      <div className="quick-ranges status-switch" role="group" aria-label="Which streams">
        {STATUSES.map((option) => (
          <button key={option.id} type="button" aria-pressed={view.status === option.id} onClick={() => onStatus(option.id)}>
            {option.label}
            {counts !== null && ` (${formatCount(counts[option.id])})`}
          </button>
        ))}
      </div>
      {streams.state === 'loading' && (
        <p className="placeholder" role="status">
          Finding the streams {status.streams}…
        </p>
      )}
      {streams.state === 'error' && <Failure what="The streams cannot be listed" error={streams.error ?? ''} onRetry={streams.retry} />}
      {streams.state === 'ready' && streams.rows.length === 0 && <p className="empty-title">No stream {status.streams} over these days.</p>}
      {/* The previous list stays, dimmed and inert, while the next loads. */}
      {streams.rows.length > 0 && (
        <div className={streams.state === 'loading' ? 'stale' : undefined} aria-hidden={streams.state === 'loading' ? true : undefined} inert={streams.state === 'loading'}>
          <div className="table-scroll" role="region" aria-labelledby={`${id}-caption`} tabIndex={0}>
            <table className="gap-table">
              <caption id={`${id}-caption`}>Streams {status.streams}, most first</caption>
              <thead>
                <tr>
                  <th scope="col">NMI</th>
                  <th scope="col">Suffix</th>
                  <th scope="col" className="num">
                    Missing days
                  </th>
                  <th scope="col" className="num">
                    Empty intervals
                  </th>
                  <th scope="col" className="num">
                    Estimated
                  </th>
                  <th scope="col">Last received</th>
                  <th scope="col">Last upload</th>
                </tr>
              </thead>
              <tbody>
                {streams.rows.map((stream) => (
                  <StreamRow key={`${stream.nmi}-${stream.suffix ?? ''}`} stream={stream} view={view} />
                ))}
              </tbody>
            </table>
          </div>
          <p className="hint scroll-cue" aria-hidden="true">
            Scroll the table sideways for the other columns →
          </p>
        </div>
      )}
      {streams.state === 'ready' && streams.rows.length > 0 && (
        <div className="gap-more">
          <p className="hint" role="status">
            {streams.error !== null ? '' : `Showing ${formatCount(streams.rows.length)} of ${plural(total ?? streams.rows.length, 'stream')}${streams.loadingMore ? '; loading more…' : '.'}`}
          </p>
          {streams.error !== null && <Failure what="More streams cannot be listed" error={streams.error} onRetry={streams.loadMore} />}
          {streams.hasMore && streams.error === null && (
            <button type="button" onClick={streams.loadMore} disabled={streams.loadingMore}>
              Show more streams
            </button>
          )}
        </div>
      )}
    </section>
  );
}

function StreamRow({ stream, view }: { stream: GapStream; view: CompletenessView }) {
  const link = explorerHash(stream, view);
  return (
    <tr data-testid="gap-stream">
      <th scope="row">
        {link === null ? (
          stream.nmi
        ) : (
          // Named after what it opens; the name starts with the text seen (WCAG 2.5.3).
          <a href={link} aria-label={`${stream.nmi} ${stream.suffix} in the explorer`}>
            {stream.nmi}
          </a>
        )}
      </th>
      <td>{stream.suffix ?? <span className="hint">all (never received)</span>}</td>
      <td className="num">
        {formatCount(stream.missingDays)}
        {stream.missing.length > 0 && <span className="runs">{formatRuns(stream.missing)}</span>}
      </td>
      <td className="num">
        {formatCount(stream.emptyIntervals)}
        {stream.partialDays > 0 && <span className="runs">on {plural(stream.partialDays, 'day')}</span>}
      </td>
      <td className="num">
        {formatShare(stream.estimatedShare)}
        {stream.estimatedDays > 0 && <span className="runs">on {plural(stream.estimatedDays, 'day')}</span>}
      </td>
      <td>{stream.lastReceived ?? 'never'}</td>
      <td className="file-cell">{stream.lastUpload?.fileName ?? '—'}</td>
    </tr>
  );
}
