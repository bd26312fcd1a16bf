import type { User } from 'firebase/auth';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Member, MemberListing } from '../../../functions/src/api/apiTypes';
import { apiClient, apiSender, ApiRequestError } from '../apiClient';
import { useTitle } from '../title';
import { MembersPanel } from './MembersPanel';

/** The members panel wired to the API's /members endpoints (admins only). */
export default function MembersPage({ user, organisation }: { user: User; organisation: { id: string; name: string } }) {
  const get = useMemo(() => apiClient(() => user.getIdToken()), [user]);
  const send = useMemo(() => apiSender(() => user.getIdToken()), [user]);
  useTitle(`Members of ${organisation.name}`);
  const [attempt, setAttempt] = useState(0);
  const [listing, setListing] = useState<{ state: 'loading' | 'ready' | 'error'; members: Member[]; error: string | null }>({ state: 'loading', members: [], error: null });

  useEffect(() => {
    let live = true;
    get<MemberListing>('/members', {}).then(
      (answer) => live && setListing({ state: 'ready', members: answer.members, error: null }),
      (error: unknown) => live && setListing({ state: 'error', members: [], error: error instanceof ApiRequestError ? error.message : 'The members could not be loaded.' }),
    );
    return () => {
      live = false;
    };
  }, [get, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  const onAdd = useCallback(
    async (email: string, role: 'admin' | 'member') => {
      await send('POST', '/members', { email, role });
      reload();
    },
    [send, reload],
  );
  const onRemove = useCallback(
    async (member: Member) => {
      await send('DELETE', `/members/${encodeURIComponent(member.uid)}`);
      reload();
    },
    [send, reload],
  );
  return (
    <MembersPanel
      organisation={organisation}
      state={listing.state}
      members={listing.members}
      error={listing.error}
      currentUid={user.uid}
      onAdd={onAdd}
      onRemove={onRemove}
      onRetry={reload}
    />
  );
}
