import type { User } from 'firebase/auth';
import { useEffect, useMemo, useState } from 'react';
import { apiClient, apiFile, apiSender } from '../apiClient';
import { saveBlob } from '../download';
import { useUploadsDone } from '../explorer/useUploadsDone';
import { useTitle } from '../title';
import { useUploadList } from '../uploads/useUploadList';
import { Completeness } from './Completeness';
import { defaultRange, streamsCsvName, type CompletenessView, type RegisterSummary } from './completenessModel';
import { completenessHash, completenessViewOfHash } from './completenessUrl';
import { useCompletenessSummary, useGapStreams, useRegisterSummary } from './useCompletenessApi';

/**
 * The completeness view wired to the API with the user's ID token (a chunk of its own). The view
 * lives in the URL, as the explorer's does. It follows the organisation's uploads with the uploads
 * list's own live query: one reaching done may fill a gap or open one, so the report is asked for
 * again; so is it when the register is replaced.
 */
export default function CompletenessPage({ user, org, admin }: { user: User; org: string; admin: boolean }) {
  const get = useMemo(() => apiClient(() => user.getIdToken()), [user]);
  const file = useMemo(() => apiFile(() => user.getIdToken()), [user]);
  const send = useMemo(() => apiSender(() => user.getIdToken()), [user]);
  const uploads = useUploadList(org);
  const fresh = useUploadsDone(uploads, null);
  const [registers, setRegisters] = useState(0);
  const [view, setView] = useState<CompletenessView>(() => completenessViewOfHash(window.location.hash) ?? { ...defaultRange(new Date()), status: 'missing' });

  useEffect(() => {
    // A link typed or pasted into the address bar while the view is open.
    const onHash = () => {
      const linked = completenessViewOfHash(window.location.hash);
      if (linked) setView(linked);
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  useEffect(() => {
    // replaceState: typing dates must not fill the history; it fires no hashchange either.
    if (window.location.hash !== completenessHash(view)) window.history.replaceState(null, '', completenessHash(view));
  }, [view]);
  useTitle(`Completeness, ${view.from} to ${view.to}`);

  const version = `${fresh.data}.${registers}`;
  const summary = useCompletenessSummary(get, view, version);
  const streams = useGapStreams(get, view, version);
  const register = useRegisterSummary(get, String(registers));
  const replaceRegister = async (csv: string) => {
    const replaced = await send<RegisterSummary>('PUT', '/register', { csv });
    setRegisters((n) => n + 1);
    return replaced;
  };
  const downloadStreams = async () => saveBlob(await file('/completeness/streams.csv', { from: view.from, to: view.to, status: view.status }), streamsCsvName(view));
  return <Completeness view={view} onView={setView} summary={summary} streams={streams} register={register} admin={admin} replaceRegister={replaceRegister} downloadStreams={downloadStreams} />;
}
