import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { UploadPanel } from '../src/upload/UploadPanel';
import type { SendFile } from '../src/upload/useFileUploads';
import { MAX_UPLOAD_BYTES, refusalOf, uploadPathOf } from '../src/upload/validateFile';

const file = (name: string, content = 'content') => new File([content], name);

/** A file that claims a size without holding it (a real 1 GB File would be too big for the test). */
function sized(name: string, size: number): File {
  const f = file(name, 'x');
  Object.defineProperty(f, 'size', { value: size });
  return f;
}

/** A stand-in for Storage: the test drives each send's progress and outcome. */
function controlledSend() {
  const sends: { file: File; progress: (sent: number, total: number) => void; resolve: () => void; reject: (e: unknown) => void; signal: AbortSignal }[] = [];
  const send: SendFile = vi.fn(
    (f, progress, signal) =>
      new Promise<void>((resolve, reject) => {
        // As Storage does: a cancelled task rejects with storage/canceled.
        signal.addEventListener('abort', () => reject(Object.assign(new Error('cancelled'), { code: 'storage/canceled' })));
        sends.push({ file: f, progress, resolve, reject, signal });
      }),
  );
  return { send, sends };
}

describe('UploadPanel', () => {
  it('refuses an empty file without sending it', async () => {
    const { send } = controlledSend();
    render(<UploadPanel send={send} />);
    await userEvent.upload(screen.getByTestId('file-input'), file('empty.csv', ''));
    expect(await screen.findByRole('alert')).toHaveTextContent('EMPTY_FILE: the file is empty');
    expect(send).not.toHaveBeenCalled();
    expect(screen.getByTestId('sending-file')).toHaveTextContent('Refused');
  });

  it('refuses a file of 1 GB or more without sending it', async () => {
    const { send } = controlledSend();
    render(<UploadPanel send={send} />);
    await userEvent.upload(screen.getByTestId('file-input'), sized('huge.zip', MAX_UPLOAD_BYTES + 512 * 1024 * 1024));
    expect(await screen.findByRole('alert')).toHaveTextContent('FILE_TOO_LARGE: the file is 1.5 GB (1,610,612,736 bytes); the largest accepted is 1,073,741,823 bytes (just under 1 GB)');
    expect(send).not.toHaveBeenCalled();
  });

  it('sends the good files of a selection and refuses the bad ones', async () => {
    const { send } = controlledSend();
    render(<UploadPanel send={send} />);
    await userEvent.upload(screen.getByTestId('file-input'), [file('good.zip', 'PK...'), file('empty.csv', '')]);
    expect(send).toHaveBeenCalledTimes(1);
    expect(vi.mocked(send).mock.calls[0][0].name).toBe('good.zip');
    expect(screen.getAllByRole('alert')).toHaveLength(1);
  });

  it('shows the bytes sent per file, then that it is uploaded', async () => {
    const { send, sends } = controlledSend();
    render(<UploadPanel send={send} />);
    await userEvent.upload(screen.getByTestId('file-input'), file('meter.csv', 'x'.repeat(4096)));
    const row = screen.getByTestId('sending-file');
    expect(row).toHaveTextContent('Uploading');

    act(() => sends[0].progress(1024, 4096));
    const bar = within(row).getByRole('progressbar', { name: 'meter.csv' });
    expect(bar).toHaveAttribute('value', '1024');
    expect(bar).toHaveAttribute('max', '4096');
    expect(row).toHaveTextContent('1 KB of 4 KB');

    await act(async () => sends[0].resolve());
    expect(row).toHaveTextContent('Uploaded');
    expect(row).toHaveTextContent('4 KB of 4 KB');
  });

  it('lets a file sent leave the panel by itself after a while; one that failed stays', async () => {
    const { send, sends } = controlledSend();
    render(<UploadPanel send={send} lingerMs={50} />);
    await userEvent.upload(screen.getByTestId('file-input'), [file('sent.csv'), file('failed.csv')]);
    await act(async () => {
      sends[0].resolve();
      sends[1].reject(Object.assign(new Error('nope'), { code: 'storage/unknown' }));
    });
    expect(screen.getAllByTestId('sending-file')).toHaveLength(2);
    await waitFor(() => expect(screen.getAllByTestId('sending-file').map((row) => row.textContent)).toEqual([expect.stringContaining('failed.csv')]));
  });

  it('shows why a send failed', async () => {
    const { send, sends } = controlledSend();
    render(<UploadPanel send={send} />);
    await userEvent.upload(screen.getByTestId('file-input'), file('meter.csv'));
    await act(async () => sends[0].reject(Object.assign(new Error('Firebase Storage: User does not have permission'), { code: 'storage/unauthorized' })));
    expect(screen.getByRole('alert')).toHaveTextContent("not allowed: you may only upload files under 1 GB into your own organisation's folder (storage/unauthorized)");
    expect(screen.getByTestId('sending-file')).toHaveTextContent('Upload failed');
  });

  it('opens the file picker from a keyboard-usable button', async () => {
    const { send } = controlledSend();
    render(<UploadPanel send={send} />);
    const input = screen.getByTestId('file-input') as HTMLInputElement;
    expect(input).toHaveAttribute('multiple');
    expect(input).not.toHaveAttribute('accept');
    const click = vi.spyOn(input, 'click');
    screen.getByRole('button', { name: 'Choose files' }).focus();
    await userEvent.keyboard('{Enter}');
    expect(click).toHaveBeenCalled();
  });

  it('takes dropped files', async () => {
    const { send } = controlledSend();
    render(<UploadPanel send={send} />);
    const zone = screen.getByTestId('drop-zone');
    const dropped = file('dropped.csv');
    const dataTransfer = { files: [dropped], types: ['Files'], dropEffect: 'none' };
    fireEvent.dragEnter(zone, { dataTransfer });
    expect(zone).toHaveClass('dragging');
    fireEvent.drop(zone, { dataTransfer });
    expect(zone).not.toHaveClass('dragging');
    expect(send).toHaveBeenCalledWith(dropped, expect.any(Function), expect.any(AbortSignal));
  });
});

