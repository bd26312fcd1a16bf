import { FileName } from './FileName';
import { formatBytes, formatDateTime, formatDuration } from './format';
import type { SentUpload } from './sentUploads';

/**
 * A file sent from this page whose status document has not come yet, as a row of the list: sent,
 * waiting for the pipeline; after the wait, flagged: the pipeline may have missed it.
 */
export function SentRow({ sent, waitMs, onDismiss }: { sent: SentUpload; waitMs: number; onDismiss?: () => void }) {
  return (
    <li className={`upload-row row-sent${sent.overdue ? ' row-overdue' : ''}`} data-testid="upload-row" data-file={sent.fileName} data-status="sent">
      <div className="row-summary">
        <span className="dot dot-sent" aria-hidden="true" />
        <FileName className="row-name" name={sent.fileName} />
        <span className="row-status">sent</span>
        <span className="row-size">{formatBytes(sent.bytes)}</span>
        <span className="row-readings">waiting for the pipeline</span>
        <span className="row-when">
          <time dateTime={sent.sentAt.toISOString()}>{formatDateTime(sent.sentAt)}</time>
        </span>
        <span className="row-took">{sent.overdue ? '' : 'just sent'}</span>
      </div>
      {sent.overdue && (
        <p className="row-problem" role="alert">
          No status yet after {formatDuration(waitMs / 1000)}: the pipeline may have missed it.
          {onDismiss && (
            <>
              {' '}
              <button type="button" className="link" onClick={onDismiss} aria-label={`Dismiss ${sent.fileName}`}>
                Dismiss
              </button>
            </>
          )}
        </p>
      )}
    </li>
  );
}
