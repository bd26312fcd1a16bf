import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEADER, nem12 } from '../unit/helpers';
import { acceptInvitation } from '../../src/orgs/invitations';
import type { OrgError } from '../../src/orgs/organisations';
import { confirmPasswordReset, emailLink, sendPasswordResetEmail, verifyAddress } from './emailLinks';
import { admin, API, callApi, db, finalStatus, firestore, member, signIn, signUp, upload, type Member } from './harness';

// Joining by invitation, on the real Auth emulator (real tokens, real verification and reset links)
// and the real API: an admin invites an address; only whoever proves they own it (a verified email)
// can answer; the admin learns nothing about addresses outside their organisation.
const ORG = 'inv-test-a';
const OTHER = 'inv-test-b';
const BIN = join(__dirname, '..', '..', 'bin', 'nem12.js');
const DAY_MS = 24 * 60 * 60 * 1000;

let alice: Member; // admin of ORG
let bob: Member; // admin of OTHER

beforeAll(async () => {
  [alice, bob] = await Promise.all([member(ORG, 'alice'), member(OTHER, 'bob')]);
});
afterAll(() => db.end());

const address = (name: string) => `${name}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;

/** The response as sent: status, the headers that matter, and the body's bytes. */
async function raw(path: string, who: { token: string }, method = 'GET', body?: unknown) {
  const response = await fetch(`${API}${path}`, {
    method,
    headers: { Authorization: `Bearer ${who.token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, type: response.headers.get('content-type'), cache: response.headers.get('cache-control'), text: await response.text() };
}

/** An account for `email`, its address verified, signed in afresh (a token that says so). */
async function verifiedAccount(email: string): Promise<Member> {
  const account = await signUp('', email);
  await verifyAddress(email, account.token);
  return { ...account, token: await signIn(email) };
}

const inviteAs = (who: { token: string }, email: string, role = 'member') => callApi('/invitations', who, { method: 'POST', body: { email, role } });
const pendingEmails = async (who: { token: string }) => (await callApi('/invitations', who)).body.invitations.map((i: { email: string }) => i.email);

