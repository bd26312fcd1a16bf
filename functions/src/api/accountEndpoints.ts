import { z } from 'zod';
import { hasInvitation, invitationsFor } from '../orgs/invitations';
import { getOrganisation, listMembers, provisionPersonal, removeMember, renameOrganisation } from '../orgs/organisations';
import { adminOrg, bodyOf, orgCall, type AccountRoute, type RequestHandler } from './accountAccess';
import { ApiError } from './apiError';
import type { MeAnswer, MemberListing } from './apiTypes';
import { jsonResponse, type ApiContext, type Caller } from './apiContext';
import { INVITATION_ROUTES } from './invitationEndpoints';

/**
 * The caller, their organisation and its members: never cached, never in a snapshot of the readings.
 *
 *   GET    /me                who am I: uid, email (verified or not), organisation (id, name) and role,
 *                             or none, and the invitations waiting for my (verified) address
 *   POST   /me/organisation   on the emulators only: give a user without one an organisation of their own
 *   PATCH  /organisation      (admins) {name}: rename the organisation
 *   GET    /members           (admins) the organisation's members
 *   DELETE /members/{uid}     (admins) remove one (their tokens are revoked at once)
 *   /invitations ...          invite, revoke, accept, decline (invitationEndpoints.ts)
 *
 * Members join by invitation only: nothing here adds an address directly (an admin would learn
 * which addresses have accounts, and where).
 */
const renameInput = z.object({ name: z.string({ message: 'expected the new name' }) });

async function me(caller: Caller, context: ApiContext): Promise<MeAnswer> {
  const organisation = caller.membership === null ? null : await getOrganisation(context.orgs, caller.membership.org);
  const emailVerified = caller.emailVerified === true;
  return {
    uid: caller.uid,
    email: caller.email,
    emailVerified,
    // A claim naming an organisation that no longer exists grants nothing.
    organisation,
    role: organisation === null ? null : caller.membership!.role,
    invitations: await invitationsFor(context.orgs, { uid: caller.uid, email: caller.email, emailVerified }),
    // On the emulators a new account gets an organisation of its own, unless one invited it: it
    // would then have to leave that one to accept (a user belongs to one organisation).
    canCreateOrganisation: context.provisioning && caller.membership === null && !(await hasInvitation(context.orgs, caller.email)),
  };
}

const ROUTES: AccountRoute[] = [
  { path: /^\/me$/, methods: { GET: async (caller, _request, context) => jsonResponse(200, await me(caller, context)) } },
  {
    path: /^\/me\/organisation$/,
    methods: {
      POST: async (caller, _request, context) => {
        if (!context.provisioning) throw new ApiError('PROVISIONING_DISABLED', 'Organisations are created by an administrator (`nem12 org create`); ask one to invite you.');
        const membership = await provisionPersonal(context.orgs, caller.uid);
        // The claims reach the caller's next ID token: the page refreshes it (getIdToken(true)).
        return jsonResponse(201, { ...(await me({ ...caller, membership }, { ...context, provisioning: false })), refreshToken: true });
      },
    },
  },
  {
    path: /^\/organisation$/,
    methods: {
      PATCH: async (caller, request, context) => {
        const org = adminOrg(caller);
        const { name } = bodyOf(renameInput, request);
        return jsonResponse(200, await orgCall(() => renameOrganisation(context.orgs, org, name), 'name'));
      },
    },
  },
  {
    path: /^\/members$/,
    methods: {
      GET: async (caller, _request, context) => {
        const org = adminOrg(caller);
        return jsonResponse(200, { members: await orgCall(() => listMembers(context.orgs, org)) } satisfies MemberListing);
      },
    },
  },
  {
    path: /^\/members\/([^/]+)$/,
    methods: {
      DELETE: async (caller, _request, context, [uid]) => {
        const org = adminOrg(caller);
        return jsonResponse(200, await orgCall(() => removeMember(context.orgs, org, { uid })));
      },
    },
  },
  ...INVITATION_ROUTES,
];

/** A path segment as sent (`%2F` and all); one that does not decode stays as it came, and matches nothing. */
function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The account handler of a route and method; null for a known route with another method; undefined for no account route. */
export function accountEndpoint(route: string, method: string): RequestHandler | null | undefined {
  for (const candidate of ROUTES) {
    const match = candidate.path.exec(route);
    if (match === null) continue;
    const handler = candidate.methods[method];
    if (handler === undefined) return null;
    const ids = match.slice(1).map(decoded);
    return (caller, request, context) => handler(caller, request, context, ids);
  }
  return undefined;
}
