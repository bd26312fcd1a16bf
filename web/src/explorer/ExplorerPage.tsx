import type { User } from 'firebase/auth';
import { useMemo, useState } from 'react';
import { apiClient } from '../apiClient';
import { Explorer } from './Explorer';
import { defaultSelection, type Selection } from './explorerModel';
import { useNmiList, useReadingRows, useStats } from './useReadingsApi';

/** The explorer wired to the readings API with the user's ID token (a chunk of its own: the charts). */
export default function ExplorerPage({ user }: { user: User }) {
  const get = useMemo(() => apiClient(() => user.getIdToken()), [user]);
  const [search, setSearch] = useState('');
  const nmis = useNmiList(get, search);
  const [chosen, setChosen] = useState<Selection | null>(null);
  // Until the user picks, the first NMI's consumption channel over its latest days.
  const selection = chosen ?? (nmis.state === 'ready' ? defaultSelection(nmis.data) : null);
  const stats = useStats(get, selection);
  const readings = useReadingRows(get, selection);
  return <Explorer nmis={nmis} search={search} onSearch={setSearch} selection={selection} onSelect={setChosen} stats={stats} readings={readings} />;
}
