import type { User } from 'firebase/auth';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { MeAnswer } from '../../../functions/src/api/apiTypes';
import { apiClient, apiSender, ApiRequestError } from '../apiClient';

export type MembershipState = { state: 'loading' } | { state: 'ready'; me: MeAnswer } | { state: 'error'; error: string };

/**
 * Who the signed-in user is to the API: their organisation and role (from their token's claims).
 * On the emulators a new account gets an organisation of its own, then a fresh token that carries it.
 */
export function useMembership(user: User): MembershipState & { retry(): void } {
  const [attempt, setAttempt] = useState(0);
  const [state, setState] = useState<MembershipState>({ state: 'loading' });
  const get = useMemo(() => apiClient(() => user.getIdToken()), [user]);
  const send = useMemo(() => apiSender(() => user.getIdToken()), [user]);

  useEffect(() => {
    let live = true;
    (async () => {
      // After "check again", a fresh token: a membership granted since arrives with it.
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
  return { ...state, retry };
}
