import { useEffect, useId, useState } from 'react';
import {
  formatBytes,
  formatCount,
  formatDateRange,
  formatDateTime,
  formatDuration,
  formatInterval,
  formatKwh,
  formatRate,
  loadingRate,
  plural,
  QUALITY_FLAG_NAMES,
  QUALITY_FLAG_ORDER,
  secondsLeft,
} from './format';
import { IssueGroups } from './IssueGroups';
import type { StatusSummary, Upload } from './model';

/** Resolves a Storage path to a download URL (getDownloadURL in the app, a stub in tests). */
/** Fetches the Flo SQL file at `path` (through storage.rules) and saves it as `saveAs`. */
export type DownloadSql = (path: string, saveAs: string) => Promise<void>;
/** The size of the file at `path`, in bytes. */
export type SqlSize = (path: string) => Promise<number>;

export const CHANNEL_ROWS = 20;

const STATE_TEXT: Record<Upload['status'], string> = {
  pending: 'Waiting for the pipeline to pick the file up…',
  splitting: 'Checking the whole file and cutting it into chunks…',
  loading: 'Loading the readings into the database…',
  publishing: 'Every chunk is in: checking them and making the readings visible, all at once…',
  done: '',
  failed: 'Nothing of this file was loaded.',
};

export interface UploadCardProps {
  upload: Upload;
  downloadSql: DownloadSql;
  sqlSize?: SqlSize;
}

/** One upload's status document, in every state. */
export function UploadCard({ upload, downloadSql, sqlSize }: UploadCardProps) {
  const titleId = useId();
  const { status } = upload;
  return (
    <article className={`card card-${status}`} data-testid="upload-card" data-status={status} data-file={upload.fileName} aria-labelledby={titleId}>
      <header className="card-head">
        <h3 id={titleId} className="file-name">
          {upload.fileName}
        </h3>
        <span className="status">
          <span className="visually-hidden">Status: </span>
          <span className={`badge badge-${status}`} data-testid="status-badge">
            {status}
          </span>
        </span>
      </header>
      <p className="meta">
        {formatBytes(upload.bytes)}
        {upload.createdAt !== null && (
          <>
            {' · uploaded '}
            <time dateTime={upload.createdAt.toISOString()}>{formatDateTime(upload.createdAt)}</time>
          </>
        )}
        {upload.finishedAt !== null && upload.createdAt !== null && (
          <>{` · ${status === 'failed' ? 'failed after' : 'took'} ${formatDuration((upload.finishedAt.getTime() - upload.createdAt.getTime()) / 1000)}`}</>
        )}
      </p>
      {STATE_TEXT[status] !== '' && <p className="state-text">{STATE_TEXT[status]}</p>}
      {status === 'loading' && <LoadingProgress upload={upload} />}
      {status === 'done' && (
        <p className="totals">
          <strong>{plural(upload.readings.total, 'reading')}</strong>: {formatCount(upload.readings.new)} new,{' '}
          {formatCount(upload.readings.updated)} updated, {formatCount(upload.readings.unchanged)} unchanged
        </p>
      )}
      <IssueGroups kind="error" list={upload.errors} fileName={upload.fileName} />
      <IssueGroups kind="warning" list={upload.warnings} fileName={upload.fileName} />
      {(status === 'done' || status === 'failed') && upload.summary !== null && (upload.summary.readings ?? 0) + (upload.summary.channelCount ?? 0) > 0 && <QualitySummary summary={upload.summary} />}
      {upload.sqlPath !== null && <SqlDownload path={upload.sqlPath} saveAs={`${upload.fileName}.flo.sql.gz`} download={downloadSql} size={sqlSize} />}
      {upload.sqlError !== null && (
        <p className="sql-error">
          <strong>Flo SQL file not written:</strong> {upload.sqlError} (the readings were loaded)
        </p>
      )}
    </article>
  );
}

function LoadingProgress({ upload }: { upload: Upload }) {
  const id = useId();
  const { chunks, readings } = upload;
  const rate = loadingRate(upload);
  const left = secondsLeft(readings.total, readings.loaded, rate);
  return (
    <div className="progress">
      <div className="progress-grid">
        <span id={`${id}-chunks`}>Chunks</span>
        <progress aria-labelledby={`${id}-chunks`} max={Math.max(chunks.total, 1)} value={chunks.done} />
        <span className="progress-count">
          {formatCount(chunks.done)} / {formatCount(chunks.total)}
        </span>
        <span id={`${id}-readings`}>Readings</span>
        <progress aria-labelledby={`${id}-readings`} max={Math.max(readings.total, 1)} value={readings.loaded} />
        <span className="progress-count">
          {formatCount(readings.loaded)} / {formatCount(readings.total)}
        </span>
      </div>
      <p className="rate">
        {rate === null ? 'Measuring the rate…' : `${formatRate(rate)} · ${left !== null && left < 1 ? 'almost done' : `about ${formatDuration(left ?? 0)} left`}`}
      </p>
    </div>
  );
}

