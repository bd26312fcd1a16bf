import { useCallback, useRef, useState } from 'react';
import { refusalOf, sendErrorMessage } from './validateFile';

/** Sends one file, reporting bytes sent; resolves when it is stored. Firebase Storage in the app. */
export type SendFile = (file: File, onProgress: (sent: number, total: number) => void) => Promise<void>;

export interface FileUpload {
  id: number;
  name: string;
  size: number;
  sent: number;
  state: 'refused' | 'sending' | 'sent' | 'failed';
  /** Why it was refused or failed. */
  message: string | null;
}

/** The files sent from this page, each with its progress; refused files never reach `send`. */
export function useFileUploads(send: SendFile) {
  const [items, setItems] = useState<FileUpload[]>([]);
  const nextId = useRef(0);

  const update = useCallback((id: number, patch: Partial<FileUpload>) => {
    setItems((list) => list.map((item) => (item.id === id ? { ...item, ...patch } : item)));
  }, []);

  const add = useCallback(
    (files: readonly File[]) => {
      for (const file of files) {
        const id = nextId.current++;
        const refusal = refusalOf(file);
        const item: FileUpload = {
          id,
          name: file.name,
          size: file.size,
          sent: 0,
          state: refusal === null ? 'sending' : 'refused',
          message: refusal,
        };
        setItems((list) => [item, ...list]);
        if (refusal !== null) continue;
        send(file, (sent, total) => update(id, { sent, size: total })).then(
          () => update(id, { state: 'sent', sent: file.size }),
          (error: unknown) => update(id, { state: 'failed', message: sendErrorMessage(error) }),
        );
      }
    },
    [send, update],
  );

  const dismiss = useCallback((id: number) => setItems((list) => list.filter((item) => item.id !== id)), []);

  return { items, add, dismiss };
}
