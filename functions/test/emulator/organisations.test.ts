import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEADER, nem12 } from '../unit/helpers';
import { removeMember } from '../../src/orgs/organisations';
import { STATUS_COLLECTION } from '../../src/status/statusDocument';
import { admin, callApi, db, PROJECT, downloadObject, finalStatus, firestore, member, query, signIn, signUp, statusOf, upload, type Member } from './harness';

// Each organisation's meter data is its own. Organisation A loads a year for NMI X; organisation B
// uploads a one-day file naming X with a newer UpdateDateTime (NMIs are printed on every bill). A's
// data, answers and SQL file stay exactly as they were; B sees its one day only; nothing B gets
// mentions A's data. Real tokens (Auth emulator, claims set by the same code as `nem12 org`), the
// real pipeline and PostgreSQL.
const X = 'ORGTEST001';
const A = 'org-test-a';
const B = 'org-test-b';
const BIN = join(__dirname, '..', '..', 'bin', 'nem12.js');

function year(nmi: string): string {
  const lines = [HEADER, `200,${nmi},E1,1,E1,N1,M1,kWh,30,`];
  for (let d = 0; d < 365; d++) {
    const date = new Date(Date.UTC(2023, 0, 1 + d)).toISOString().slice(0, 10).replaceAll('-', '');
    const values = Array.from({ length: 48 }, (_, i) => ((d * 48 + i) % 997 / 1000).toFixed(3));
    lines.push(`300,${date},${values.join(',')},A,,,20240101120000,`);
  }
  lines.push('900');
  return nem12(lines);
}
const oneDay = (nmi: string) => nem12([HEADER, `200,${nmi},E1,1,E1,N1,M9,kWh,30,`, `300,20230615,${Array(48).fill('9.999').join(',')},A,,,20240601120000,`, '900']);

/** A status document read as the web page reads it: Firestore's REST API with the user's ID token, under firestore.rules. */
async function readStatusAs(statusId: string, token: string): Promise<number> {
  const url = `http://${process.env.FIRESTORE_EMULATOR_HOST}/v1/projects/${PROJECT}/databases/(default)/documents/${STATUS_COLLECTION}/${statusId}`;
  return (await fetch(url, { headers: { Authorization: `Bearer ${token}` } })).status;
}

let alice: Member; // admin of A
let bob: Member; // admin of B
let aliceUpload: { statusId: string };
const before: Record<string, unknown> = {};
const views = [
  `/stats?nmi=${X}&suffix=E1&from=2023-01-01&to=2023-12-31&granularity=day`,
  `/stats?nmi=${X}&suffix=E1&from=2023-06-15&to=2023-06-15&granularity=interval`,
  `/readings?nmi=${X}&suffix=E1&from=2023-06-14&to=2023-06-16&limit=200`,
  `/nmis?search=ORGTEST`,
];

beforeAll(async () => {
  [alice, bob] = await Promise.all([member(A, 'alice'), member(B, 'bob')]);
  aliceUpload = await upload(Buffer.from(year(X)), `uploads/${A}/${alice.uid}/year.csv`);
  expect((await finalStatus(aliceUpload.statusId)).status).toBe('done');
  for (const view of views) before[view] = (await callApi(view, alice)).body;
  before.sql = gunzipSync(await downloadObject((await statusOf(aliceUpload.statusId))!.sqlPath!)).toString('utf8');
});
afterAll(() => db.end());