function QualitySummary({ summary }: { summary: StatusSummary }) {
  const id = useId();
  const flags = QUALITY_FLAG_ORDER.filter((flag) => (summary.quality?.[flag] ?? 0) > 0);
  const channels = summary.channels ?? [];
  const [all, setAll] = useState(false);
  const shown = all ? channels : channels.slice(0, CHANNEL_ROWS);
  const total = Math.max(summary.channelCount ?? channels.length, channels.length);
  const more = total - shown.length;
  const notKept = total - channels.length;
  return (
    <section className="summary" aria-labelledby={`${id}-title`}>
      <h4 id={`${id}-title`}>Data quality</h4>
      <dl className="facts">
        <div>
          <dt>Days</dt>
          <dd>{formatDateRange(summary.firstDate, summary.lastDate)}</dd>
        </div>
        <div>
          <dt>Channels</dt>
          <dd>{formatCount(summary.channelCount ?? channels.length)}</dd>
        </div>
        <div>
          <dt>Missing days</dt>
          <dd>{formatCount(summary.missingDays ?? 0)}</dd>
        </div>
        <div>
          <dt>Empty intervals</dt>
          <dd>{formatCount(summary.emptyIntervals ?? 0)}</dd>
        </div>
      </dl>
      {flags.length > 0 && (
        <ul className="quality" aria-label="Readings by quality flag">
          {flags.map((flag) => (
            <li key={flag}>
              <abbr title={QUALITY_FLAG_NAMES[flag]}>{flag}</abbr> {QUALITY_FLAG_NAMES[flag]}: {formatCount(summary.quality[flag] ?? 0)}
            </li>
          ))}
        </ul>
      )}
      {shown.length > 0 && (
        <div className="table-scroll" role="region" aria-labelledby={`${id}-channels`} tabIndex={0}>
          <table>
            <caption id={`${id}-channels`}>Channels</caption>
            <thead>
              <tr>
                <th scope="col">NMI</th>
                <th scope="col">Suffix</th>
                <th scope="col">Unit</th>
                <th scope="col">Interval</th>
                <th scope="col" className="num">Days</th>
                <th scope="col" className="num">Readings</th>
                <th scope="col" className="num">Total kWh</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((channel) => (
                <tr key={`${channel.nmi}-${channel.suffix}-${channel.uom}-${channel.intervalLength}`}>
                  <td>{channel.nmi}</td>
                  <td>{channel.suffix}</td>
                  <td>{channel.uom || '—'}</td>
                  <td>{formatInterval(channel.intervalLength)}</td>
                  <td className="num">{formatCount(channel.days)}</td>
                  <td className="num">{formatCount(channel.readings)}</td>
                  <td className="num">{formatKwh(channel.totalKwh)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {shown.length > 0 && (
        <p className="hint scroll-cue" aria-hidden="true">
          Scroll the table sideways for days, readings and kWh →
        </p>
      )}
      {more > 0 && (
        <p className="more">
          and {formatCount(more)} more {more === 1 ? 'channel' : 'channels'}
          {!all && channels.length > shown.length && (
            <>
              {' '}
              <button type="button" className="link" onClick={() => setAll(true)}>
                Show {notKept > 0 ? `the first ${formatCount(channels.length)}` : `all ${formatCount(total)}`}
              </button>
            </>
          )}
          {notKept > 0 && (all || channels.length === shown.length) && <> (the status keeps the first {formatCount(channels.length)}; the readings explorer has every one)</>}
        </p>
      )}
    </section>
  );
}


function SqlDownload({ path, saveAs, download, size }: { path: string; saveAs: string; download: DownloadSql; size?: SqlSize }) {
  const [state, setState] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });
  const [bytes, setBytes] = useState<number | null>(null);
  useEffect(() => {
    let live = true;
    size?.(path).then(
      (found) => live && setBytes(found),
      () => {}, // the size is a courtesy: the download says why if the file cannot be read
    );
    return () => {
      live = false;
    };
  }, [size, path]);
  const onClick = () => {
    setState({ busy: true, error: null });
    download(path, saveAs).then(
      () => setState({ busy: false, error: null }),
      (error: unknown) => setState({ busy: false, error: (error as { code?: string }).code ?? String(error) }),
    );
  };
  return (
    <p className="sql-link">
      <button type="button" onClick={onClick} disabled={state.busy}>
        {state.busy ? 'Downloading…' : 'Download Flo SQL'}
      </button>{' '}
      <span className="hint">
        ({saveAs}
        {bytes !== null && `, ${formatBytes(bytes)}`}: gzipped SQL for meter_readings)
      </span>
      {state.error !== null && <span className="sql-error"> The Flo SQL file cannot be downloaded: {state.error}</span>}
    </p>
  );
}
