import { describe, expect, it } from 'vitest';
import { tokenMembership } from '../../src/orgs/membership';

// Auth's revocation time, as Auth writes it: a UTC date in whole seconds.
const at = (seconds: number) => new Date(seconds * 1000).toUTCString();
const T = 1_796_000_000; // a sign-in time, in seconds
const token = (claims: Record<string, unknown>) => ({ uid: 'u1', auth_time: T, ...claims });

describe('tokenMembership: what a verified token may act with, against the account now', () => {
  it('a member whose claims are unchanged acts with them', () => {
    expect(tokenMembership(token({ org: 'acme', role: 'admin' }), { disabled: false, customClaims: { org: 'acme', role: 'admin' } })).toEqual({ membership: { org: 'acme', role: 'admin' } });
  });

  it('a member removed in the very second the token was signed in is refused (revocation alone lets it through)', () => {
    const removed = { disabled: false, tokensValidAfterTime: at(T), customClaims: {} };
    expect(tokenMembership(token({ org: 'acme', role: 'member' }), removed)).toEqual({ refused: 'the membership the token carries has changed' });
  });

  it('a changed role or another organisation refuses the old token', () => {
    const now = { disabled: false, customClaims: { org: 'acme', role: 'member' } };
    expect(tokenMembership(token({ org: 'acme', role: 'admin' }), now)).toHaveProperty('refused');
    expect(tokenMembership(token({ org: 'globex', role: 'member' }), now)).toHaveProperty('refused');
  });

  it('a session begun before the revocation is refused; one begun after it is not', () => {
    const claims = { org: 'acme', role: 'member' };
    expect(tokenMembership(token(claims), { disabled: false, tokensValidAfterTime: at(T + 1), customClaims: claims })).toEqual({ refused: 'the session was revoked' });
    expect(tokenMembership(token(claims), { disabled: false, tokensValidAfterTime: at(T - 1), customClaims: claims })).toEqual({ membership: { org: 'acme', role: 'member' } });
  });

  it('a disabled account is refused', () => {
    expect(tokenMembership(token({}), { disabled: true })).toEqual({ refused: 'the account is disabled' });
  });

  it('a token without a membership acts as no organisation, even once one is granted (until the session refreshes it)', () => {
    expect(tokenMembership(token({}), { disabled: false, customClaims: { org: 'acme', role: 'member' } })).toEqual({ membership: null });
  });
});
