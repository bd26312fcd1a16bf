import { sameStatuses, newlyDone, statusMapOf, type StatusMap } from '../uploads/announce';
import type { Upload } from '../uploads/model';
import { useState } from 'react';
import { touchesView, type Selection } from './explorerModel';

export interface Freshness {
  /** Moves when any upload of the organisation reaches done: the NMIs and the overview may have changed. */
  data: number;
  /** Moves when one reaching done may have changed the view open then (its NMI and days). */
  view: number;
}

/**
 * Follows the organisation's uploads (the uploads list's live query) and counts those reaching
 * done, so the explorer asks again for what they may have changed. The first snapshot is what the
 * page opened on: nothing to refresh. State adjusted while rendering, as the list's announcer does.
 */
export function useUploadsDone(feed: { state: 'loading' | 'ready' | 'error'; uploads: readonly Upload[] }, view: Selection | null): Freshness {
  const [seen, setSeen] = useState<StatusMap | null>(null);
  const [fresh, setFresh] = useState<Freshness>({ data: 0, view: 0 });
  if (feed.state === 'ready') {
    const current = statusMapOf(feed.uploads);
    if (seen === null || !sameStatuses(seen, current)) {
      setSeen(current);
      const done = seen === null ? [] : newlyDone(seen, feed.uploads);
      if (done.length > 0) {
        const touched = view !== null && done.some((upload) => touchesView(upload, view));
        setFresh({ data: fresh.data + 1, view: fresh.view + (touched ? 1 : 0) });
      }
    }
  }
  return fresh;
}
