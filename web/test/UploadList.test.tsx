import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
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

  it('shows one card per upload, in the order given', () => {
    const uploads = [makeUpload({ id: 'b', fileName: 'new.csv', status: 'loading' }), makeUpload({ id: 'a', fileName: 'old.csv', status: 'done' })];
    render(<UploadList {...props({ uploads })} />);
    const cards = screen.getAllByTestId('upload-card');
    expect(cards.map((card) => card.dataset.file)).toEqual(['new.csv', 'old.csv']);
    expect(cards.map((card) => card.dataset.status)).toEqual(['loading', 'done']);
  });

  it('asks for more with "Show more", and says when it is loading them', async () => {
    const onShowMore = vi.fn();
    const uploads = Array.from({ length: 20 }, (_, i) => makeUpload({ id: `u${i}`, fileName: `f${i}.csv` }));
    const { rerender } = render(<UploadList {...props({ uploads, hasMore: true, onShowMore })} />);
    await userEvent.click(screen.getByRole('button', { name: 'Show more' }));
    expect(onShowMore).toHaveBeenCalledOnce();

    rerender(<UploadList {...props({ uploads, hasMore: true, loadingMore: true, onShowMore })} />);
    expect(screen.getByRole('button', { name: 'Loading more…' })).toBeDisabled();
    expect(screen.getAllByTestId('upload-card')).toHaveLength(20);
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

describe('listErrorMessage', () => {
  const firestoreError = (code: string, message = 'Missing or insufficient permissions.') => Object.assign(new Error(message), { code });

  it('says why the live query stopped', () => {
    expect(listErrorMessage(firestoreError('permission-denied'))).toBe("permission denied: you can only see your organisation's uploads (permission-denied).");
    expect(listErrorMessage(firestoreError('failed-precondition', 'The query requires an index.'))).toMatch(/needs an index on uploads \(org, createdAt descending\)/);
    expect(listErrorMessage(firestoreError('internal', 'boom'))).toBe('boom (internal)');
    expect(listErrorMessage(new Error('plain'))).toBe('plain');
  });
});
