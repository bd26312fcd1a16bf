import { useCallback, useEffect, useRef, useState } from 'react';
import type { StoredObject } from '../upload/useFileUploads';
import type { Upload } from './model';
import { isStatusOf, STATUS_WAIT_MS, type SentUpload } from './sentUploads';

/**
 * The files sent from this page until their status documents come (matched by path in the live
 * `uploads`), each flagged as overdue after `waitMs`. A sent file whose document is there is
 * dropped. `pathOf` says where a file goes when Storage did not say (the path the page sends to).
 */
export function useSentUploads(uploads: readonly Upload[], pathOf: (fileName: string) => string, waitMs = STATUS_WAIT_MS) {
  const [sent, setSent] = useState<SentUpload[]>([]);
  const latest = useRef(uploads);
  const nextKey = useRef(0);
  const timers = useRef(new Set<ReturnType<typeof setTimeout>>());
  useEffect(() => {
    latest.current = uploads;
  }, [uploads]);

  // Replaced by their documents (adjusted while rendering: never shown twice).
  const arrived = sent.filter((file) => uploads.some((upload) => isStatusOf(file, upload)));
  if (arrived.length > 0) setSent(sent.filter((file) => !arrived.includes(file)));

  const onSent = useCallback(
    (file: File, stored: StoredObject | null) => {
      const key = `sent-${nextKey.current++}`;
      const path = stored?.path ?? pathOf(file.name);
      const generation = stored?.generation ?? null;
      const before = generation === null ? latest.current.filter((upload) => upload.path === path).map((upload) => upload.id) : [];
      setSent((list) => [{ key, path, generation, fileName: file.name, bytes: file.size, sentAt: new Date(), before, overdue: false }, ...list]);
      const timer = setTimeout(() => {
        timers.current.delete(timer);
        setSent((list) => list.map((item) => (item.key === key ? { ...item, overdue: true } : item)));
      }, waitMs);
      timers.current.add(timer);
    },
    [pathOf, waitMs],
  );
  const dismiss = useCallback((key: string) => setSent((list) => list.filter((item) => item.key !== key)), []);

  useEffect(() => {
    const pending = timers.current;
    return () => pending.forEach((timer) => clearTimeout(timer));
  }, []);

  return { sent: arrived.length > 0 ? sent.filter((file) => !arrived.includes(file)) : sent, onSent, dismiss, waitMs };
}
