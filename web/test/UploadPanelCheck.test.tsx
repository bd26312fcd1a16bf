import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { CheckFile } from '../src/upload/checkInWorker';
import { checkFile } from '../src/upload/fileCheck';
import { UploadPanel } from '../src/upload/UploadPanel';
import type { SendFile } from '../src/upload/useFileUploads';

// The panel with the page's real check (fileCheck.ts, run here without its worker): a file the
// pipeline would refuse shows its errors and waits for "Send anyway"; a loadable one shows what it
// holds and is sent. Storage is the only stand-in.
const CORPUS = join(__dirname, '..', '..', 'functions', 'test', 'fixtures', 'corpus');
const corpusFile = (path: string) => new File([readFileSync(join(CORPUS, path))], path.split('/').at(-1)!);
const check: CheckFile = (file, onProgress) => checkFile(file, onProgress);

function storage() {
  const sent: File[] = [];
  const send: SendFile = vi.fn(async (file: File) => {
    sent.push(file);
  });
  return { send, sent };
}

describe('UploadPanel checks each file before sending it', () => {
  it('a loadable file: its summary, then it is sent', async () => {
    const { send, sent } = storage();
    render(<UploadPanel send={send} check={check} />);
    await userEvent.upload(screen.getByTestId('file-input'), corpusFile('nem-reader/unzipped/Example_NEM12_multiple_meters.csv'));
    const row = screen.getByTestId('sending-file');
    expect(await within(row).findByText(/^Uploaded$/)).toBeInTheDocument();
    expect(within(row).getByTestId('check-summary')).toHaveTextContent('Checked: 2 NMIs, 2 days, 1,152 readings, 0 warnings');
    expect(sent.map((file) => file.name)).toEqual(['Example_NEM12_multiple_meters.csv']);
  });

  it('a file with errors: not sent, its errors grouped by code with their lines, until "Send anyway"', async () => {
    const { send, sent } = storage();
    render(<UploadPanel send={send} check={check} />);
    const text = '100,NEM12,200405011135,MDA1,Ret1\r\n200,VABD000163,E1Q1,1,E1,N1,METSER123,kWh,30,\r\n300,20040201,x,' + '1,'.repeat(47) + 'A,,,20040202120025,\r\n';
    await userEvent.upload(screen.getByTestId('file-input'), new File([text], 'broken.csv'));
    const row = screen.getByTestId('sending-file');
    expect(await within(row).findByText('Not sent: errors found')).toBeInTheDocument();
    expect(send).not.toHaveBeenCalled();
    const groups = within(row).getAllByTestId('issue-group').map((group) => group.getAttribute('data-code'));
    expect(groups).toEqual(expect.arrayContaining(['INVALID_VALUE', 'MISSING_END']));
    const invalid = within(row).getAllByTestId('issue-group').find((group) => group.getAttribute('data-code') === 'INVALID_VALUE')!;
    expect(invalid).toHaveTextContent(/line 3/);

    await act(async () => userEvent.click(within(row).getByRole('button', { name: 'Send broken.csv anyway' })));
    expect(sent.map((file) => file.name)).toEqual(['broken.csv']);
    expect(row).toHaveTextContent('Uploaded');
  });

  it('a zip holding two files is refused the way the pipeline would refuse it', async () => {
    const { send } = storage();
    render(<UploadPanel send={send} check={check} />);
    const { zipSync } = await import('fflate');
    const bytes = readFileSync(join(CORPUS, 'nem-reader/unzipped/Example_NEM12_multiple_meters.csv'));
    await userEvent.upload(screen.getByTestId('file-input'), new File([zipSync({ 'a.csv': bytes, 'b.csv': bytes })], 'two.zip'));
    const row = screen.getByTestId('sending-file');
    expect(await within(row).findByText('Not sent: errors found')).toBeInTheDocument();
    expect(within(row).getAllByTestId('issue-group').map((group) => group.getAttribute('data-code'))).toEqual(['ZIP_NOT_ONE_FILE']);
    expect(send).not.toHaveBeenCalled();
  });

  it('a check cancelled while it runs: the file is not sent, even if the checker finishes after all', async () => {
    const { send } = storage();
    let finish = () => {};
    // The real check, held until the test lets it finish (a checker need not stop when aborted).
    const held: CheckFile = (file, onProgress) => new Promise((resolve) => (finish = () => resolve(checkFile(file, onProgress))));
    render(<UploadPanel send={send} check={held} />);
    await userEvent.upload(screen.getByTestId('file-input'), corpusFile('nem-reader/unzipped/Example_NEM12_multiple_meters.csv'));
    const row = screen.getByTestId('sending-file');
    expect(row).toHaveTextContent('Checking');
    expect(within(row).getByRole('progressbar', { name: 'Checking Example_NEM12_multiple_meters.csv' })).toHaveAttribute('value', '0');
    await act(async () => userEvent.click(within(row).getByRole('button', { name: 'Cancel Example_NEM12_multiple_meters.csv' })));
    await act(async () => finish());
    expect(row).toHaveTextContent('Cancelled');
    expect(send).not.toHaveBeenCalled();
  });
});
