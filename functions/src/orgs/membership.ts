/**
 * Membership lives in Firebase Auth custom claims, set only by the Admin SDK: `org` (the one
 * organisation a user belongs to) and `role`. Pure: what a verified token or a user record says.
 */
import { isOrgId } from './orgIds';

export type Role = 'admin' | 'member';
export const ROLES: readonly Role[] = ['admin', 'member'];

export interface Membership {
  org: string;
  role: Role;
}

/** A member of an organisation, as listed to its admins. */
export interface Member {
  uid: string;
  email: string | null;
  role: Role;
  disabled: boolean;
}

/**
 * An invitation to join an organisation, as its admins see it (GET /invitations). Times are ISO 8601.
 * `email` is normalised (normaliseEmail): an invitation is matched case-insensitively.
 */
export interface Invitation {
  id: string;
  email: string;
  role: Role;
  /** The uid of the admin who invited (`cli` for `nem12 org invite`). */
  invitedBy: string;
  createdAt: string;
  expiresAt: string;
}

/** An invitation as the invited person sees it (GET /me, once their email address is verified). */
export interface InvitationForYou {
  id: string;
  organisation: { id: string; name: string };
  role: Role;
  expiresAt: string;
}

/** How addresses are compared and stored: Auth keeps them lower-case, and people type them any way. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** The membership in a token's (or a user's) custom claims, or null when they grant none. */
export function membershipOf(claims: Record<string, unknown> | undefined | null): Membership | null {
  const org = claims?.org;
  const role = claims?.role;
  if (typeof org !== 'string' || !isOrgId(org)) return null;
  return { org, role: role === 'admin' ? 'admin' : 'member' };
}

/** The custom claims of a user: the membership replaces only `org` and `role`, keeping any others. */
export function claimsWith(claims: Record<string, unknown> | undefined, membership: Membership | null): Record<string, unknown> {
  const { org: _org, role: _role, ...others } = claims ?? {};
  return membership === null ? others : { ...others, org: membership.org, role: membership.role };
}

/** What a verified ID token says (firebase-admin's DecodedIdToken: the fields used here). */
export interface TokenClaims {
  uid: string;
  /** When its user signed in, in seconds. */
  auth_time: number;
  [claim: string]: unknown;
}

/** The token's user as Auth holds it now (firebase-admin's UserRecord: the fields used here). */
export interface AccountNow {
  disabled: boolean;
  /** Revocation: tokens of sessions begun before it are refused (UTC, in whole seconds). */
  tokensValidAfterTime?: string;
  customClaims?: Record<string, unknown>;
}

/**
 * The membership a verified token may act with, or why it may not act at all. A disabled user or a
 * revoked session is refused (what verifyIdToken's checkRevoked does), and so is a token carrying a
 * membership its user no longer has: revocation counts in whole seconds, so a token signed in during
 * the very second of a removal passes the revocation check, while the account's claims already say
 * the truth. A token without a membership acts as a user in no organisation (one just granted is
 * used once the session refreshes its token, as the rules need anyway).
 */
export function tokenMembership(token: TokenClaims, account: AccountNow): { membership: Membership | null } | { refused: string } {
  if (account.disabled) return { refused: 'the account is disabled' };
  const validSince = account.tokensValidAfterTime === undefined ? Number.NaN : Date.parse(account.tokensValidAfterTime);
  if (token.auth_time * 1000 < validSince) return { refused: 'the session was revoked' };
  const claimed = membershipOf(token);
  const now = membershipOf(account.customClaims);
  if (claimed !== null && (now === null || now.org !== claimed.org || now.role !== claimed.role)) return { refused: 'the membership the token carries has changed' };
  return { membership: claimed };
}
