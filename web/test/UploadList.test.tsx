import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { FileName } from '../src/uploads/FileName';
import { listErrorMessage } from '../src/uploads/listErrors';
import { UploadList, type UploadListProps } from '../src/uploads/UploadList';
import { makeUpload } from './uploads.fixtures';

function props(patch: Partial<UploadListProps> = {}): UploadListProps {
  return {
    state: 'ready',
    uploads: [],
    error: null,
    hasMore: false,
    loadingMore: false,
    onShowMore: () => {},
    downloadSql: () => new Promise(() => {}),
    ...patch,
  };
}

describe('UploadList', () => {
  it('says it is loading before the first snapshot', () => {
    render(<UploadList {...props({ state: 'loading' })} />);
    expect(screen.getByRole('status')).toHaveTextContent('Loading your uploads');
    expect(screen.queryByText(/No uploads yet/)).not.toBeInTheDocument();
  });

  it('has a designed empty state', () => {
    render(<UploadList {...props()} />);
    expect(screen.getByText('No uploads yet: drop a NEM12 file above')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Show more' })).not.toBeInTheDocument();
  });

  it('shows why the list cannot be read, and retries', async () => {
    const onRetry = vi.fn();
    render(<UploadList {...props({ state: 'error', error: 'permission denied (permission-denied).', onRetry })} />);
    expect(screen.getByRole('alert')).toHaveTextContent('Your uploads cannot be shown: permission denied (permission-denied).');
    expect(screen.queryByText(/No uploads yet/)).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(onRetry).toHaveBeenCalledOnce();
  });

  it('shows one compact row per upload, in the order given, each opening on its details', async () => {
    const uploads = [
      makeUpload({ id: 'b', fileName: 'new.csv', status: 'loading', readings: { total: 200, loaded: 90, new: 0, updated: 0, unchanged: 0 } }),
      makeUpload({ id: 'a', fileName: 'old.csv', status: 'done', bytes: 4096, readings: { total: 1152, loaded: 1152, new: 1152, updated: 0, unchanged: 0 } }),
    ];
    render(<UploadList {...props({ uploads })} />);
    const rows = screen.getAllByTestId('upload-row');
    expect(rows.map((row) => row.dataset.file)).toEqual(['new.csv', 'old.csv']);
    expect(rows.map((row) => row.dataset.status)).toEqual(['loading', 'done']);
    expect(rows[0]).toHaveTextContent('45% of 200');
    expect(rows[1]).toHaveTextContent('old.csvdone4 KB1,152 readings');
    // Closed: no details in the page until asked.
    expect(screen.queryByTestId('upload-card')).not.toBeInTheDocument();
    const open = within(rows[1]).getByRole('button', { expanded: false });
    await userEvent.click(open);
    expect(open).toHaveAttribute('aria-expanded', 'true');
    expect(within(rows[1]).getByTestId('upload-card')).toHaveTextContent('1,152 readings: 1,152 new, 0 updated, 0 unchanged');
  });

  it('filters by status and finds uploads by any part of their name, in any case', async () => {
    const uploads = [
      makeUpload({ id: 'c', fileName: 'March-Retail.csv', status: 'failed' }),
      makeUpload({ id: 'b', fileName: 'april.csv', status: 'publishing' }),
      makeUpload({ id: 'a', fileName: 'retail-may.zip', status: 'done' }),
    ];
    render(<UploadList {...props({ uploads, hasMore: true })} />);
    const files = () => screen.getAllByTestId('upload-row').map((row) => row.dataset.file);
    await userEvent.selectOptions(screen.getByLabelText('Status'), 'In progress');
    expect(files()).toEqual(['april.csv']);
    await userEvent.selectOptions(screen.getByLabelText('Status'), 'All');
    await userEvent.type(screen.getByLabelText('Name'), 'RETAIL');
    expect(files()).toEqual(['March-Retail.csv', 'retail-may.zip']);
    expect(screen.getByText('2 of 3 uploads loaded')).toBeInTheDocument();
    await userEvent.selectOptions(screen.getByLabelText('Status'), 'Failed');
    expect(files()).toEqual(['March-Retail.csv']);
  });

  it('asks for more with "Show more", and says when it is loading them', async () => {
    const onShowMore = vi.fn();
    const uploads = Array.from({ length: 20 }, (_, i) => makeUpload({ id: `u${i}`, fileName: `f${i}.csv` }));
    const { rerender } = render(<UploadList {...props({ uploads, hasMore: true, onShowMore })} />);
    await userEvent.click(screen.getByRole('button', { name: 'Show more' }));
    expect(onShowMore).toHaveBeenCalledOnce();

    rerender(<UploadList {...props({ uploads, hasMore: true, loadingMore: true, onShowMore })} />);
    expect(screen.getByRole('button', { name: 'Loading more…' })).toBeDisabled();
    expect(screen.getAllByTestId('upload-row')).toHaveLength(20);
  });

  it('announces status changes in a live region', () => {
    const before = [makeUpload({ id: 'a', fileName: 'a.csv', status: 'loading' })];
    const { rerender } = render(<UploadList {...props({ uploads: before })} />);
    const live = screen.getByTestId('status-announcer');
    expect(live).toHaveAttribute('aria-live', 'polite');
    expect(live).toHaveTextContent('');

    rerender(<UploadList {...props({ uploads: [makeUpload({ id: 'a', fileName: 'a.csv', status: 'done' })] })} />);
    expect(live).toHaveTextContent('a.csv is now done.');
  });
});

describe('FileName', () => {
  it('lets a long name wrap between its parts, not inside them, with the whole name on hover', () => {
    const { container } = render(<FileName name="Example_NEM12_multiple_meters.2024-03.csv" />);
    const name = container.firstElementChild as HTMLElement;
    expect(name).toHaveAttribute('title', 'Example_NEM12_multiple_meters.2024-03.csv');
    expect(name).toHaveTextContent('Example_NEM12_multiple_meters.2024-03.csv');
    // A wrapping point after each part: Example_ NEM12_ multiple_ meters. 2024- 03.csv
    expect(Array.from(name.childNodes).map((node) => (node.nodeName === 'WBR' ? '|' : node.textContent)).join('')).toBe('Example_|NEM12_|multiple_|meters.|2024-|03.csv');
  });
});

describe('listErrorMessage', () => {
  const firestoreError = (code: string, message = 'Missing or insufficient permissions.') => Object.assign(new Error(message), { code });

  it('says why the live query stopped', () => {
    expect(listErrorMessage(firestoreError('permission-denied'))).toBe("permission denied: you can only see your organisation's uploads (permission-denied).");
    expect(listErrorMessage(firestoreError('failed-precondition', 'The query requires an index.'))).toMatch(/needs an index on uploads \(org, createdAt descending\)/);
    expect(listErrorMessage(firestoreError('internal', 'boom'))).toBe('boom (internal)');
    expect(listErrorMessage(new Error('plain'))).toBe('plain');
  });
});
