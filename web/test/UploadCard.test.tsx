import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { StatusChannel, StatusSummary } from '../src/uploads/model';
import { issuesCsv } from '../src/uploads/IssueGroups';
import { UploadCard } from '../src/uploads/UploadCard';
import { makeUpload } from './uploads.fixtures';

const noDownload = () => new Promise<void>(() => {});

function channel(index: number): StatusChannel {
  return {
    nmi: `NMI${String(index).padStart(7, '0')}`,
    suffix: 'E1',
    uom: 'kWh',
    intervalLength: 30,
    days: 2,
    readings: 96,
    total: '12.5',
    totalKwh: '12.5',
    firstDate: '2024-04-01',
    lastDate: '2024-04-02',
    missingDays: [],
    missingDayCount: 0,
    emptyIntervals: 0,
    quality: { A: 96 },
  };
}

const summary: StatusSummary = {
  readings: 96,
  quality: { A: 90, S: 6 },
  firstDate: '2024-04-01',
  lastDate: '2024-04-02',
  channelCount: 1,
  channels: [{ ...channel(1), nmi: 'NCDE001111', suffix: 'E1', uom: 'Wh', intervalLength: 15, days: 2, readings: 96, totalKwh: '1.92' }],
  missingDays: 3,
  emptyIntervals: 4,
};

function card() {
  return screen.getByTestId('upload-card');
}

