import type { Auth, UserRecord } from 'firebase-admin/auth';
import { FieldValue, type Firestore } from 'firebase-admin/firestore';
import { claimsWith, membershipOf, normaliseEmail, type Member, type Membership, type Role } from './membership';
import { isOrgId, newOrgId, personalOrgId } from './orgIds';

export type { Member };

/**
 * The organisation registry (Firestore `organisations/{id}`) and its members (Auth custom claims),
 * for the `nem12 org` commands, the admin endpoints of the API and the trigger's check. Takes its
 * Admin SDK services as arguments: the same code on the emulators and in production.
 */
export interface OrgAdmin {
  auth: Auth;
  firestore: Firestore;
}

export interface Organisation {
  id: string;
  name: string;
}


export type OrgErrorCode =
  | 'ORGANISATION_NOT_FOUND'
  | 'ORGANISATION_EXISTS'
  | 'INVALID_ORGANISATION'
  | 'MEMBER_OF_ANOTHER_ORGANISATION'
  | 'NOT_A_MEMBER'
  | 'LAST_ADMIN'
  | 'ALREADY_A_MEMBER'
  | 'INVITATION_NOT_FOUND'
  | 'EMAIL_NOT_VERIFIED';

/** Refusals with a stable code: the CLI prints them, the API answers them. */
export class OrgError extends Error {
  constructor(
    readonly code: OrgErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const registry = (admin: Pick<OrgAdmin, 'firestore'>) => admin.firestore.collection('organisations');

/** The name as stored: trimmed, 1 to 200 characters. */
function organisationName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === '' || trimmed.length > 200) throw new OrgError('INVALID_ORGANISATION', 'An organisation needs a name of 1 to 200 characters.');
  return trimmed;
}

export async function createOrganisation(admin: OrgAdmin, name: string, options: { id?: string } = {}): Promise<Organisation> {
  const trimmed = organisationName(name);
  const id = options.id ?? newOrgId(trimmed);
  if (!isOrgId(id)) throw new OrgError('INVALID_ORGANISATION', `"${id}" is not an organisation id: 2-128 letters, digits, "_" or "-", starting with a letter or digit.`);
  try {
    await registry(admin).doc(id).create({ name: trimmed, createdAt: FieldValue.serverTimestamp() });
  } catch (error) {
    if ((error as { code?: number }).code === 6) throw new OrgError('ORGANISATION_EXISTS', `Organisation ${id} already exists.`);
    throw error;
  }
  return { id, name: trimmed };
}

/** Gives an organisation a new name (its id, in every path and row, stays). */
export async function renameOrganisation(admin: Pick<OrgAdmin, 'firestore'>, id: string, name: string): Promise<Organisation> {
  const trimmed = organisationName(name);
  if (!isOrgId(id)) throw new OrgError('ORGANISATION_NOT_FOUND', `No organisation ${id}.`);
  try {
    await registry(admin).doc(id).update({ name: trimmed });
  } catch (error) {
    if ((error as { code?: number }).code === 5) throw new OrgError('ORGANISATION_NOT_FOUND', `No organisation ${id}.`);
    throw error;
  }
  return { id, name: trimmed };
}

/** Tool uploads (`nem12 upload`, with the operator's Admin credentials) go under this uid: no Auth user has it. */
export const TOOL_UPLOADER = 'cli';

/**
 * May `uid` put a file into `org` now? Checked when the file is processed, from Auth's current
 * record (not the claims of the token it was uploaded with, which outlive a removal by up to an
 * hour): a member of that organisation, not disabled. The tool uid is no Auth user's (storage.rules
 * let a signed-in user write only under their own uid): only the Admin SDK writes there.
 */
export async function uploaderRefusal(admin: Pick<OrgAdmin, 'auth'>, org: string, uid: string): Promise<string | null> {
  let user;
  try {
    user = await admin.auth.getUser(uid);
  } catch (error) {
    if ((error as { code?: string }).code !== 'auth/user-not-found') throw error;
    return uid === TOOL_UPLOADER ? null : `the uploader ${uid} is no user`;
  }
  if (user.disabled) return `the uploader ${uid} is disabled`;
  const membership = membershipOf(user.customClaims);
  if (membership?.org !== org) return `the uploader ${uid} is not a member of ${org}${membership ? '' : ' (nor of any organisation)'}`;
  return null;
}

export async function getOrganisation(admin: Pick<OrgAdmin, 'firestore'>, id: string): Promise<Organisation | null> {
  if (!isOrgId(id)) return null;
  const doc = await registry(admin).doc(id).get();
  return doc.exists ? { id, name: String(doc.get('name')) } : null;
}

export async function listOrganisations(admin: OrgAdmin): Promise<Organisation[]> {
  const docs = await registry(admin).orderBy('name').get();
  return docs.docs.map((doc) => ({ id: doc.id, name: String(doc.get('name')) }));
}

export async function requireOrganisation(admin: OrgAdmin, id: string): Promise<Organisation> {
  const org = await getOrganisation(admin, id);
  if (org === null) throw new OrgError('ORGANISATION_NOT_FOUND', `No organisation ${id}: create it with \`nem12 org create NAME\`.`);
  return org;
}

