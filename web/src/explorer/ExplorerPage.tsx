import type { User } from 'firebase/auth';
import { useEffect, useMemo, useState } from 'react';
import { apiClient, apiFile } from '../apiClient';
import { saveBlob } from '../download';
import { useTitle } from '../title';
import { Explorer } from './Explorer';
import { defaultSelection, mainOf, type Selection } from './explorerModel';
import { useNmiList, useReadingRows, useStats } from './useReadingsApi';
import { viewHash, viewOfHash } from './viewUrl';

/**
 * The explorer wired to the readings API with the user's ID token (a chunk of its own: the charts).
 * The view lives in the URL: a reload or a shared link opens the same one; the default view (the
 * most recently loaded NMI) is written there once known, and stays while the user searches.
 */
export default function ExplorerPage({ user }: { user: User }) {
  const get = useMemo(() => apiClient(() => user.getIdToken()), [user]);
  const file = useMemo(() => apiFile(() => user.getIdToken()), [user]);
  const [search, setSearch] = useState('');
  const nmis = useNmiList(get, search);
  const [chosen, setChosen] = useState<Selection | null>(() => viewOfHash(window.location.hash));
  // The default view, once the NMIs are known, is kept as chosen (adjusted while rendering): a search
  // that matches nothing later does not take it away.
  const fallback = chosen === null && nmis.state === 'ready' && search === '' ? defaultSelection(nmis.data) : null;
  if (fallback !== null) setChosen(fallback);
  const selection = chosen ?? fallback;

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
  const stats = useStats(get, selection && mainOf(selection));
  // The channel drawn with it: the same range and granularity, its own figures.
  const overlay = useStats(get, selection?.overlay === undefined ? null : { ...mainOf(selection), suffix: selection.overlay });
  const readings = useReadingRows(get, selection);
  const downloadReadings = async () => {
    if (selection === null) return;
    const { nmi, suffix, from, to } = selection;
    saveBlob(await file('/readings.csv', { nmi, suffix, from, to }), `${nmi}-${suffix}-${from}-to-${to}.csv`);
  };
  return <Explorer nmis={nmis} search={search} onSearch={setSearch} selection={selection} onSelect={setChosen} stats={stats} overlay={overlay.state === 'ready' ? overlay.data : null} readings={readings} downloadReadings={downloadReadings} />;
}