describe('organisations: the attack of an NMI printed on a bill', () => {
  it("B's upload naming A's NMI, with a newer UpdateDateTime, changes nothing of A's and tells B nothing of A", async () => {
    const bobsUpload = await upload(Buffer.from(oneDay(X)), `uploads/${B}/${bob.uid}/day.csv`);
    const status = await finalStatus(bobsUpload.statusId);
    // B's counts are B's own: 48 new readings, nothing "unchanged" or "updated" taken from A's data.
    expect(status).toMatchObject({ status: 'done', org: B, readings: { total: 48, new: 48, updated: 0, unchanged: 0 } });

    for (const view of views) expect((await callApi(view, alice)).body, view).toEqual(before[view]);
    expect(gunzipSync(await downloadObject((await statusOf(aliceUpload.statusId))!.sqlPath!)).toString('utf8')).toBe(before.sql);

    const nmis = await callApi('/nmis', bob);
    expect(nmis.body.nmis).toEqual([{ nmi: X, channels: [expect.objectContaining({ suffix: 'E1', firstDate: '2023-06-15', lastDate: '2023-06-15' })] }]);
    const stats = await callApi(`/stats?nmi=${X}&suffix=E1&from=2023-01-01&to=2023-12-31`, bob);
    expect(stats.body).toMatchObject({ readings: 48, days: 1, total: '479.952' });
    const readings = await callApi(`/readings?nmi=${X}&suffix=E1&limit=10000`, bob);
    expect(readings.body.readings).toHaveLength(48);
    expect(new Set(readings.body.readings.map((r: { value: string }) => r.value))).toEqual(new Set(['9.999']));
    // The Flo SQL of B's file holds B's day only.
    const sql = gunzipSync(await downloadObject(status.sqlPath!)).toString('utf8');
    expect(sql.match(/^\(\d+,'\d{4}-\d\d-\d\d \d\d:\d\d',[\d.]+\)/gm)).toHaveLength(48);
    expect(sql.match(new RegExp(`^\\(\\d+,'${X}','E1',`, 'gm'))).toHaveLength(1);
    expect(status.sqlPath!.startsWith(`outputs/${B}/`)).toBe(true);
    // Two streams for X, one per organisation, in PostgreSQL.
    expect(await query(`SELECT org_id, count(*)::int AS readings FROM channel_readings WHERE nmi = $1 GROUP BY 1 ORDER BY 1`, [X])).toEqual([
      { org_id: A, readings: 365 * 48 },
      { org_id: B, readings: 48 },
    ]);
  });

  it("no endpoint gives B any of A's NMIs: an NMI only A has answers like one nobody has", async () => {
    const onlyA = 'ORGTEST002';
    const second = await upload(Buffer.from(oneDay(onlyA)), `uploads/${A}/${alice.uid}/second.csv`);
    expect((await finalStatus(second.statusId)).status).toBe('done');
    for (const path of [`/readings?nmi=${onlyA}&suffix=E1`, `/stats?nmi=${onlyA}&suffix=E1&from=2023-06-01&to=2023-06-30`]) {
      const theirs = await callApi(path, bob);
      const nowhere = await callApi(path.replace(onlyA, 'NOSUCHNMI9'), bob);
      expect(theirs.status, path).toBe(404);
      expect(JSON.stringify(theirs.body).replace(onlyA, '?')).toBe(JSON.stringify(nowhere.body).replace('NOSUCHNMI9', '?'));
    }
    expect((await callApi('/nmis', bob)).body.nmis.map((n: { nmi: string }) => n.nmi)).toEqual([X]);
    expect((await callApi(`/nmis?search=${onlyA}`, bob)).body.nmis).toEqual([]);
  });

  it('an object under no organisation, under one that does not exist, or with metadata naming another one is not loaded into it', async () => {
    const stray = await upload(Buffer.from(oneDay('ORGTEST003')), 'uploads/stray.csv', { org: A, owner: alice.uid });
    const ghost = await upload(Buffer.from(oneDay('ORGTEST003')), `uploads/no-such-org/${bob.uid}/ghost.csv`);
    // Metadata cannot move an object into another organisation: the path decides.
    const disguised = await upload(Buffer.from(oneDay('ORGTEST004')), `uploads/${B}/${bob.uid}/disguised.csv`, { org: A, owner: alice.uid });
    expect((await finalStatus(disguised.statusId)).org).toBe(B);
    expect(await statusOf(stray.statusId)).toBeUndefined();
    expect(await statusOf(ghost.statusId)).toBeUndefined();
    expect((await callApi('/nmis', alice)).body.nmis.map((n: { nmi: string }) => n.nmi)).toEqual([X, 'ORGTEST002']);
    expect(await query(`SELECT DISTINCT org_id FROM channels WHERE nmi IN ('ORGTEST003', 'ORGTEST004')`)).toEqual([{ org_id: B }]);
  });
});

