import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeMember } from '../../src/orgs/organisations';
import { statusIdOf } from '../../src/pipeline/objects';
import { nem12, HEADER } from '../unit/helpers';
import { admin, BUCKET, db, finalStatus, firestore, member, organisation, query, statusOf, upload, type Member } from './harness';

// Where data enters: every object under uploads/ ends with a status whatever happened to its event,
// and only a current member of the organisation gets a file loaded into it.

afterAll(() => db.end());

const oneDay = (nmi: string, value: string) =>
  Buffer.from(nem12([HEADER, `200,${nmi},E1,1,E1,N1,M1,kWh,30,`, `300,20240301,${Array(48).fill(value).join(',')},A,,,20240302120000,`, '900']));

/** A member's upload through the Storage REST API with their ID token: the web SDK's path. */
async function send(who: Member, org: string, name: string, bytes: Buffer): Promise<string> {
  const path = `uploads/${org}/${who.uid}/${name}`;
  const response = await fetch(`http://${process.env.FIREBASE_STORAGE_EMULATOR_HOST}/v0/b/${BUCKET}/o?name=${encodeURIComponent(path)}&uploadType=media`, {
    method: 'POST',
    headers: { Authorization: `Firebase ${who.token}`, 'Content-Type': 'text/csv' },
    body: bytes,
  });
  const body = (await response.json()) as { generation: string };
  if (!response.ok) throw new Error(`upload of ${path}: ${response.status} ${JSON.stringify(body)}`);
  return statusIdOf({ bucket: BUCKET, name: path, generation: String(body.generation) });
}

// The timeouts only stop a hung run: the burst takes under a minute on an idle 2-core machine, and
// minutes when the machine is busy with something else (seen once in a CI rehearsal).
describe('no upload lost', { timeout: 600_000 }, () => {
  let sender: Member;
  beforeAll(async () => {
    sender = await member('burst100', 'sender', 'member');
  });

  it('100 files sent at once by a member all end done, with every reading', async () => {
    const sent = await Promise.all(Array.from({ length: 100 }, (_, i) => send(sender, 'burst100', `file-${i}.csv`, oneDay(`B${String(i).padStart(9, '0')}`, '2'))));
    const statuses = await Promise.all(sent.map((statusId) => finalStatus(statusId, 540_000)));
    expect(statuses.map((status) => status.status)).toEqual(Array(100).fill('done'));
    const [{ n, total }] = await query<{ n: string; total: string }>(
      `SELECT count(*) AS n, sum(r.value)::text AS total FROM readings r JOIN uploads u ON u.id = r.upload_id WHERE u.org_id = 'burst100'`,
    );
    expect({ n, total }).toEqual({ n: String(100 * 48), total: String(100 * 48 * 2) });
  });

  it('an upload whose event was dropped is found by the sweep and loaded', async () => {
    // The event is "dropped": the trigger sees an organisation that is not in the registry and
    // records nothing. Once the organisation is back, only the sweep can find the file.
    const org = await organisation('swept');
    await firestore.collection('organisations').doc(org).delete();
    const uploaded = await upload(oneDay('SWEPT00001', '3'), `uploads/${org}/cli/dropped.csv`);
    await new Promise((done) => setTimeout(done, 5_000));
    expect(await statusOf(uploaded.statusId)).toBeUndefined();
    await organisation(org);
    const status = await finalStatus(uploaded.statusId, 120_000);
    expect(status).toMatchObject({ status: 'done', readings: { total: 48, new: 48 } });
  });
});

describe('only a current member gets a file loaded', () => {
  it('a member removed after getting their token: their upload is refused (NOT_A_MEMBER), nothing loaded', async () => {
    const org = await organisation('removed');
    const [keeper, leaver] = await Promise.all([member(org, 'keeper', 'admin'), member(org, 'leaver', 'member')]);
    expect(keeper.uid).not.toBe(leaver.uid);
    await removeMember(admin, org, { uid: leaver.uid });
    // The token they hold still carries the claims (storage.rules would let it write for up to an hour).
    const statusId = await send(leaver, org, 'after-removal.csv', oneDay('REMOVED001', '1'));
    const status = await finalStatus(statusId);
    expect(status).toMatchObject({ status: 'failed', errors: { count: 1, items: [{ code: 'NOT_A_MEMBER' }] } });
    expect(status.errors.items[0].message).toMatch(new RegExp(`${leaver.uid} is not a member of ${org}`));
    expect(await query(`SELECT count(*)::int AS n FROM days d JOIN channels c ON c.id = d.channel_id WHERE c.nmi = 'REMOVED001'`)).toEqual([{ n: 0 }]);
  });
});