describe('invitations', () => {
  it('the invitee signs up, cannot accept before verifying the address, accepts after, then uploads and reads as a member', async () => {
    const email = address('newcomer');
    const invited = await inviteAs(alice, `  ${email.toUpperCase()} `);
    expect(invited.status).toBe(201);
    expect(invited.body).toMatchObject({ email, role: 'member', invitedBy: alice.uid });
    expect(Date.parse(invited.body.expiresAt) - Date.parse(invited.body.createdAt)).toBe(14 * DAY_MS);
    expect((await callApi('/invitations', alice)).body.invitations).toContainEqual(invited.body);
    const { id } = invited.body;

    // Signed up with the address but not yet proven to own it: nothing of the invitation shows, it
    // cannot be answered, and (on the emulators) no organisation of their own is offered instead.
    const newcomer = await signUp('', email);
    expect((await callApi('/me', newcomer)).body).toMatchObject({ emailVerified: false, organisation: null, invitations: [], canCreateOrganisation: false });
    for (const action of ['accept', 'decline']) {
      const early = await callApi(`/invitations/${id}/${action}`, newcomer, { method: 'POST' });
      expect(early.status, action).toBe(403);
      expect(early.body.error.code).toBe('EMAIL_NOT_VERIFIED');
    }
    expect(await pendingEmails(alice)).toContain(email);

    await verifyAddress(email, newcomer.token);
    const verified = { token: await signIn(email) };
    expect((await callApi('/me', verified)).body).toMatchObject({
      emailVerified: true,
      organisation: null,
      invitations: [{ id, organisation: { id: ORG, name: `Test ${ORG}` }, role: 'member', expiresAt: invited.body.expiresAt }],
    });
    const accepted = await callApi(`/invitations/${id}/accept`, verified, { method: 'POST' });
    expect(accepted).toMatchObject({ status: 200, body: { organisation: { id: ORG, name: `Test ${ORG}` }, role: 'member', refreshToken: true } });
    expect((await admin.auth.getUser(newcomer.uid)).customClaims).toEqual({ org: ORG, role: 'member' });
    expect(await pendingEmails(alice)).not.toContain(email);
    expect((await callApi(`/invitations/${id}/accept`, verified, { method: 'POST' })).body.error.code).toBe('INVITATION_NOT_FOUND');

    // A refreshed token carries the membership: a member's upload is loaded, and they read it.
    const joined = { token: await signIn(email) };
    expect((await callApi('/me', joined)).body).toMatchObject({ organisation: { id: ORG }, role: 'member', invitations: [] });
    const day = nem12([HEADER, '200,INVTEST001,E1,1,E1,N1,M1,kWh,30,', `300,20230615,${Array(48).fill('1.000').join(',')},A,,,20240601120000,`, '900']);
    const uploaded = await upload(Buffer.from(day), `uploads/${ORG}/${newcomer.uid}/joined.csv`);
    expect((await finalStatus(uploaded.statusId)).status).toBe('done');
    expect((await callApi('/nmis', joined)).body.nmis.map((n: { nmi: string }) => n.nmi)).toEqual(['INVTEST001']);
    expect((await callApi('/stats?nmi=INVTEST001&suffix=E1&from=2023-06-15&to=2023-06-15', joined)).body).toMatchObject({ readings: 48, days: 1 });
    // A member is not an admin: invitations are not theirs to see or send.
    expect((await callApi('/invitations', joined)).body.error.code).toBe('ADMIN_ONLY');
    expect((await inviteAs(joined, address('x'))).body.error.code).toBe('ADMIN_ONLY');
  });

  it('the admin is answered alike for an unknown address, an account in no organisation and a member of another organisation', async () => {
    const stranger = await signUp('stranger');
    const addresses = [address('nobody'), stranger.email, bob.email];
    const answers: string[] = [];
    for (const email of addresses) {
      const answer = await raw('/invitations', alice, 'POST', { email, role: 'member' });
      const id = (JSON.parse(answer.text) as { id: string }).id;
      // What must differ (the address, its id, the moment): masked; everything else byte for byte.
      answers.push(JSON.stringify({ ...answer, text: answer.text.replaceAll(email, '<email>').replace(id, '<id>').replace(/"\d{4}-\d\d-\d\dT[\d:.]+Z"/g, '"<time>"') }));
    }
    expect(answers[0]).toContain('"status":201');
    expect(answers[1]).toBe(answers[0]);
    expect(answers[2]).toBe(answers[0]);
    const listed = (await callApi('/invitations', alice)).body.invitations.filter((i: { email: string }) => addresses.includes(i.email));
    expect(listed.map((i: object) => Object.keys(i).join())).toEqual(Array(3).fill('id,email,role,invitedBy,createdAt,expiresAt'));

    // An address already in this organisation is said to be: its admins list the members anyway.
    const carol = await member(ORG, 'carol', 'member');
    expect(await inviteAs(alice, carol.email.toUpperCase())).toMatchObject({ status: 409, body: { error: { code: 'ALREADY_A_MEMBER' } } });

    // Bob (admin of another organisation), his address verified, cannot accept: one organisation
    // per account. His membership stays, the invitation stays pending: Alice sees no difference.
    const before = await callApi('/invitations', alice);
    await verifyAddress(bob.email, bob.token);
    const bobVerified = { token: await signIn(bob.email) };
    const id = (await callApi('/me', bobVerified)).body.invitations.find((i: { organisation: { id: string } }) => i.organisation.id === ORG).id;
    expect(await callApi(`/invitations/${id}/accept`, bobVerified, { method: 'POST' })).toMatchObject({ status: 409, body: { error: { code: 'MEMBER_OF_ANOTHER_ORGANISATION' } } });
    expect((await admin.auth.getUser(bob.uid)).customClaims).toEqual({ org: OTHER, role: 'admin' });
    expect((await callApi('/invitations', alice)).body).toEqual(before.body);
    // Nothing adds an address directly any more.
    expect((await callApi('/members', alice, { method: 'POST', body: { email: bob.email } })).body.error.code).toBe('METHOD_NOT_ALLOWED');
  });

  it('two invitations of two organisations accepted at the same instant: one joins, the other is refused and stays pending', async () => {
    for (let round = 0; round < 4; round++) {
      const email = address('torn');
      const { id: idA } = (await inviteAs(alice, email)).body;
      const { id: idB } = (await inviteAs(bob, email)).body;
      const account = await verifiedAccount(email);
      const who = { uid: account.uid, email, emailVerified: true };
      // In this process, started together: both reach the invitation before either writes claims.
      const answers = await Promise.allSettled([acceptInvitation(admin, idA, who), acceptInvitation(admin, idB, who)]);
      const joined = answers.flatMap((answer) => (answer.status === 'fulfilled' ? [answer.value.organisation.id] : []));
      const refused = answers.flatMap((answer) => (answer.status === 'rejected' ? [(answer.reason as OrgError).code] : []));
      expect(joined, `round ${round}`).toHaveLength(1);
      expect(refused).toEqual(['MEMBER_OF_ANOTHER_ORGANISATION']);
      expect((await admin.auth.getUser(account.uid)).customClaims).toEqual({ org: joined[0], role: 'member' });
      const [winner, loser] = joined[0] === ORG ? [alice, bob] : [bob, alice];
      expect(await pendingEmails(winner)).not.toContain(email);
      expect(await pendingEmails(loser)).toContain(email);
    }
  });

  it("someone else's invitation answers exactly like one that does not exist, whatever the address it was for", async () => {
    const email = address('invitee');
    const { id } = (await inviteAs(alice, email)).body;
    const eve = await verifiedAccount(address('eve'));
    for (const action of ['accept', 'decline']) {
      const theirs = await raw(`/invitations/${id}/${action}`, eve, 'POST');
      const nowhere = await raw(`/invitations/${'x'.repeat(id.length)}/${action}`, eve, 'POST');
      const malformed = await raw(`/invitations/${encodeURIComponent('a/../b')}/${action}`, eve, 'POST');
      expect(theirs.status, action).toBe(404);
      expect(JSON.parse(theirs.text).error.code).toBe('INVITATION_NOT_FOUND');
      expect(nowhere).toEqual(theirs);
      expect(malformed).toEqual(theirs);
    }
    expect((await admin.auth.getUser(eve.uid)).customClaims ?? {}).toEqual({});
    expect(await pendingEmails(alice)).toContain(email);
  });

  it('a revoked, expired or declined invitation cannot be accepted; only its own admins revoke it', async () => {
    const email = address('revoked');
    const invitee = await verifiedAccount(email);
    const { id } = (await inviteAs(alice, email)).body;
    expect((await callApi(`/invitations/${id}`, bob, { method: 'DELETE' })).body.error.code).toBe('INVITATION_NOT_FOUND');
    expect(await pendingEmails(alice)).toContain(email);
    expect(await callApi(`/invitations/${id}`, alice, { method: 'DELETE' })).toMatchObject({ status: 200, body: { revoked: id } });
    expect(await pendingEmails(alice)).not.toContain(email);
    expect((await callApi('/me', invitee)).body.invitations).toEqual([]);
    expect((await callApi(`/invitations/${id}/accept`, invitee, { method: 'POST' })).body.error.code).toBe('INVITATION_NOT_FOUND');

    // Invited again, then 14 days pass.
    await inviteAs(alice, email);
    await firestore.collection('invitations').doc(id).update({ expiresAt: new Date(Date.now() - 1000) });
    expect(await pendingEmails(alice)).not.toContain(email);
    expect((await callApi('/me', invitee)).body.invitations).toEqual([]);
    expect((await callApi(`/invitations/${id}/accept`, invitee, { method: 'POST' })).body.error.code).toBe('INVITATION_NOT_FOUND');

    // Invited again (renewed, same id), and declined.
    expect((await inviteAs(alice, email, 'admin')).body).toMatchObject({ id, role: 'admin' });
    expect((await callApi('/me', invitee)).body.invitations).toEqual([expect.objectContaining({ id, role: 'admin' })]);
    expect(await callApi(`/invitations/${id}/decline`, invitee, { method: 'POST' })).toMatchObject({ status: 200, body: { declined: id } });
    expect(await pendingEmails(alice)).not.toContain(email);
    expect((await callApi(`/invitations/${id}/accept`, invitee, { method: 'POST' })).body.error.code).toBe('INVITATION_NOT_FOUND');
    expect((await admin.auth.getUser(invitee.uid)).customClaims ?? {}).toEqual({});
  });
});

