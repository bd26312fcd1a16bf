import { z } from 'zod';
import { ROLES } from '../orgs/membership';
import { addMember, getOrganisation, listMembers, OrgError, provisionPersonal, removeMember } from '../orgs/organisations';
import { ApiError } from './apiError';
import type { MeAnswer, MemberListing } from './apiTypes';
import { jsonResponse, type ApiContext, type ApiRequest, type ApiResponse, type Caller } from './handleApiRequest';

/**
 * The caller and their organisation's members: never cached, never in a snapshot of the readings.
 *
 *   GET    /me                who am I: uid, email, organisation (id, name) and role, or none
 *   POST   /me/organisation   on the emulators only: give a user without one an organisation of their own
 *   GET    /members           (admins) the organisation's members
 *   POST   /members           (admins) {email, role}: add one (the Auth user is created if missing)
 *   DELETE /members/{uid}     (admins) remove one (their tokens are revoked at once)
 */
type Handler = (caller: Caller, request: ApiRequest, context: ApiContext) => Promise<ApiResponse>;

const memberInput = z.object({
  email: z.email({ message: 'expected an email address' }).max(320),
  role: z.enum(ROLES, { message: 'expected admin or member' }).default('member'),
});

async function me(caller: Caller, context: ApiContext): Promise<MeAnswer> {
  const organisation = caller.membership === null ? null : await getOrganisation(context.orgs, caller.membership.org);
  return {
    uid: caller.uid,
    email: caller.email,
    // A claim naming an organisation that no longer exists grants nothing.
    organisation,
    role: organisation === null ? null : caller.membership!.role,
    canCreateOrganisation: context.provisioning && caller.membership === null,
  };
}

function adminOrg(caller: Caller): string {
  if (caller.membership === null) throw new ApiError('NO_ORGANISATION', 'You are not a member of an organisation yet: an admin of your organisation must add you.');
  if (caller.membership.role !== 'admin') throw new ApiError('ADMIN_ONLY', 'Only an admin of your organisation may see or change its members.');
  return caller.membership.org;
}

/** Refusals of the registry, as API errors with the same codes. */
async function orgCall<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof OrgError)) throw error;
    if (error.code === 'NOT_A_MEMBER') throw new ApiError('MEMBER_NOT_FOUND', error.message);
    if (error.code === 'MEMBER_OF_ANOTHER_ORGANISATION' || error.code === 'LAST_ADMIN') throw new ApiError(error.code, error.message);
    if (error.code === 'ORGANISATION_NOT_FOUND') throw new ApiError('NO_ORGANISATION', error.message);
    throw new ApiError('INVALID_PARAMETER', error.message);
  }
}

const ROUTES: { path: RegExp; methods: Record<string, Handler> }[] = [
  { path: /^\/me$/, methods: { GET: async (caller, _request, context) => jsonResponse(200, await me(caller, context)) } },
  {
    path: /^\/me\/organisation$/,
    methods: {
      POST: async (caller, _request, context) => {
        if (!context.provisioning) throw new ApiError('PROVISIONING_DISABLED', 'Organisations are created by an administrator (`nem12 org create`); ask one to add you.');
        const membership = await provisionPersonal(context.orgs, caller.uid);
        // The claims reach the caller's next ID token: the page refreshes it (getIdToken(true)).
        return jsonResponse(201, { ...(await me({ ...caller, membership }, { ...context, provisioning: false })), refreshToken: true });
      },
    },
  },
  {
    path: /^\/members$/,
    methods: {
      GET: async (caller, _request, context) => {
        const org = adminOrg(caller);
        const members: MemberListing = { members: await orgCall(() => listMembers(context.orgs, org)) };
        return jsonResponse(200, members);
      },
      POST: async (caller, request, context) => {
        const org = adminOrg(caller);
        const parsed = memberInput.safeParse(request.body ?? {});
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          const parameter = String(issue.path[0] ?? 'email');
          throw new ApiError('INVALID_PARAMETER', `${parameter}: ${issue.message}`, parameter);
        }
        const added = await orgCall(() => addMember(context.orgs, org, parsed.data.email, parsed.data.role));
        return jsonResponse(201, added);
      },
    },
  },
  {
    path: /^\/members\/[^/]+$/,
    methods: {
      DELETE: async (caller, request, context) => {
        const org = adminOrg(caller);
        const uid = decodeURIComponent(new URL(request.url, 'http://api.invalid').pathname.split('/').pop()!);
        const removed = await orgCall(() => removeMember(context.orgs, org, { uid }));
        return jsonResponse(200, removed);
      },
    },
  },
];

/** The account handler of a route and method; null for a known route with another method; undefined for no account route. */
export function accountEndpoint(route: string, method: string): Handler | null | undefined {
  const found = ROUTES.find((candidate) => candidate.path.test(route));
  if (found === undefined) return undefined;
  return found.methods[method] ?? null;
}
