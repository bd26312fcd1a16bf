import { useCallback, useEffect, useRef, useState } from 'react';
import type { CheckFile } from './checkInWorker';
import type { FileCheck } from './fileCheck';
import { refusalOf, sendErrorMessage } from './validateFile';

/** Where a file was stored: its object path, and Storage's generation of it (what its status document names). */
export interface StoredObject {
  path: string;
  generation: string | null;
}

/**
 * Sends one file, reporting bytes sent; resolves when it is stored (with where, when known),
 * rejects when it fails or `signal` aborts it. Firebase Storage in the app.
 */
export type SendFile = (file: File, onProgress: (sent: number, total: number) => void, signal: AbortSignal) => Promise<StoredObject | void>;

export interface FileUpload {
  id: number;
  name: string;
  size: number;
  sent: number;
  /** checking: read in the page first; rejected: the check found errors (sent only if asked). */
  state: 'refused' | 'checking' | 'rejected' | 'sending' | 'sent' | 'failed' | 'cancelled';
  /** Bytes of the file checked so far. */
  read: number;
  /** What the check found, once it is done. */
  check: FileCheck | null;
  /** Why it was refused or failed. */
  message: string | null;
}

/** A send that moves no byte for this long is given up (a dead connection, a server that never answers). */
export const STALL_MS = 60_000;

/** A file sent stays this long in the panel, then leaves it: its upload is in the list below by then. */
export const SENT_LINGER_MS = 20_000;

/** Sends "Clear finished" removes: nothing left to do or retry for them unless asked. */
export const isFinished = (item: FileUpload) => item.state === 'sent' || item.state === 'refused' || item.state === 'rejected' || item.state === 'cancelled';

/**
 * The files sent from this page, each with its progress; refused files never reach `send`. With
 * `check`, each file is checked first: one with errors is `rejected` and sent only by `sendAnyway`.
 * Every check and send can be cancelled, a send times out when it stalls, and both can be retried
 * once failed or cancelled; finished ones can be cleared, and those sent clear themselves after `lingerMs`.
 */
export function useFileUploads(send: SendFile, stallMs = STALL_MS, lingerMs = SENT_LINGER_MS, onSent?: (file: File, stored: StoredObject | null) => void, check?: CheckFile) {
  const [items, setItems] = useState<FileUpload[]>([]);
  const nextId = useRef(0);
  const files = useRef(new Map<number, File>());
  const running = useRef(new Map<number, AbortController>());
  const checks = useRef(new Map<number, FileCheck>());
  const lingering = useRef(new Set<ReturnType<typeof setTimeout>>());
  // The latest callback, without restarting what is running when it changes.
  const sentHandler = useRef(onSent);
  useEffect(() => {
    sentHandler.current = onSent;
  }, [onSent]);

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
          (stored) => {
            update(id, { state: 'sent', sent: file.size });
            sentHandler.current?.(file, stored ?? null);
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

  const inspect = useCallback(
    (id: number, file: File, checker: CheckFile) => {
      const control = new AbortController();
      running.current.set(id, control);
      update(id, { state: 'checking', read: 0, message: null });
      checker(file, (read) => update(id, { read }), control.signal)
        .then(
          (found) => {
            running.current.delete(id);
            // A checker that finishes after all (it need not stop when aborted) changes nothing.
            if (control.signal.aborted) return update(id, { state: 'cancelled', message: null });
            checks.current.set(id, found);
            update(id, { check: found, read: file.size });
            if (found.ok) start(id, file);
            else update(id, { state: 'rejected' });
          },
          (error: unknown) => {
            running.current.delete(id);
            if (control.signal.aborted) update(id, { state: 'cancelled', message: null });
            else update(id, { state: 'failed', message: `the file could not be checked: ${error instanceof Error ? error.message : String(error)}` });
          },
        );
    },
    [start, update],
  );

  // Checked once (when there is a checker), then sent.
  const begin = useCallback(
    (id: number, file: File) => {
      if (check !== undefined && !checks.current.has(id)) inspect(id, file, check);
      else start(id, file);
    },
    [check, inspect, start],
  );

  const add = useCallback(
    (picked: readonly File[]) => {
      for (const file of picked) {
        const id = nextId.current++;
        const refusal = refusalOf(file);
        const item: FileUpload = { id, name: file.name, size: file.size, sent: 0, read: 0, check: null, state: refusal === null ? 'sending' : 'refused', message: refusal };
        setItems((list) => [item, ...list]);
        if (refusal !== null) continue;
        files.current.set(id, file);
        begin(id, file);
      }
    },
    [begin],
  );

  const cancel = useCallback((id: number) => running.current.get(id)?.abort('cancelled'), []);
  const retry = useCallback(
    (id: number) => {
      const file = files.current.get(id);
      if (file !== undefined && !running.current.has(id)) begin(id, file);
    },
    [begin],
  );
  /** Sends a file its check rejected: the user read its errors and wants it sent anyway. */
  const sendAnyway = useCallback(
    (id: number) => {
      const file = files.current.get(id);
      if (file !== undefined && !running.current.has(id)) start(id, file);
    },
    [start],
  );
  const dismiss = useCallback((id: number) => {
    files.current.delete(id);
    checks.current.delete(id);
    setItems((list) => list.filter((item) => item.id !== id));
  }, []);
  const clearFinished = useCallback(() => {
    setItems((list) => {
      for (const item of list) {
        if (!isFinished(item)) continue;
        files.current.delete(item.id);
        checks.current.delete(item.id);
      }
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

  return { items, add, cancel, retry, sendAnyway, dismiss, clearFinished };
}
