import { useCallback, useEffect, useRef, useState } from 'react';
import { refusalOf, sendErrorMessage } from './validateFile';

/**
 * Sends one file, reporting bytes sent; resolves when it is stored, rejects when it fails or
 * `signal` aborts it. Firebase Storage in the app.
 */
export type SendFile = (file: File, onProgress: (sent: number, total: number) => void, signal: AbortSignal) => Promise<void>;

export interface FileUpload {
  id: number;
  name: string;
  size: number;
  sent: number;
  state: 'refused' | 'sending' | 'sent' | 'failed' | 'cancelled';
  /** Why it was refused or failed. */
  message: string | null;
}

/** A send that moves no byte for this long is given up (a dead connection, a server that never answers). */
export const STALL_MS = 60_000;

/** A file sent stays this long in the panel, then leaves it: its upload is in the list below by then. */
export const SENT_LINGER_MS = 20_000;

/** Sends "Clear finished" removes: nothing left to do or retry for them unless asked. */
export const isFinished = (item: FileUpload) => item.state === 'sent' || item.state === 'refused' || item.state === 'cancelled';

/**
 * The files sent from this page, each with its progress; refused files never reach `send`. Every
 * send can be cancelled, times out when it stalls, and can be retried once it failed or was
 * cancelled; finished ones can be cleared, and those sent clear themselves after `lingerMs`.
 */
export function useFileUploads(send: SendFile, stallMs = STALL_MS, lingerMs = SENT_LINGER_MS) {
  const [items, setItems] = useState<FileUpload[]>([]);
  const nextId = useRef(0);
  const files = useRef(new Map<number, File>());
  const running = useRef(new Map<number, AbortController>());
  const lingering = useRef(new Set<ReturnType<typeof setTimeout>>());

  const update = useCallback((id: number, patch: Partial<FileUpload>) => {
    setItems((list) => list.map((item) => (item.id === id ? { ...item, ...patch } : item)));
  }, []);

  const start = useCallback(
    (id: number, file: File) => {
      const control = new AbortController();
      running.current.set(id, control);
      let watchdog = setTimeout(() => control.abort('stalled'), stallMs);
      const progress = (sent: number, total: number) => {
        clearTimeout(watchdog);
        watchdog = setTimeout(() => control.abort('stalled'), stallMs);
        update(id, { sent, size: total });
      };
      update(id, { state: 'sending', sent: 0, message: null });
      send(file, progress, control.signal)
        .then(
          () => {
            update(id, { state: 'sent', sent: file.size });
            const timer = setTimeout(() => {
              lingering.current.delete(timer);
              files.current.delete(id);
              setItems((list) => list.filter((item) => item.id !== id));
            }, lingerMs);
            lingering.current.add(timer);
          },
          (error: unknown) => {
            if (control.signal.reason === 'cancelled') update(id, { state: 'cancelled', message: null });
            else if (control.signal.reason === 'stalled') update(id, { state: 'failed', message: `no progress for ${Math.round(stallMs / 1000)} s: the connection may be down` });
            else update(id, { state: 'failed', message: sendErrorMessage(error) });
          },
        )
        .finally(() => {
          clearTimeout(watchdog);
          running.current.delete(id);
        });
    },
    [send, stallMs, lingerMs, update],
  );

  const add = useCallback(
    (picked: readonly File[]) => {
      for (const file of picked) {
        const id = nextId.current++;
        const refusal = refusalOf(file);
        const item: FileUpload = { id, name: file.name, size: file.size, sent: 0, state: refusal === null ? 'sending' : 'refused', message: refusal };
        setItems((list) => [item, ...list]);
        if (refusal !== null) continue;
        files.current.set(id, file);
        start(id, file);
      }
    },
    [start],
  );

  const cancel = useCallback((id: number) => running.current.get(id)?.abort('cancelled'), []);
  const retry = useCallback(
    (id: number) => {
      const file = files.current.get(id);
      if (file !== undefined && !running.current.has(id)) start(id, file);
    },
    [start],
  );
  const dismiss = useCallback((id: number) => {
    files.current.delete(id);
    setItems((list) => list.filter((item) => item.id !== id));
  }, []);
  const clearFinished = useCallback(() => {
    setItems((list) => {
      for (const item of list) if (isFinished(item)) files.current.delete(item.id);
      return list.filter((item) => !isFinished(item));
    });
  }, []);

  // Leaving the page stops what it was sending (and the clocks of what it sent).
  useEffect(() => {
    const timers = lingering.current;
    const controls = running.current;
    return () => {
      controls.forEach((control) => control.abort('cancelled'));
      timers.forEach((timer) => clearTimeout(timer));
    };
  }, []);

  return { items, add, cancel, retry, dismiss, clearFinished };
}
