import { useId, useRef, useState, type DragEvent } from 'react';
import { formatBytes, plural } from '../uploads/format';
import { FileName } from '../uploads/FileName';
import { IssueGroups } from '../uploads/IssueGroups';
import type { CheckFile } from './checkInWorker';
import type { FileCheck } from './fileCheck';
import { isFinished, useFileUploads, type FileUpload, type SendFile, type StoredObject } from './useFileUploads';

export interface UploadPanelProps {
  send: SendFile;
  /** How long a send may move no byte before it is given up (tests shorten it). */
  stallMs?: number;
  /** How long a file sent stays in the panel (tests shorten it). */
  lingerMs?: number;
  /** A file is stored: the list shows it at once, before its status document comes. */
  onSent?: (file: File, stored: StoredObject | null) => void;
  /** Checks each file before it is sent (the page: in a Web Worker); without it, files are sent unchecked. */
  check?: CheckFile;
}

/** Drop zone + "Choose files": each file is checked, then sent with its own progress bar. */
export function UploadPanel({ send, stallMs, lingerMs, onSent, check }: UploadPanelProps) {
  const id = useId();
  const { items, add, cancel, retry, sendAnyway, dismiss, clearFinished } = useFileUploads(send, stallMs, lingerMs, onSent, check);
  const finished = items.filter(isFinished).length;
  const input = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const depth = useRef(0);

  function onDragEnter(event: DragEvent) {
    if (!event.dataTransfer.types.includes('Files')) return;
    event.preventDefault();
    depth.current++;
    setDragging(true);
  }
  function onDragOver(event: DragEvent) {
    if (!event.dataTransfer.types.includes('Files')) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  }
  function onDragLeave() {
    depth.current = Math.max(0, depth.current - 1);
    if (depth.current === 0) setDragging(false);
  }
  function onDrop(event: DragEvent) {
    event.preventDefault();
    depth.current = 0;
    setDragging(false);
    add(Array.from(event.dataTransfer.files));
  }

  return (
    <section className="panel upload" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Upload NEM12 files</h2>
      <div
        className={`dropzone${dragging ? ' dragging' : ''}`}
        onDragEnter={onDragEnter}
        onDragOver={onDragOver}
        onDragLeave={onDragLeave}
        onDrop={onDrop}
        data-testid="drop-zone"
      >
        <p id={`${id}-hint`}>
          Drop files here, or choose them. Plain, zipped or gzipped NEM12, any extension, under 1 GB each.
        </p>
        <button type="button" className="primary" onClick={() => input.current?.click()} aria-describedby={`${id}-hint`}>
          Choose files
        </button>
        <input
          ref={input}
          type="file"
          multiple
          className="visually-hidden"
          tabIndex={-1}
          aria-label="Files to upload"
          data-testid="file-input"
          onChange={(event) => {
            add(Array.from(event.target.files ?? []));
            event.target.value = '';
          }}
        />
      </div>
      {items.length > 0 && (
        <div className="sends">
          <div className="sends-head">
            <h3 id={`${id}-sends`}>Sent from this page</h3>
            {finished > 0 && (
              <button type="button" className="link" onClick={clearFinished}>
                Clear finished ({finished})
              </button>
            )}
          </div>
          <ul className="sending" aria-labelledby={`${id}-sends`}>
            {items.map((item) => (
              <SendingFile
                key={item.id}
                item={item}
                onCancel={() => cancel(item.id)}
                onRetry={() => retry(item.id)}
                onSendAnyway={() => sendAnyway(item.id)}
                onDismiss={() => dismiss(item.id)}
              />
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}

const STATE_TEXT: Record<FileUpload['state'], string> = {
  refused: 'Refused',
  checking: 'Checking',
  rejected: 'Not sent: errors found',
  sending: 'Uploading',
  sent: 'Uploaded',
  failed: 'Upload failed',
  cancelled: 'Cancelled',
};

interface SendingFileProps {
  item: FileUpload;
  onCancel: () => void;
  onRetry: () => void;
  onSendAnyway: () => void;
  onDismiss: () => void;
}

function SendingFile({ item, onCancel, onRetry, onSendAnyway, onDismiss }: SendingFileProps) {
  const id = useId();
  const problem = item.state === 'refused' || item.state === 'failed';
  const busy = item.state === 'sending' || item.state === 'checking';
  return (
    <li className={`sending-file sending-${item.state}`} data-testid="sending-file" data-file={item.name}>
      <div className="sending-head">
        <FileName id={`${id}-name`} name={item.name} />
        <span className="sending-state">{STATE_TEXT[item.state]}</span>
        {busy && (
          <button type="button" className="link" onClick={onCancel} aria-label={`Cancel ${item.name}`}>
            Cancel
          </button>
        )}
        {(item.state === 'failed' || item.state === 'cancelled') && (
          <button type="button" className="link" onClick={onRetry} aria-label={`Retry ${item.name}`}>
            Retry
          </button>
        )}
        {item.state === 'rejected' && (
          <button type="button" className="link" onClick={onSendAnyway} aria-label={`Send ${item.name} anyway`}>
            Send anyway
          </button>
        )}
        {!busy && (
          <button type="button" className="link" onClick={onDismiss} aria-label={`Dismiss ${item.name}`}>
            Dismiss
          </button>
        )}
      </div>
      {item.state === 'checking' && (
        <div className="progress-row">
          <progress aria-label={`Checking ${item.name}`} max={Math.max(item.size, 1)} value={item.read} />
          <span>
            checked {formatBytes(item.read)} of {formatBytes(item.size)}
          </span>
        </div>
      )}
      {item.check && <CheckSummary check={item.check} />}
      {item.state === 'rejected' && item.check && (
        <>
          <p className="hint">The pipeline would refuse this file; it is not sent unless you send it anyway.</p>
          <IssueGroups kind="error" list={item.check.errors} fileName={item.name} />
          <IssueGroups kind="warning" list={item.check.warnings} fileName={item.name} />
        </>
      )}
      {(item.state === 'sending' || item.state === 'sent') && (
        <div className="progress-row">
          <progress aria-labelledby={`${id}-name`} max={Math.max(item.size, 1)} value={item.sent} />
          <span>
            {formatBytes(item.sent)} of {formatBytes(item.size)}
          </span>
        </div>
      )}
      {item.state === 'sent' && <p className="hint">The pipeline picks it up now: follow it below.</p>}
      {problem && (
        <p className="form-error" role="alert">
          {item.message}
        </p>
      )}
    </li>
  );
}

/** What the check found in a file, in one line: what it holds, and how many warnings and errors. */
function CheckSummary({ check }: { check: FileCheck }) {
  const parts = [plural(check.nmis, 'NMI'), plural(check.days, 'day'), plural(check.readings, 'reading'), plural(check.warnings.count, 'warning')];
  if (check.errors.count > 0) parts.push(plural(check.errors.count, 'error'));
  return (
    <p className="check-summary" data-testid="check-summary">
      Checked: {parts.join(', ')}
    </p>
  );
}
