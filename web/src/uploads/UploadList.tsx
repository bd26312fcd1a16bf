import { useId, useState } from 'react';
import { sameStatuses, statusChanges, statusMapOf, type StatusMap } from './announce';
import { plural } from './format';
import type { Upload } from './model';
import { SentRow } from './SentRow';
import type { SentUpload } from './sentUploads';
import type { DownloadSql, SqlSize } from './UploadCard';
import { isInFlight, UploadRow } from './UploadRow';

export type StatusFilter = 'all' | 'inFlight' | 'done' | 'failed';
const FILTERS: { value: StatusFilter; label: string }[] = [
  { value: 'all', label: 'All' },
  { value: 'inFlight', label: 'In progress' },
  { value: 'done', label: 'Done' },
  { value: 'failed', label: 'Failed' },
];

/** The uploads a filter and a name search keep (case-insensitive, any part of the name). Pure. */
export function filterUploads(uploads: readonly Upload[], status: StatusFilter, search: string): Upload[] {
  const needle = search.trim().toLowerCase();
  return uploads.filter(
    (upload) =>
      (status === 'all' || (status === 'inFlight' ? isInFlight(upload) : upload.status === status)) && (needle === '' || upload.fileName.toLowerCase().includes(needle)),
  );
}

/** The live query of the organisation's uploads (useUploadList): what the list and the explorer follow. */
export interface UploadFeed {
  /** loading: nothing received yet; error: the live query stopped (uploads keeps what it had). */
  state: 'loading' | 'ready' | 'error';
  uploads: readonly Upload[];
  error: string | null;
  /** The page may be cut: another "Show more" may find older uploads. */
  hasMore: boolean;
  loadingMore: boolean;
  onShowMore: () => void;
  onRetry?: () => void;
}

export interface UploadListProps extends UploadFeed {
  /** Files sent from this page whose status documents have not come yet (newest first). */
  sent?: readonly SentUpload[];
  /** How long a sent file waits before it is flagged (said in the flag). */
  statusWaitMs?: number;
  onDismissSent?: (key: string) => void;
  downloadSql: DownloadSql;
  sqlSize?: SqlSize;
}

/**
 * The organisation's uploads, newest first, live, as compact rows that open on their details;
 * filtered by status and found by name. Never blank: loading, error and empty states say so.
 */
export function UploadList({ state, uploads, error, hasMore, loadingMore, onShowMore, onRetry, sent = [], statusWaitMs = 0, onDismissSent, downloadSql, sqlSize }: UploadListProps) {
  const titleId = useId();
  const announcement = useStatusAnnouncement(uploads);
  const [status, setStatus] = useState<StatusFilter>('all');
  const [search, setSearch] = useState('');
  const shown = filterUploads(uploads, status, search);
  // Sent files are uploads in progress too, until their documents replace them.
  const total = uploads.length + sent.length;
  const sentShown = status === 'all' || status === 'inFlight' ? sent.filter((file) => file.fileName.toLowerCase().includes(search.trim().toLowerCase())) : [];

  return (
    <section className="uploads" aria-labelledby={titleId} aria-busy={state === 'loading' || loadingMore}>
      <h2 id={titleId}>Your uploads</h2>
      <div className="visually-hidden" aria-live="polite" aria-atomic="true" data-testid="status-announcer">
        {announcement}
      </div>
      {state === 'loading' && (
        <p className="placeholder" role="status">
          Loading your uploads…
        </p>
      )}
      {state === 'error' && (
        <div className="form-error" role="alert">
          <p>Your uploads cannot be shown: {error}</p>
          {onRetry !== undefined && (
            <button type="button" onClick={onRetry}>
              Try again
            </button>
          )}
        </div>
      )}
      {state === 'ready' && uploads.length === 0 && sent.length === 0 && (
        <div className="empty">
          <p className="empty-title">No uploads yet: drop a NEM12 file above</p>
          <p className="hint">Each file you upload appears here and updates live as the pipeline loads it.</p>
        </div>
      )}
      {total > 0 && (
        <>
          <div className="list-filters" role="search">
            <label>
              Status{' '}
              <select value={status} onChange={(event) => setStatus(event.target.value as StatusFilter)}>
                {FILTERS.map((option) => (
                  <option key={option.value} value={option.value}>
                    {option.label}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Name{' '}
              <input type="search" value={search} placeholder="Any part of a file name" onChange={(event) => setSearch(event.target.value)} />
            </label>
            <span className="hint" role="status">
              {shown.length + sentShown.length === total ? plural(total, 'upload') : `${shown.length + sentShown.length} of ${plural(total, 'upload')}${hasMore ? ' loaded' : ''}`}
            </span>
          </div>
          <ol className="upload-rows">
            {sentShown.map((file) => (
              <SentRow key={file.key} sent={file} waitMs={statusWaitMs} onDismiss={onDismissSent && (() => onDismissSent(file.key))} />
            ))}
            {shown.map((upload) => (
              <UploadRow key={upload.id} upload={upload} downloadSql={downloadSql} sqlSize={sqlSize} />
            ))}
          </ol>
        </>
      )}
      {hasMore && state !== 'error' && (
        <button type="button" className="show-more" onClick={onShowMore} disabled={loadingMore}>
          {loadingMore ? 'Loading more…' : 'Show more'}
        </button>
      )}
    </section>
  );
}

/** Remembers the statuses last seen and says which moved (adjusting state while rendering). */
function useStatusAnnouncement(uploads: readonly Upload[]): string {
  const [seen, setSeen] = useState<StatusMap | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const current = statusMapOf(uploads);
  if (seen === null || !sameStatuses(seen, current)) {
    setSeen(current);
    if (seen !== null) {
      const changes = statusChanges(seen, uploads);
      if (changes !== '') setAnnouncement(changes);
    }
  }
  return announcement;
}