describe('membership', () => {
  it('says who the caller is; a user in no organisation gets nothing but may create one of their own on the emulators', async () => {
    expect((await callApi('/me', alice)).body).toMatchObject({ uid: alice.uid, organisation: { id: A, name: `Test ${A}` }, role: 'admin' });
    const stranger = await signUp('stranger');
    expect((await callApi('/me', stranger)).body).toMatchObject({ organisation: null, role: null, canCreateOrganisation: true });
    for (const path of ['/nmis', `/readings?nmi=${X}&suffix=E1`, '/members']) {
      const answer = await callApi(path, stranger);
      expect(answer.status, path).toBe(403);
      expect(answer.body.error.code).toBe('NO_ORGANISATION');
    }
    const created = await callApi('/me/organisation', stranger, { method: 'POST' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ organisation: { id: `u-${stranger.uid}` }, role: 'admin', refreshToken: true });
    const refreshed = { token: await signIn(stranger.email) };
    expect((await callApi('/nmis', refreshed)).body).toEqual({ nmis: [], nextCursor: null, recent: [] });
  });

  it('an admin lists and removes members; a member may not; a removed member is refused at once', async () => {
    // Members join by invitation (invitations.test.ts); here one is added as `nem12 org add-member` does.
    const carolMember = await member(A, 'carol', 'member');
    const added = { body: { uid: carolMember.uid, email: carolMember.email } };
    const carol = { token: carolMember.token };
    expect((await callApi(`/stats?nmi=${X}&suffix=E1&from=2023-06-15&to=2023-06-15`, carol)).status).toBe(200);
    expect(await readStatusAs(aliceUpload.statusId, carol.token)).toBe(200);
    expect((await callApi('/members', carol)).body.error.code).toBe('ADMIN_ONLY');
    const listed = await callApi('/members', alice);
    expect(listed.body.members.map((m: { uid: string; role: string }) => [m.uid, m.role]).sort()).toEqual([[alice.uid, 'admin'], [added.body.uid, 'member']].sort());
    // Bob (admin of B) can neither see nor remove A's members.
    expect((await callApi('/members', bob)).body.members.map((m: { uid: string }) => m.uid)).toEqual([bob.uid]);
    expect((await callApi(`/members/${added.body.uid}`, bob, { method: 'DELETE' })).body.error.code).toBe('MEMBER_NOT_FOUND');

    expect((await callApi(`/members/${added.body.uid}`, alice, { method: 'DELETE' })).status).toBe(200);
    const refused = await callApi(`/stats?nmi=${X}&suffix=E1&from=2023-06-15&to=2023-06-15`, carol);
    expect(refused.status).toBe(401);
    // Her token still carries the claims (for up to an hour): the rules refuse it all the same.
    expect(await readStatusAs(aliceUpload.statusId, carol.token)).toBe(403);
    // Signing in again gives a token without the organisation: nothing.
    expect((await callApi('/nmis', { token: await signIn(added.body.email) })).body.error.code).toBe('NO_ORGANISATION');
    expect((await callApi(`/members/${alice.uid}`, alice, { method: 'DELETE' })).body.error.code).toBe('LAST_ADMIN');
  });

  it('a member removed in the very second their session began is refused all the same', async (ctx) => {
    // Revocation counts in whole seconds: the sign-in and the removal must fall in one second for the
    // case to arise. Each try begins early in a second; a busy machine may need another try.
    for (let attempt = 0; attempt < 5; attempt++) {
      const dave = await member(A, `dave${attempt}`, 'member');
      await new Promise((done) => setTimeout(done, 1000 - (Date.now() % 1000) + 20));
      const token = await signIn(dave.email);
      await removeMember(admin, A, { uid: dave.uid }); // what DELETE /members and `nem12 org remove-member` run
      const authTime = (JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as { auth_time: number }).auth_time;
      if (authTime * 1000 !== Date.parse((await admin.auth.getUser(dave.uid)).tokensValidAfterTime!)) continue;
      // The case under test: revocation alone lets this token through.
      const refused = await callApi('/nmis', { token });
      expect(refused.status).toBe(401);
      expect(refused.body.error.code).toBe('UNAUTHENTICATED');
      return;
    }
    console.warn('*** the sign-in and the removal never fell in one second in 5 tries: the case was not checked ***');
    ctx.skip();
  });
});

describe('nem12 org', () => {
  const run = (...args: string[]) => {
    const result = spawnSync(process.execPath, [BIN, 'org', ...args, '--json'], { encoding: 'utf8', env: process.env, timeout: 60_000 });
    return { status: result.status, json: result.stdout ? JSON.parse(result.stdout) : null, stderr: result.stderr };
  };

  it('creates an organisation, adds, lists and removes members, through the Admin SDK on the emulators', async () => {
    const created = run('create', 'Globex Energy');
    expect(created.status, created.stderr).toBe(0);
    expect(created.json.id).toMatch(/^globex-energy-[a-z2-9]{6}$/);
    const org = created.json.id as string;
    expect(run('list').json.organisations).toContainEqual({ id: org, name: 'Globex Energy' });
    const email = `dana-${Date.now()}@example.com`;
    const added = run('add-member', org, email, '--role', 'admin', '--password', 'dana password 1');
    expect(added.json).toMatchObject({ email, role: 'admin', created: true });
    expect((await admin.auth.getUserByEmail(email)).customClaims).toEqual({ org, role: 'admin' });
    const token = { token: await signIn(email, 'dana password 1') };
    expect((await callApi('/me', token)).body).toMatchObject({ organisation: { id: org, name: 'Globex Energy' }, role: 'admin' });
    expect(run('members', org).json.members).toEqual([expect.objectContaining({ email, role: 'admin' })]);
    // The last admin cannot be removed; a second admin first, then it can.
    expect(run('remove-member', org, email)).toMatchObject({ status: 1, json: { ok: false, error: { code: 'LAST_ADMIN' } } });
    run('add-member', org, `erin-${Date.now()}@example.com`, '--role', 'admin');
    expect(run('remove-member', org, email).status).toBe(0);
    expect((await admin.auth.getUserByEmail(email)).customClaims ?? {}).toEqual({});
    expect((await callApi('/nmis', token)).status).toBe(401);
    expect(run('add-member', 'no-such-org', email)).toMatchObject({ status: 1, json: { error: { code: 'ORGANISATION_NOT_FOUND' } } });
    expect(run('create', 'Dup', '--id', org)).toMatchObject({ status: 1, json: { error: { code: 'ORGANISATION_EXISTS' } } });
    expect((await firestore.collection('organisations').doc(org).get()).get('name')).toBe('Globex Energy');
  });
});