describe('a first admin, and the organisation name', () => {
  const run = (...args: string[]) => {
    const result = spawnSync(process.execPath, [BIN, 'org', ...args, '--json'], { encoding: 'utf8', env: process.env, timeout: 60_000 });
    return { status: result.status, json: result.stdout ? JSON.parse(result.stdout) : null, stderr: result.stderr };
  };

  it('made by `nem12 org add-member` without a password, sets one from the emailed reset link and signs in', async () => {
    const org = run('create', 'Initech').json.id as string;
    const email = address('first-admin');
    expect(run('add-member', org, email, '--role', 'admin')).toMatchObject({ status: 0, json: { email, role: 'admin', created: true } });
    await expect(signIn(email, 'any password at all')).rejects.toThrow(/sign-in failed/);
    await sendPasswordResetEmail(email);
    await confirmPasswordReset((await emailLink(email, 'PASSWORD_RESET')).oobCode, 'first admin password');
    const first = { token: await signIn(email, 'first admin password') };
    expect((await callApi('/me', first)).body).toMatchObject({ organisation: { id: org, name: 'Initech' }, role: 'admin' });

    // The operator may invite too (as the tool), and the admin sees it.
    const invited = address('second');
    expect(run('invite', org, invited)).toMatchObject({ status: 0, json: { email: invited, role: 'member', invitedBy: 'cli' } });
    expect((await callApi('/invitations', first)).body.invitations).toEqual([expect.objectContaining({ email: invited, invitedBy: 'cli' })]);
    expect(run('invite', 'no-such-org', invited)).toMatchObject({ status: 1, json: { error: { code: 'ORGANISATION_NOT_FOUND' } } });
  });

  it('an admin renames the organisation (trimmed, 1 to 200 characters); a member may not', async () => {
    const renamed = await callApi('/organisation', alice, { method: 'PATCH', body: { name: '  Acme Energy  ' } });
    expect(renamed).toMatchObject({ status: 200, body: { id: ORG, name: 'Acme Energy' } });
    expect((await callApi('/me', alice)).body.organisation).toEqual({ id: ORG, name: 'Acme Energy' });
    for (const name of ['   ', 'x'.repeat(201)]) {
      expect(await callApi('/organisation', alice, { method: 'PATCH', body: { name } })).toMatchObject({ status: 400, body: { error: { code: 'INVALID_PARAMETER', parameter: 'name' } } });
    }
    expect((await callApi('/organisation', alice, { method: 'PATCH', body: {} })).body.error).toMatchObject({ code: 'INVALID_PARAMETER', parameter: 'name' });
    expect((await callApi('/organisation', alice, { method: 'PATCH', body: { name: 'y'.repeat(200) } })).status).toBe(200);
    const dan = await member(ORG, 'dan', 'member');
    expect((await callApi('/organisation', dan, { method: 'PATCH', body: { name: 'Mine' } })).body.error.code).toBe('ADMIN_ONLY');
    expect(run('rename', ORG, 'Acme Energy Pty Ltd')).toMatchObject({ status: 0, json: { id: ORG, name: 'Acme Energy Pty Ltd' } });
    expect((await callApi('/me', dan)).body.organisation.name).toBe('Acme Energy Pty Ltd');
  });
});
