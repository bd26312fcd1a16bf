import type { User } from 'firebase/auth';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { MeAnswer } from '../../../functions/src/api/apiTypes';
import { apiClient, apiSender, ApiRequestError } from '../apiClient';
import { reloadVerification, resendVerification } from './session';

export type MembershipState = { state: 'loading' } | { state: 'ready'; me: MeAnswer } | { state: 'error'; error: string };

/** What a signed-in user can do about their membership: the invitations they answer, their address. */
export interface MembershipActions {
  /** Asks again, showing "loading" meanwhile (after an error, or "Check again"). */
  retry(): void;
  accept(id: string): Promise<void>;
  decline(id: string): Promise<void>;
  resendVerification(): Promise<void>;
  /** After the verification link was opened: a token that says so, and the invitations it shows. Is it verified now? */
  checkVerified(): Promise<boolean>;
  /** The organisation was renamed: the header says so at once. */
  renamed(organisation: { id: string; name: string }): void;
}

/**
 * Who the signed-in user is to the API: their organisation and role (from their token's claims),
 * whether their address is verified, and the invitations waiting for it. On the emulators a new
 * account nobody invited gets an organisation of its own, then a fresh token that carries it.
 */
export function useMembership(user: User): MembershipState & MembershipActions {
  const [attempt, setAttempt] = useState(0);
  const [state, setState] = useState<MembershipState>({ state: 'loading' });
  const get = useMemo(() => apiClient(() => user.getIdToken()), [user]);
  const send = useMemo(() => apiSender(() => user.getIdToken()), [user]);

  useEffect(() => {
    let live = true;
    (async () => {
      // After "check again" or an answered invitation, a fresh token: claims granted since arrive with it.
      if (attempt > 0) await user.getIdToken(true);
      let me = await get<MeAnswer>('/me', {});
      if (me.organisation === null && me.canCreateOrganisation) {
        await send('POST', '/me/organisation');
        await user.getIdToken(true); // the new claims arrive with a new token
        me = await get<MeAnswer>('/me', {});
      }
      if (live) setState({ state: 'ready', me });
    })().catch((error: unknown) => {
      if (live) setState({ state: 'error', error: error instanceof ApiRequestError ? error.message : 'Your account could not be checked; try again.' });
    });
    return () => {
      live = false;
    };
  }, [get, send, user, attempt]);

  const retry = useCallback(() => {
    setState({ state: 'loading' });
    setAttempt((n) => n + 1);
  }, []);
  // Asks again, keeping what is shown until the answer: the panel that asked stays to say how it went.
  const refresh = useCallback(() => setAttempt((n) => n + 1), []);
  const accept = useCallback(
    async (id: string) => {
      await send('POST', `/invitations/${encodeURIComponent(id)}/accept`);
      refresh(); // the answer says refreshToken: the next /me comes with a fresh token
    },
    [send, refresh],
  );
  const decline = useCallback(
    async (id: string) => {
      await send('POST', `/invitations/${encodeURIComponent(id)}/decline`);
      refresh();
    },
    [send, refresh],
  );
  const resend = useCallback(() => resendVerification(user), [user]);
  const checkVerified = useCallback(async () => {
    await reloadVerification(user);
    refresh();
    return user.emailVerified;
  }, [user, refresh]);
  const renamed = useCallback((organisation: { id: string; name: string }) => {
    setState((current) => (current.state === 'ready' ? { state: 'ready', me: { ...current.me, organisation } } : current));
  }, []);
  return { ...state, retry, accept, decline, resendVerification: resend, checkVerified, renamed };
}