export async function userByEmail(admin: OrgAdmin, email: string): Promise<UserRecord | null> {
  try {
    return await admin.auth.getUserByEmail(email);
  } catch (error) {
    if ((error as { code?: string }).code === 'auth/user-not-found') return null;
    throw error;
  }
}

/**
 * Makes `email` a member of `orgId` with `role` at once (the operator's `nem12 org add-member`, for a
 * first admin; on the page admins invite instead): creates the Auth user if missing (with `password`
 * when given; otherwise they set one with "Forgot your password?") and sets the claims, which their
 * next token carries. A member of another organisation is refused.
 */
export async function addMember(admin: OrgAdmin, orgId: string, email: string, role: Role, options: { password?: string } = {}): Promise<Member & { created: boolean }> {
  await requireOrganisation(admin, orgId);
  const normalised = normaliseEmail(email);
  let user = await userByEmail(admin, normalised);
  const created = user === null;
  user ??= await admin.auth.createUser({ email: normalised, ...(options.password ? { password: options.password } : {}) });
  const current = membershipOf(user.customClaims);
  if (current !== null && current.org !== orgId) {
    throw new OrgError('MEMBER_OF_ANOTHER_ORGANISATION', `${normalised} is a member of another organisation; remove them there first (a user belongs to one organisation).`);
  }
  await setMembership(admin, user, { org: orgId, role });
  return { uid: user.uid, email: user.email ?? normalised, role, disabled: user.disabled, created };
}

/** Ends `uidOrEmail`'s membership of `orgId` (claims removed, refresh tokens revoked). */
export async function removeMember(admin: OrgAdmin, orgId: string, who: { uid?: string; email?: string }): Promise<Member> {
  const user = who.uid !== undefined ? await admin.auth.getUser(who.uid).catch(() => null) : await userByEmail(admin, normaliseEmail(who.email!));
  const membership = membershipOf(user?.customClaims);
  if (user === null || membership?.org !== orgId) throw new OrgError('NOT_A_MEMBER', `${who.email ?? who.uid} is not a member of ${orgId}.`);
  if (membership.role === 'admin' && (await listMembers(admin, orgId)).filter((m) => m.role === 'admin').length === 1) {
    throw new OrgError('LAST_ADMIN', `${user.email ?? user.uid} is the last admin of ${orgId}: make another member an admin first.`);
  }
  await setMembership(admin, user, null);
  return { uid: user.uid, email: user.email ?? null, role: membership.role, disabled: user.disabled };
}

/** The members of an organisation, by email. Reads every user's claims: fine for thousands of users. */
export async function listMembers(admin: OrgAdmin, orgId: string): Promise<Member[]> {
  const members: Member[] = [];
  let pageToken: string | undefined;
  do {
    const page = await admin.auth.listUsers(1000, pageToken);
    for (const user of page.users) {
      const membership = membershipOf(user.customClaims);
      if (membership?.org === orgId) members.push({ uid: user.uid, email: user.email ?? null, role: membership.role, disabled: user.disabled });
    }
    pageToken = page.pageToken;
  } while (pageToken);
  return members.sort((a, b) => (a.email ?? a.uid).localeCompare(b.email ?? b.uid));
}

/**
 * On the emulators (a `demo-` project) a new account gets an organisation of its own, as its admin:
 * `npm start` stays a one-person demo. Never in production, where an admin adds members.
 */
export async function provisionPersonal(admin: OrgAdmin, uid: string): Promise<Membership> {
  const user = await admin.auth.getUser(uid);
  const current = membershipOf(user.customClaims);
  if (current !== null) return current;
  const id = personalOrgId(uid);
  if ((await getOrganisation(admin, id)) === null) {
    await createOrganisation(admin, user.email ?? uid, { id }).catch((error: unknown) => {
      if (!(error instanceof OrgError && error.code === 'ORGANISATION_EXISTS')) throw error;
    });
  }
  const membership: Membership = { org: id, role: 'admin' };
  await setMembership(admin, user, membership);
  return membership;
}

/**
 * The membership records (Firestore `memberships/{uid}`: `org`, `role`), read by firestore.rules only:
 * an ID token keeps its claims for up to an hour after a removal, its user's record does not.
 */
const memberships = (admin: Pick<OrgAdmin, 'firestore'>) => admin.firestore.collection('memberships');

/**
 * Sets the claims and the membership record: the one place membership is granted, changed or taken
 * away. The record goes first, so a failure between the two leaves less access, never more (the rules
 * need both). Taking a membership away or changing it revokes the user's tokens (they carry the old
 * claims); granting a first one does not, so a session can simply refresh its token to carry it.
 */
export async function setMembership(admin: OrgAdmin, user: UserRecord, membership: Membership | null): Promise<void> {
  const before = membershipOf(user.customClaims);
  const record = memberships(admin).doc(user.uid);
  await (membership === null ? record.delete() : record.set({ org: membership.org, role: membership.role }));
  await admin.auth.setCustomUserClaims(user.uid, claimsWith(user.customClaims, membership));
  const unchanged = before !== null && membership !== null && before.org === membership.org && before.role === membership.role;
  if (before !== null && !unchanged) await admin.auth.revokeRefreshTokens(user.uid);
}