describe('refusalOf and uploadPathOf', () => {
  it('draws the line where storage.rules does', () => {
    // The limit storage.rules enforces, read from the rules themselves: `request.resource.size < A * B * C`.
    const rules = readFileSync(join(__dirname, '..', '..', 'storage.rules'), 'utf8');
    const limit = /request\.resource\.size < ([\d\s*]+);/.exec(rules)?.[1];
    expect(limit).toMatch(/\d/);
    expect(MAX_UPLOAD_BYTES).toBe(limit!.split('*').reduce((product, factor) => product * Number(factor.trim()), 1));
    expect(refusalOf({ size: 1 })).toBeNull();
    expect(refusalOf({ size: MAX_UPLOAD_BYTES - 1 })).toBeNull();
    expect(refusalOf({ size: MAX_UPLOAD_BYTES })).toMatch(/^FILE_TOO_LARGE/);
    expect(refusalOf({ size: 0 })).toBe('EMPTY_FILE: the file is empty');
  });

  it("puts files in the organisation's folder, under the member's uid, where the pipeline reads them", () => {
    expect(uploadPathOf('acme', 'uid-1', 'Example NEM12.csv')).toBe('uploads/acme/uid-1/Example NEM12.csv');
  });

  it('cancels a send, and sends it again on retry', async () => {
    const { send, sends } = controlledSend();
    render(<UploadPanel send={send} />);
    await userEvent.upload(screen.getByTestId('file-input'), file('meter.csv', 'x'.repeat(100)));
    await userEvent.click(screen.getByRole('button', { name: 'Cancel meter.csv' }));
    expect(sends[0].signal.aborted).toBe(true);
    const row = screen.getByTestId('sending-file');
    expect(row).toHaveTextContent('Cancelled');
    expect(within(row).queryByRole('button', { name: 'Cancel meter.csv' })).toBeNull();

    await userEvent.click(screen.getByRole('button', { name: 'Retry meter.csv' }));
    expect(send).toHaveBeenCalledTimes(2);
    expect(sends[1].file).toBe(sends[0].file);
    await act(async () => sends[1].resolve());
    expect(screen.getByTestId('sending-file')).toHaveTextContent('Uploaded');
  });

  it('gives up a send that moves no byte for the stall time, and says why', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      const { send, sends } = controlledSend();
      render(<UploadPanel send={send} stallMs={5_000} />);
      fireEvent.change(screen.getByTestId('file-input'), { target: { files: [file('slow.csv', 'x'.repeat(100))] } });
      act(() => sends[0].progress(10, 100));
      await act(async () => vi.advanceTimersByTime(4_000));
      expect(screen.getByTestId('sending-file')).toHaveTextContent('Uploading');
      act(() => sends[0].progress(20, 100)); // progress resets the clock
      await act(async () => vi.advanceTimersByTime(4_000));
      expect(sends[0].signal.aborted).toBe(false);
      await act(async () => vi.advanceTimersByTime(1_500));
      expect(sends[0].signal.aborted).toBe(true);
      expect(screen.getByRole('alert')).toHaveTextContent('no progress for 5 s: the connection may be down');
      expect(screen.getByRole('button', { name: 'Retry slow.csv' })).toBeInTheDocument();
    } finally {
      vi.useRealTimers();
    }
  });

  it('clears finished sends (uploaded, refused, cancelled) and keeps the ones sending or failed', async () => {
    const { send, sends } = controlledSend();
    render(<UploadPanel send={send} />);
    await userEvent.upload(screen.getByTestId('file-input'), [file('done.csv'), file('failing.csv'), file('running.csv'), file('empty.csv', '')]);
    await act(async () => sends[0].resolve());
    await act(async () => sends[1].reject(Object.assign(new Error('x'), { code: 'storage/retry-limit-exceeded' })));
    await userEvent.click(screen.getByRole('button', { name: 'Clear finished (2)' }));
    const left = screen.getAllByTestId('sending-file').map((row) => row.getAttribute('data-file'));
    expect(left.sort()).toEqual(['failing.csv', 'running.csv']);
    expect(screen.queryByRole('button', { name: /Clear finished/ })).toBeNull();
  });
});