describe('UploadCard', () => {
  it('shows a pending upload: name, size, status, created time', () => {
    render(<UploadCard upload={makeUpload({ fileName: 'pending.csv', bytes: 1536 })} downloadSql={noDownload} />);
    expect(card()).toHaveAttribute('data-status', 'pending');
    expect(card()).toHaveAttribute('data-file', 'pending.csv');
    expect(screen.getByRole('heading', { name: 'pending.csv' })).toBeInTheDocument();
    expect(within(card()).getByTestId('status-badge')).toHaveTextContent(/^pending$/);
    expect(card()).toHaveTextContent('1.5 KB');
    expect(card().querySelector('time')).toHaveAttribute('dateTime', '2024-05-01T02:00:00.000Z');
    expect(screen.queryByRole('progressbar')).not.toBeInTheDocument();
    expect(screen.queryByText(/readings:/)).not.toBeInTheDocument();
  });

  it('says what a splitting upload is doing', () => {
    render(<UploadCard upload={makeUpload({ status: 'splitting' })} downloadSql={noDownload} />);
    expect(card()).toHaveAttribute('data-status', 'splitting');
    expect(within(card()).getByTestId('status-badge')).toHaveTextContent(/^splitting$/);
    expect(card()).toHaveTextContent('Checking the whole file');
  });

  it('shows loading progress: chunks, readings, rate and time left', () => {
    const loadingAt = new Date('2024-05-01T02:00:10Z');
    render(
      <UploadCard
        upload={makeUpload({
          status: 'loading',
          chunks: { total: 8, done: 2 },
          readings: { total: 12_000, loaded: 3_000, new: 0, updated: 0, unchanged: 0 },
          loadingAt,
          updatedAt: new Date(loadingAt.getTime() + 6_000),
        })}
        downloadSql={noDownload}
      />,
    );
    expect(card()).toHaveAttribute('data-status', 'loading');
    const chunks = screen.getByRole('progressbar', { name: 'Chunks' });
    expect(chunks).toHaveAttribute('value', '2');
    expect(chunks).toHaveAttribute('max', '8');
    const readings = screen.getByRole('progressbar', { name: 'Readings' });
    expect(readings).toHaveAttribute('value', '3000');
    expect(readings).toHaveAttribute('max', '12000');
    expect(card()).toHaveTextContent('2 / 8');
    expect(card()).toHaveTextContent('3,000 / 12,000');
    // 3,000 readings in 6 s = 500 readings/s; 9,000 left = 18 s.
    expect(card()).toHaveTextContent('500 readings/s');
    expect(card()).toHaveTextContent('about 18 s left');
  });

  it('says when every chunk is in and the readings are being made visible, instead of sitting at 100%', () => {
    render(
      <UploadCard
        upload={makeUpload({ status: 'publishing', chunks: { total: 8, done: 8 }, readings: { total: 12_000, loaded: 12_000, new: 0, updated: 0, unchanged: 0 } })}
        downloadSql={noDownload}
      />,
    );
    expect(within(card()).getByTestId('status-badge')).toHaveTextContent(/^publishing$/);
    expect(card()).toHaveTextContent('making the readings visible, all at once');
    expect(screen.queryByRole('progressbar', { name: 'Chunks' })).toBeNull();
  });

  it('says the rate is being measured before any progress', () => {
    const at = new Date('2024-05-01T02:00:10Z');
    render(
      <UploadCard
        upload={makeUpload({ status: 'loading', chunks: { total: 3, done: 0 }, readings: { total: 300, loaded: 0, new: 0, updated: 0, unchanged: 0 }, loadingAt: at, updatedAt: at })}
        downloadSql={noDownload}
      />,
    );
    expect(card()).toHaveTextContent('Measuring the rate');
    expect(card()).not.toHaveTextContent('readings/s');
  });

  it('shows a done upload: totals and the data-quality summary', () => {
    render(
      <UploadCard
        upload={makeUpload({
          status: 'done',
          readings: { total: 96, loaded: 96, new: 80, updated: 10, unchanged: 6 },
          summary,
          finishedAt: new Date('2024-05-01T02:00:42Z'),
        })}
        downloadSql={noDownload}
      />,
    );
    expect(card()).toHaveAttribute('data-status', 'done');
    expect(within(card()).getByTestId('status-badge')).toHaveTextContent(/^done$/);
    const totals = card().querySelector('.totals');
    expect(totals).toHaveTextContent('96 readings: 80 new, 10 updated, 6 unchanged');
    expect(card()).toHaveTextContent('took 42 s');

    const quality = screen.getByRole('list', { name: 'Readings by quality flag' });
    expect(quality).toHaveTextContent('A Actual: 90');
    expect(quality).toHaveTextContent('S Substitute: 6');
    expect(quality).not.toHaveTextContent('Forward estimate');

    expect(card()).toHaveTextContent('2024-04-01 to 2024-04-02');
    const facts = card().querySelector('dl');
    expect(facts).toHaveTextContent('Channels1');
    expect(facts).toHaveTextContent('Missing days3');
    expect(facts).toHaveTextContent('Empty intervals4');

    const table = screen.getByRole('table', { name: 'Channels' });
    const [, row] = within(table).getAllByRole('row');
    expect(within(row).getAllByRole('cell').map((cell) => cell.textContent)).toEqual(['NCDE001111', 'E1', 'Wh', '15 min', '2', '96', '1.92']);
    expect(screen.queryByText(/more channel/)).not.toBeInTheDocument();
  });

  it('lists 20 channels, says how many more there are, and opens on the rest it keeps', async () => {
    const channels = Array.from({ length: 25 }, (_, i) => channel(i));
    render(
      <UploadCard
        upload={makeUpload({ status: 'done', readings: { total: 2400, loaded: 2400, new: 2400, updated: 0, unchanged: 0 }, summary: { ...summary, channelCount: 230, channels } })}
        downloadSql={noDownload}
      />,
    );
    const table = screen.getByRole('table', { name: 'Channels' });
    expect(within(table).getAllByRole('row')).toHaveLength(21); // header + 20
    expect(card()).toHaveTextContent('and 210 more channels');
    await userEvent.click(screen.getByRole('button', { name: 'Show the first 25' }));
    expect(within(table).getAllByRole('row')).toHaveLength(26);
    expect(card()).toHaveTextContent('and 205 more channels (the status keeps the first 25; the readings explorer has every one)');
    expect(card()).toHaveTextContent('2,400 readings: 2,400 new');
  });

  it('shows a failed upload with its errors grouped by code, distinct from warnings, and no empty quality block', async () => {
    render(
      <UploadCard
        upload={makeUpload({
          status: 'failed',
          errors: {
            count: 41,
            items: [
              { code: 'MISSING_END', line: 0, message: 'no 900 record at the end' },
              { code: 'INVALID_VALUE', line: 3, message: 'value "-1" is negative' },
            ],
            byCode: { MISSING_END: 1, INVALID_VALUE: 40 },
          },
          warnings: { count: 1, items: [{ code: 'BLANK_LINE', line: 7, message: 'blank line ignored' }], byCode: { BLANK_LINE: 1 } },
          summary: { readings: 0, quality: {}, firstDate: null, lastDate: null, channelCount: 0, channels: [], missingDays: 0, emptyIntervals: 0 },
        })}
        downloadSql={noDownload}
      />,
    );
    expect(card()).toHaveAttribute('data-status', 'failed');
    expect(within(card()).getByTestId('status-badge')).toHaveTextContent(/^failed$/);

    const errors = screen.getByRole('region', { name: '41 errors' });
    expect(errors).toHaveClass('issues-error');
    const groups = within(errors).getAllByTestId('issue-group');
    // The most frequent code first, with its count and its first line.
    expect(groups.map((group) => group.dataset.code)).toEqual(['INVALID_VALUE', 'MISSING_END']);
    expect(groups[0]).toHaveTextContent('INVALID_VALUE × 40 first at line 3: value "-1" is negative');
    expect(groups[1]).toHaveTextContent('MISSING_END × 1 first at file: no 900 record at the end');
    await userEvent.click(within(groups[0]).getByText('INVALID_VALUE'));
    expect(within(groups[0]).getByText('39 more of this code are counted, not listed.')).toBeVisible();
    expect(errors).toHaveTextContent('Download the first 2 as CSV (39 more are counted above but not kept)');

    const warnings = screen.getByRole('region', { name: '1 warning' });
    expect(warnings).toHaveClass('issues-warning');
    expect(warnings).toHaveTextContent('BLANK_LINE × 1 first at line 7: blank line ignored');
    expect(screen.queryByRole('heading', { name: 'Data quality' })).not.toBeInTheDocument();
  });

  it('groups 99 warnings of one code into one line', () => {
    const items = Array.from({ length: 99 }, (_, i) => ({ code: 'NMI_NOT_10_CHARACTERS', line: i + 2, message: `NMI "N${i}" is not 10 characters` }));
    render(<UploadCard upload={makeUpload({ status: 'done', warnings: { count: 99, items, byCode: { NMI_NOT_10_CHARACTERS: 99 } } })} downloadSql={noDownload} />);
    const [group, ...others] = screen.getAllByTestId('issue-group');
    expect(others).toHaveLength(0);
    expect(group).toHaveTextContent('NMI_NOT_10_CHARACTERS × 99 first at line 2');
    expect(within(group).getAllByRole('listitem', { hidden: true })).toHaveLength(99);
    expect(screen.getByRole('button', { name: 'Download the 99 warnings as CSV' })).toBeInTheDocument();
  });

  it('writes the issues as CSV, quoting what needs it', () => {
    const csv = issuesCsv('warning', { count: 2, items: [{ code: 'A', line: 2, message: 'plain' }, { code: 'B', line: 0, message: 'has "quotes", and a comma' }], byCode: { A: 1, B: 1 } });
    expect(csv).toBe('severity,code,line,message\r\nwarning,A,2,plain\r\nwarning,B,0,"has ""quotes"", and a comma"\r\n');
  });

  it('says "1 error" for a single error', () => {
    render(<UploadCard upload={makeUpload({ status: 'failed', errors: { count: 1, items: [{ code: 'STALLED', line: 0, message: 'stalled' }], byCode: { STALLED: 1 } } })} downloadSql={noDownload} />);
    expect(screen.getByRole('heading', { name: '1 error' })).toBeInTheDocument();
  });

  it("downloads the Flo SQL file on request, saved under the upload's own name", async () => {
    const download = vi.fn(async () => {});
    const sqlPath = 'uploads/acme/user-1/meter.csv.abcdef12.flo.sql.gz';
    render(<UploadCard upload={makeUpload({ status: 'done', fileName: 'meter.csv', sqlPath })} downloadSql={download} sqlSize={async (path) => (path === sqlPath ? 2_500_000 : 0)} />);
    // Its size, as soon as the file's metadata says it.
    expect(await screen.findByText('(meter.csv.flo.sql.gz, 2.4 MB: gzipped SQL for meter_readings)')).toBeInTheDocument();
    expect(download).not.toHaveBeenCalled();
    await userEvent.click(screen.getByRole('button', { name: 'Download Flo SQL' }));
    expect(download).toHaveBeenCalledWith(sqlPath, 'meter.csv.flo.sql.gz');
    expect(screen.queryByRole('link')).not.toBeInTheDocument();
  });

  it('says why the Flo SQL file cannot be downloaded', async () => {
    const download = () => Promise.reject(Object.assign(new Error('nope'), { code: 'storage/unauthorized' }));
    render(<UploadCard upload={makeUpload({ status: 'done', sqlPath: 'uploads/acme/u/x.flo.sql.gz' })} downloadSql={download} />);
    await userEvent.click(screen.getByRole('button', { name: 'Download Flo SQL' }));
    expect(await screen.findByText(/cannot be downloaded: storage\/unauthorized/)).toBeInTheDocument();
  });

  it('has no SQL download without sqlPath, and shows sqlError', () => {
    const download = vi.fn(noDownload);
    render(<UploadCard upload={makeUpload({ status: 'done', sqlError: 'bucket unreachable' })} downloadSql={download} />);
    expect(screen.queryByRole('button', { name: 'Download Flo SQL' })).not.toBeInTheDocument();
    expect(card()).toHaveTextContent('Flo SQL file not written: bucket unreachable');
    expect(download).not.toHaveBeenCalled();
  });
});
