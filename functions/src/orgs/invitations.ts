import { createHash } from 'node:crypto';
import { Timestamp, type DocumentData, type DocumentReference, type DocumentSnapshot } from 'firebase-admin/firestore';
import { membershipOf, normaliseEmail, type Invitation, type InvitationForYou, type Membership, type Role } from './membership';
import { getOrganisation, OrgError, requireOrganisation, setMembership, userByEmail, type OrgAdmin, type Organisation } from './organisations';

export type { Invitation, InvitationForYou };

/**
 * Invitations (Firestore `invitations/{id}`: org, email, role, invitedBy, createdAt, expiresAt; no
 * client reads or writes them, see firestore.rules). An admin invites an address; whoever proves they
 * own it (a verified email in their ID token) accepts or declines. What the admin is answered never
 * depends on the address outside their organisation: whether it has an account, or belongs to
 * another organisation, stays unknown to them (only their own members are told apart, and those
 * they can list anyway).
 */
export const INVITATION_DAYS = 14;

/** Who is answering an invitation: from their verified ID token. */
export interface Invitee {
  uid: string;
  email: string | null;
  emailVerified: boolean;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const ID = /^[A-Za-z0-9_-]{1,64}$/;
const invitations = (admin: Pick<OrgAdmin, 'firestore'>) => admin.firestore.collection('invitations');

/**
 * One invitation per organisation and address: inviting again renews it rather than adding another.
 * Derived, not random, and the same whatever the address is to the platform; guessing one gains
 * nothing (answering needs the address, verified).
 */
export function invitationId(org: string, email: string): string {
  return createHash('sha256').update(`${org}\n${normaliseEmail(email)}`).digest('base64url').slice(0, 32);
}

function fromDoc(doc: DocumentSnapshot): Invitation & { org: string } {
  return {
    id: doc.id,
    org: String(doc.get('org')),
    email: String(doc.get('email')),
    role: doc.get('role') === 'admin' ? 'admin' : 'member',
    invitedBy: String(doc.get('invitedBy')),
    createdAt: (doc.get('createdAt') as Timestamp).toDate().toISOString(),
    expiresAt: (doc.get('expiresAt') as Timestamp).toDate().toISOString(),
  };
}

const pending = (invitation: { expiresAt: string }, now: Date) => Date.parse(invitation.expiresAt) > now.getTime();

/** Invites `email` into `orgId` as `role`, for INVITATION_DAYS (renewing an invitation already there). */
export async function invite(admin: OrgAdmin, orgId: string, email: string, role: Role, invitedBy: string, now = new Date()): Promise<Invitation> {
  await requireOrganisation(admin, orgId);
  const address = normaliseEmail(email);
  // Looked up whatever the address, so that the answer (and its time) says nothing beyond this.
  const user = await userByEmail(admin, address);
  if (membershipOf(user?.customClaims)?.org === orgId) throw new OrgError('ALREADY_A_MEMBER', `${address} is already a member of this organisation.`);
  const expiresAt = new Date(now.getTime() + INVITATION_DAYS * DAY_MS);
  const id = invitationId(orgId, address);
  await invitations(admin).doc(id).set({ org: orgId, email: address, role, invitedBy, createdAt: Timestamp.fromDate(now), expiresAt: Timestamp.fromDate(expiresAt) });
  return { id, email: address, role, invitedBy, createdAt: now.toISOString(), expiresAt: expiresAt.toISOString() };
}

/** The organisation's invitations not yet answered, revoked or expired, by address. */
export async function listInvitations(admin: Pick<OrgAdmin, 'firestore'>, orgId: string, now = new Date()): Promise<Invitation[]> {
  const docs = await invitations(admin).where('org', '==', orgId).get();
  return docs.docs
    .map(fromDoc)
    .filter((invitation) => pending(invitation, now))
    .map(({ org: _org, ...invitation }) => invitation)
    .sort((a, b) => a.email.localeCompare(b.email));
}

async function pendingFor(admin: Pick<OrgAdmin, 'firestore'>, email: string, now: Date) {
  const docs = await invitations(admin).where('email', '==', normaliseEmail(email)).get();
  return docs.docs.map(fromDoc).filter((invitation) => pending(invitation, now));
}

/**
 * The invitations waiting for the caller, with each organisation's name: none until their address
 * is verified, so that signing up with someone else's address shows nothing of theirs.
 */
export async function invitationsFor(admin: Pick<OrgAdmin, 'firestore'>, who: Invitee, now = new Date()): Promise<InvitationForYou[]> {
  if (!who.emailVerified || who.email === null) return [];
  const found: InvitationForYou[] = [];
  for (const invitation of await pendingFor(admin, who.email, now)) {
    const organisation = await getOrganisation(admin, invitation.org);
    if (organisation !== null) found.push({ id: invitation.id, organisation, role: invitation.role, expiresAt: invitation.expiresAt });
  }
  return found.sort((a, b) => a.organisation.name.localeCompare(b.organisation.name));
}

/** Is anything waiting for this address (verified or not)? Only the emulators' sign-up asks (provisionPersonal). */
export async function hasInvitation(admin: Pick<OrgAdmin, 'firestore'>, email: string | null, now = new Date()): Promise<boolean> {
  return email !== null && (await pendingFor(admin, email, now)).length > 0;
}

/** An admin takes back one of their organisation's invitations; another organisation's is "not found". */
export async function revokeInvitation(admin: Pick<OrgAdmin, 'firestore'>, orgId: string, id: string): Promise<void> {
  const doc = ID.test(id) ? await invitations(admin).doc(id).get() : null;
  if (doc?.exists !== true || doc.get('org') !== orgId) throw new OrgError('INVITATION_NOT_FOUND', 'No such invitation in your organisation (it may have been answered or revoked).');
  await doc.ref.delete();
}

/**
 * The invitation `id` if it is the caller's to answer. An unverified address is refused before
 * anything is looked up; someone else's invitation answers exactly like one that does not exist.
 */
async function yours(admin: Pick<OrgAdmin, 'firestore'>, id: string, who: Invitee, now: Date): Promise<Invitation & { org: string }> {
  if (!who.emailVerified || who.email === null) {
    throw new OrgError('EMAIL_NOT_VERIFIED', 'Verify your email address first: open the link we sent you (or send it again), then answer the invitation.');
  }
  const doc = ID.test(id) ? await invitations(admin).doc(id).get() : null;
  const invitation = doc?.exists === true ? fromDoc(doc) : null;
  if (invitation === null || invitation.email !== normaliseEmail(who.email) || !pending(invitation, now)) {
    throw new OrgError('INVITATION_NOT_FOUND', 'There is no such invitation for you: it may have been revoked, have expired, or be for another address.');
  }
  return invitation;
}

/**
 * Joins the organisation of an invitation. A user belongs to one organisation: a member of another
 * is refused (the invitation stays, and the admin who sent it learns nothing). The invitation is
 * taken in a transaction, so a revocation and an acceptance cannot both win; the claims are set by
 * setMembership, and reach the caller's next ID token. One acceptance per user at a time (joining):
 * two invitations of two organisations accepted at the same instant would otherwise both be taken
 * and the claims written last would win.
 */
export async function acceptInvitation(admin: OrgAdmin, id: string, who: Invitee, now = new Date()): Promise<{ organisation: Organisation; role: Role }> {
  const invitation = await yours(admin, id, who, now);
  refuseOtherMember(membershipOf((await admin.auth.getUser(who.uid)).customClaims), invitation.org);
  const organisation = await getOrganisation(admin, invitation.org);
  if (organisation === null) throw new OrgError('INVITATION_NOT_FOUND', 'The organisation of this invitation no longer exists.');
  const ref = invitations(admin).doc(invitation.id);
  const taken = await takeInvitation(admin, ref, who.uid);
  try {
    // Read again under the lease: an acceptance that finished since the first read is seen.
    const user = await admin.auth.getUser(who.uid);
    const current = membershipOf(user.customClaims);
    refuseOtherMember(current, invitation.org);
    // Already a member here (accepted twice, say): the membership stays as it is.
    const membership: Membership = current ?? { org: invitation.org, role: invitation.role };
    if (current === null) await setMembership(admin, user, membership);
    return { organisation, role: membership.role };
  } catch (error) {
    await ref.set(taken); // not joined: the invitation is still to be answered
    throw error;
  } finally {
    // Not deleted (Firestore unreachable a moment)? It lapses after JOINING_MS: the answer given stands.
    await joining(admin).doc(who.uid).delete().catch(() => {});
  }
}

function refuseOtherMember(current: Membership | null, org: string): void {
  if (current !== null && current.org !== org) {
    throw new OrgError('MEMBER_OF_ANOTHER_ORGANISATION', 'You are a member of another organisation, and an account belongs to one: ask an admin there to remove you, then accept.');
  }
}

/**
 * Firestore `joining/{uid}` (at): the user is accepting an invitation. Held from taking the
 * invitation until the claims are written; one left by a crashed acceptance lapses after JOINING_MS.
 */
const joining = (admin: Pick<OrgAdmin, 'firestore'>) => admin.firestore.collection('joining');
const JOINING_MS = 60_000;
const JOINING_WAIT_MS = 10_000;

/** Takes the invitation and the user's joining lease in one transaction, waiting for another acceptance of theirs to end. */
async function takeInvitation(admin: Pick<OrgAdmin, 'firestore'>, ref: DocumentReference, uid: string): Promise<DocumentData> {
  const lease = joining(admin).doc(uid);
  const until = Date.now() + JOINING_WAIT_MS;
  for (let wait = 50; ; wait = Math.min(wait * 2, 500)) {
    const taken = await admin.firestore.runTransaction(async (transaction) => {
      const [doc, held] = await transaction.getAll(ref, lease);
      if (held.exists && Date.now() - (held.get('at') as Timestamp).toMillis() < JOINING_MS) return 'busy' as const;
      if (!doc.exists) return null;
      transaction.delete(ref);
      transaction.set(lease, { at: Timestamp.now() });
      return doc.data()!;
    });
    if (taken === null) throw new OrgError('INVITATION_NOT_FOUND', 'This invitation was revoked or answered meanwhile.');
    if (taken !== 'busy') return taken;
    if (Date.now() > until) throw new Error(`user ${uid} has been joining an organisation for over ${JOINING_WAIT_MS / 1000} s`);
    await new Promise((done) => setTimeout(done, wait));
  }
}

/** Turns an invitation down: it is gone, and the admin's list no longer shows it. */
export async function declineInvitation(admin: Pick<OrgAdmin, 'firestore'>, id: string, who: Invitee, now = new Date()): Promise<void> {
  const invitation = await yours(admin, id, who, now);
  await invitations(admin).doc(invitation.id).delete();
}
