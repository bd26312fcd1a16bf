import { useId, useState } from 'react';
import { sameStatuses, statusChanges, statusMapOf, type StatusMap } from './announce';
import type { Upload } from './model';
import { UploadCard, type DownloadSql } from './UploadCard';

export interface UploadListProps {
  /** loading: nothing received yet; error: the live query stopped (uploads keeps what it had). */
  state: 'loading' | 'ready' | 'error';
  uploads: readonly Upload[];
  error: string | null;
  /** The page may be cut: another "Show more" may find older uploads. */
  hasMore: boolean;
  loadingMore: boolean;
  onShowMore: () => void;
  onRetry?: () => void;
  downloadSql: DownloadSql;
}

/** The user's uploads, newest first, live. Never blank: loading, error and empty states say so. */
export function UploadList({ state, uploads, error, hasMore, loadingMore, onShowMore, onRetry, downloadSql }: UploadListProps) {
  const titleId = useId();
  const announcement = useStatusAnnouncement(uploads);

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
      {state === 'ready' && uploads.length === 0 && (
        <div className="empty">
          <p className="empty-title">No uploads yet: drop a NEM12 file above</p>
          <p className="hint">Each file you upload appears here and updates live as the pipeline loads it.</p>
        </div>
      )}
      {uploads.length > 0 && (
        <ol className="cards">
          {uploads.map((upload) => (
            <li key={upload.id}>
              <UploadCard upload={upload} downloadSql={downloadSql} />
            </li>
          ))}
        </ol>
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
