import type { User } from 'firebase/auth';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Invitation, InvitationListing, Member, MemberListing } from '../../../functions/src/api/apiTypes';
import type { Role } from '../../../functions/src/orgs/membership';
import { apiClient, apiSender, ApiRequestError } from '../apiClient';
import { useTitle } from '../title';
import { MembersPanel } from './MembersPanel';

interface Listing {
  state: 'loading' | 'ready' | 'error';
  members: Member[];
  invitations: Invitation[];
  error: string | null;
}

/** The members panel wired to the API's /members, /invitations and /organisation endpoints (admins only). */
export default function MembersPage({ user, organisation, onRenamed }: { user: User; organisation: { id: string; name: string }; onRenamed(organisation: { id: string; name: string }): void }) {
  const get = useMemo(() => apiClient(() => user.getIdToken()), [user]);
  const send = useMemo(() => apiSender(() => user.getIdToken()), [user]);
  useTitle(`Members of ${organisation.name}`);
  const [attempt, setAttempt] = useState(0);
  const [listing, setListing] = useState<Listing>({ state: 'loading', members: [], invitations: [], error: null });

  useEffect(() => {
    let live = true;
    Promise.all([get<MemberListing>('/members', {}), get<InvitationListing>('/invitations', {})]).then(
      ([{ members }, { invitations }]) => live && setListing({ state: 'ready', members, invitations, error: null }),
      (error: unknown) =>
        live && setListing({ state: 'error', members: [], invitations: [], error: error instanceof ApiRequestError ? error.message : 'The members could not be loaded.' }),
    );
    return () => {
      live = false;
    };
  }, [get, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  const onInvite = useCallback(
    async (email: string, role: Role) => {
      const invitation = await send<Invitation>('POST', '/invitations', { email, role });
      reload();
      return invitation;
    },
    [send, reload],
  );
  const onRevoke = useCallback(
    async (invitation: Invitation) => {
      await send('DELETE', `/invitations/${encodeURIComponent(invitation.id)}`);
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
  const onRename = useCallback(async (name: string) => onRenamed(await send<{ id: string; name: string }>('PATCH', '/organisation', { name })), [send, onRenamed]);
  return (
    <MembersPanel
      organisation={organisation}
      {...listing}
      currentUid={user.uid}
      onInvite={onInvite}
      onRevoke={onRevoke}
      onRemove={onRemove}
      onRename={onRename}
      onRetry={reload}
    />
  );
}
