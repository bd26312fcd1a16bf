import { z } from 'zod';
import { ROLES } from '../orgs/membership';
import { acceptInvitation, declineInvitation, invite, listInvitations, revokeInvitation, type Invitee } from '../orgs/invitations';
import { adminOrg, bodyOf, orgCall, type AccountRoute } from './accountAccess';
import { jsonResponse, type Caller } from './apiContext';
import type { InvitationAccepted, InvitationListing } from './apiTypes';

/**
 * Invitations (orgs/invitations.ts), never cached:
 *
 *   GET    /invitations               (admins) the organisation's pending invitations
 *   POST   /invitations               (admins) {email, role}: invite; 201 with the invitation, the same
 *                                     answer for any address not already a member here (409 ALREADY_A_MEMBER)
 *   DELETE /invitations/{id}          (admins) revoke
 *   POST   /invitations/{id}/accept   the invited person, their address verified: join the organisation,
 *                                     then refresh the ID token to carry it
 *   POST   /invitations/{id}/decline  the invited person, their address verified
 */
const invitationInput = z.object({
  // Spaces around a pasted address are not part of it; its case is not either (normaliseEmail).
  email: z.string({ message: 'expected an email address' }).trim().pipe(z.email({ message: 'expected an email address' }).max(320)),
  role: z.enum(ROLES, { message: 'expected admin or member' }).default('member'),
});

const invitee = (caller: Caller): Invitee => ({ uid: caller.uid, email: caller.email, emailVerified: caller.emailVerified === true });

export const INVITATION_ROUTES: AccountRoute[] = [
  {
    path: /^\/invitations$/,
    methods: {
      GET: async (caller, _request, context) => {
        const org = adminOrg(caller);
        return jsonResponse(200, { invitations: await listInvitations(context.orgs, org) } satisfies InvitationListing);
      },
      POST: async (caller, request, context) => {
        const org = adminOrg(caller);
        const input = bodyOf(invitationInput, request);
        return jsonResponse(201, await orgCall(() => invite(context.orgs, org, input.email, input.role, caller.uid)));
      },
    },
  },
  {
    path: /^\/invitations\/([^/]+)$/,
    methods: {
      DELETE: async (caller, _request, context, [id]) => {
        const org = adminOrg(caller);
        await orgCall(() => revokeInvitation(context.orgs, org, id));
        return jsonResponse(200, { revoked: id });
      },
    },
  },
  {
    path: /^\/invitations\/([^/]+)\/accept$/,
    methods: {
      POST: async (caller, _request, context, [id]) => {
        const joined = await orgCall(() => acceptInvitation(context.orgs, id, invitee(caller)));
        // The claims reach the caller's next ID token: the page refreshes it (getIdToken(true)).
        return jsonResponse(200, { ...joined, refreshToken: true } satisfies InvitationAccepted);
      },
    },
  },
  {
    path: /^\/invitations\/([^/]+)\/decline$/,
    methods: {
      POST: async (caller, _request, context, [id]) => {
        await orgCall(() => declineInvitation(context.orgs, id, invitee(caller)));
        return jsonResponse(200, { declined: id });
      },
    },
  },
];
