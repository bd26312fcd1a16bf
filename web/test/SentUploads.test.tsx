import { act, fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { UploadPanel } from '../src/upload/UploadPanel';
import type { SendFile, StoredObject } from '../src/upload/useFileUploads';
import type { Upload } from '../src/uploads/model';
import { isStatusOf, STATUS_WAIT_MS, type SentUpload } from '../src/uploads/sentUploads';
import { UploadList } from '../src/uploads/UploadList';
import { useSentUploads } from '../src/uploads/useSentUploads';
import { makeUpload } from './uploads.fixtures';

const pathOf = (name: string) => `uploads/acme/user-1/${name}`;

/** The uploads page's wiring of the send panel and the list (Storage and Firestore stood in for). */
function Page({ uploads, send }: { uploads: Upload[]; send: SendFile }) {
  const { sent, onSent, dismiss, waitMs } = useSentUploads(uploads, pathOf);
  return (
    <>
      <UploadPanel send={send} onSent={onSent} />
      <UploadList state="ready" uploads={uploads} error={null} hasMore={false} loadingMore={false} onShowMore={() => {}} sent={sent} statusWaitMs={waitMs} onDismissSent={dismiss} downloadSql={() => new Promise(() => {})} />
    </>
  );
}

/** Storage as the page sees it: each send resolves with the object it stored (a new generation each time). */
function storage() {
  let generation = 1000;
  const send: SendFile = async (file, progress) => {
    progress(file.size, file.size);
    return { path: pathOf(file.name), generation: String(generation++) } satisfies StoredObject;
  };
  return send;
}

const rows = () => screen.queryAllByTestId('upload-row').map((row) => `${row.dataset.file}:${row.dataset.status}`);

afterEach(() => {
  vi.useRealTimers();
});

describe('files sent, before their status documents', () => {
  it('show in the list at once, and are replaced by their documents (matched by path)', async () => {
    const user = userEvent.setup();
    const { rerender } = render(<Page uploads={[]} send={storage()} />);
    await user.upload(screen.getByTestId('file-input'), [new File(['a'], 'a.csv'), new File(['bb'], 'b.csv')]);
    // Both in the list straight away, newest first, as sent and waiting.
    expect(rows()).toEqual(['b.csv:sent', 'a.csv:sent']);
    expect(screen.queryByText(/No uploads yet/)).not.toBeInTheDocument();
    const row = screen.getAllByTestId('upload-row')[1];
    expect(row).toHaveTextContent('a.csv');
    expect(row).toHaveTextContent('sent');
    expect(row).toHaveTextContent('waiting for the pipeline');
    // a.csv's document comes (generation 1000: the first send): it takes the row's place; b.csv still waits.
    rerender(<Page uploads={[makeUpload({ id: 'doc-a', fileName: 'a.csv', path: pathOf('a.csv'), generation: '1000', status: 'pending' })]} send={storage()} />);
    expect(rows()).toEqual(['b.csv:sent', 'a.csv:pending']);
    rerender(
      <Page
        uploads={[makeUpload({ id: 'doc-b', fileName: 'b.csv', path: pathOf('b.csv'), generation: '1001', status: 'splitting' }), makeUpload({ id: 'doc-a', fileName: 'a.csv', path: pathOf('a.csv'), generation: '1000', status: 'loading' })]}
        send={storage()}
      />,
    );
    expect(rows()).toEqual(['b.csv:splitting', 'a.csv:loading']);
  });

  it('are not taken for an earlier upload of the same name', async () => {
    const user = userEvent.setup();
    const earlier = makeUpload({ id: 'old', fileName: 'a.csv', path: pathOf('a.csv'), generation: '1', status: 'done' });
    render(<Page uploads={[earlier]} send={storage()} />);
    await user.upload(screen.getByTestId('file-input'), new File(['a'], 'a.csv'));
    expect(rows()).toEqual(['a.csv:sent', 'a.csv:done']);
  });

  it('are flagged when no document has come after a few minutes', async () => {
    vi.useFakeTimers();
    render(<Page uploads={[]} send={storage()} />);
    // (fireEvent: user-event waits on timers of its own, which fake timers would stop.)
    fireEvent.change(screen.getByTestId('file-input'), { target: { files: [new File(['a'], 'lost.csv')] } });
    await act(async () => {});
    expect(rows()).toEqual(['lost.csv:sent']);
    act(() => vi.advanceTimersByTime(STATUS_WAIT_MS - 1000));
    expect(screen.queryByText(/the pipeline may have missed it/)).not.toBeInTheDocument();
    act(() => vi.advanceTimersByTime(1000));
    const row = screen.getByTestId('upload-row');
    expect(within(row).getByRole('alert')).toHaveTextContent('No status yet after 3 min: the pipeline may have missed it.');
    fireEvent.click(within(row).getByRole('button', { name: 'Dismiss lost.csv' }));
    expect(rows()).toEqual([]);
  });
});

describe('isStatusOf', () => {
  const sent: SentUpload = { key: 'k', path: pathOf('a.csv'), generation: '7', fileName: 'a.csv', bytes: 1, sentAt: new Date(), before: [], overdue: false };

  it('is the document of the same object: path and generation', () => {
    expect(isStatusOf(sent, { id: 'x', path: pathOf('a.csv'), generation: '7' })).toBe(true);
    expect(isStatusOf(sent, { id: 'x', path: pathOf('a.csv'), generation: '6' })).toBe(false);
    expect(isStatusOf(sent, { id: 'x', path: pathOf('b.csv'), generation: '7' })).toBe(false);
    // Without a generation: a document of that path that was not there when it was sent.
    const unknown = { ...sent, generation: null, before: ['old'] };
    expect(isStatusOf(unknown, { id: 'old', path: pathOf('a.csv'), generation: '6' })).toBe(false);
    expect(isStatusOf(unknown, { id: 'new', path: pathOf('a.csv'), generation: '7' })).toBe(true);
  });
});
