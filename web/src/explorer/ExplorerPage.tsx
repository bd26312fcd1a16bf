import type { User } from 'firebase/auth';
import { useEffect, useMemo, useState } from 'react';
import { apiClient, apiFile } from '../apiClient';
import { saveBlob } from '../download';
import { useTitle } from '../title';
import { Overview, overviewRefreshOf, useOverview } from '../uploads/Overview';
import { useUploadList } from '../uploads/useUploadList';
import { Explorer } from './Explorer';
import { defaultSelection, mainOf, type NmiEntry, type Selection } from './explorerModel';
import { useNmiEntry, useNmiList, useReadingRows, useStats } from './useReadingsApi';
import { useUploadsDone } from './useUploadsDone';
import { viewHash, viewOfHash } from './viewUrl';

/**
 * The explorer wired to the readings API with the user's ID token (a chunk of its own: the charts).
 * The view lives in the URL: a reload or a shared link opens the same one; the default view (the
 * most recently loaded NMI) is written there once known. It follows the organisation's uploads with
 * the uploads list's own live query: one reaching done refreshes the NMIs, the overview, and the
 * view when the upload may have changed it.
 */
export default function ExplorerPage({ user, org }: { user: User; org: string }) {
  const get = useMemo(() => apiClient(() => user.getIdToken()), [user]);
  const file = useMemo(() => apiFile(() => user.getIdToken()), [user]);
  const uploads = useUploadList(org);
  const [search, setSearch] = useState('');
  const [chosen, setChosen] = useState<Selection | null>(() => viewOfHash(window.location.hash));
  const [picked, setPicked] = useState<NmiEntry | null>(null);
  const fresh = useUploadsDone(uploads, chosen);
  const nmis = useNmiList(get, search, fresh.data);
  // The default view, once the NMIs are known, is kept as chosen (adjusted while rendering).
  const fallback = chosen === null && nmis.state === 'ready' && search === '' ? defaultSelection(nmis.data) : null;
  if (fallback !== null) setChosen(fallback);
  const selection = chosen ?? fallback;
  // The selected NMI's channels, whatever the search shows: the entry it was picked with until its own arrives.
  const fetched = useNmiEntry(get, selection?.nmi ?? null, fresh.data);
  const listed = nmis.state === 'ready' ? [...nmis.data.recent, ...nmis.data.nmis] : [];
  const entry = fetched ?? (picked?.nmi === selection?.nmi ? picked : listed.find((known) => known.nmi === selection?.nmi)) ?? null;

  useEffect(() => {
    // A link typed or pasted into the address bar while the explorer is open.
    const onHash = () => {
      const view = viewOfHash(window.location.hash);
      if (view) setChosen(view);
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  useEffect(() => {
    if (selection === null) return;
    // replaceState: typing dates must not fill the history; it fires no hashchange either.
    if (window.location.hash !== viewHash(selection)) window.history.replaceState(null, '', viewHash(selection));
  }, [selection]);

  useTitle(selection ? `${selection.nmi} ${selection.suffix}, ${selection.from} to ${selection.to} · Readings explorer` : 'Readings explorer');
  const overview = useOverview(get, overviewRefreshOf(uploads.uploads));
  const stats = useStats(get, selection && mainOf(selection), fresh.view);
  // The channel drawn with it: the same range and granularity, its own figures.
  const overlay = useStats(get, selection?.overlay === undefined ? null : { ...mainOf(selection), suffix: selection.overlay }, fresh.view);
  const readings = useReadingRows(get, selection, fresh.view);
  const select = (next: Selection, pickedEntry?: NmiEntry) => {
    setChosen(next);
    if (pickedEntry) setPicked(pickedEntry);
  };
  const downloadReadings = async () => {
    if (selection === null) return;
    const { nmi, suffix, from, to } = selection;
    saveBlob(await file('/readings.csv', { nmi, suffix, from, to }), `${nmi}-${suffix}-${from}-to-${to}.csv`);
  };
  return (
    <div className="explorer-page">
      <Overview overview={overview} />
      <Explorer nmis={nmis} onSearch={setSearch} entry={entry} selection={selection} onSelect={select} stats={stats} overlay={overlay.state === 'ready' ? overlay.data : null} readings={readings} downloadReadings={downloadReadings} />
    </div>
  );
}
