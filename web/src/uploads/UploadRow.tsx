import { useId, useState } from 'react';
import { FileName } from './FileName';
import { formatBytes, formatCount, formatDateTime, formatDuration } from './format';
import type { Upload } from './model';
import { UploadCard, type DownloadSql, type SqlSize } from './UploadCard';

const IN_FLIGHT: readonly Upload['status'][] = ['pending', 'splitting', 'loading', 'publishing'];
export const isInFlight = (upload: Pick<Upload, 'status'>) => IN_FLIGHT.includes(upload.status);

/** "45%" of the readings while loading, else what the row says about its size in readings. */
function readingsText(upload: Upload): string {
  if (upload.status === 'loading' && upload.readings.total > 0) return `${Math.floor((100 * upload.readings.loaded) / upload.readings.total)}% of ${formatCount(upload.readings.total)}`;
  if (upload.readings.total > 0) return `${formatCount(upload.readings.total)} readings`;
  return upload.status === 'failed' ? `${formatCount(upload.errors.count)} ${upload.errors.count === 1 ? 'error' : 'errors'}` : '—';
}

/**
 * One upload as a compact row (status dot, name, size, readings, when, how long) that opens on
 * its details: totals, data quality, channels, issues grouped by code, the Flo SQL download.
 */
export function UploadRow({ upload, downloadSql, sqlSize }: { upload: Upload; downloadSql: DownloadSql; sqlSize?: SqlSize }) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const took = upload.finishedAt !== null && upload.createdAt !== null ? formatDuration((upload.finishedAt.getTime() - upload.createdAt.getTime()) / 1000) : null;
  const warnings = upload.warnings.count;
  return (
    <li className={`upload-row row-${upload.status}`} data-testid="upload-row" data-file={upload.fileName} data-status={upload.status}>
      <button type="button" className="row-summary" aria-expanded={open} aria-controls={`${id}-details`} onClick={() => setOpen(!open)}>
        <span className={`dot dot-${upload.status}`} aria-hidden="true" />
        <FileName className="row-name" name={upload.fileName} />
        <span className="row-status">{upload.status}</span>
        <span className="row-size">{formatBytes(upload.bytes)}</span>
        <span className="row-readings">{readingsText(upload)}</span>
        <span className="row-when">{upload.createdAt === null ? '' : <time dateTime={upload.createdAt.toISOString()}>{formatDateTime(upload.createdAt)}</time>}</span>
        <span className="row-took">{took ?? (isInFlight(upload) ? 'in progress' : '')}</span>
        {warnings > 0 && <span className="row-warnings">{`${formatCount(warnings)} ${warnings === 1 ? 'warning' : 'warnings'}`}</span>}
      </button>
      <div id={`${id}-details`} hidden={!open}>
        {open && <UploadCard upload={upload} downloadSql={downloadSql} sqlSize={sqlSize} />}
      </div>
    </li>
  );
}
