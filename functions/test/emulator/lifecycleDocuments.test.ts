import { afterAll, describe, expect, it } from 'vitest';
import { TRANSITIONS, type Transition } from '../../src/lifecycle';
import { advanceDocument, createDocument, statusRef } from '../../src/lifecycle/documents';
import { UPLOAD_STATES, type UploadState } from '../../src/status/statusDocument';
import { db, firestore } from './harness';

// Every transition of the lifecycle's table from every state, on the status document (the
// Firestore emulator): it moves exactly from the states listed here, and never out of done or
// failed. The table is written out again here, so that a drift fails.
const EXPECTED_FROM: Record<Exclude<Transition, 'create' | 'begin' | 'loaded'>, UploadState[]> = {
  claim: ['pending', 'splitting'],
  release: ['splitting'],
  reject: ['splitting'],
  split: ['splitting'],
  resume: ['splitting', 'loading'],
  publish: ['loading'],
  complete: ['publishing'],
  fail: ['pending', 'splitting', 'loading', 'publishing'],
};

afterAll(() => db.end());
let next = 0;
const fields = { fileName: 'f.csv', path: 'uploads/e2e/u/f.csv', bucket: 'b', generation: '1', org: 'e2e', owner: 'u', bytes: 1 };

async function documentIn(state: UploadState): Promise<string> {
  const statusId = `lifecycle${String(++next).padStart(23, '0')}`;
  expect(await createDocument(firestore, statusId, fields)).toBe(true);
  await statusRef(firestore, statusId).update({ status: state });
  return statusId;
}

const statusOf = async (statusId: string) => (await statusRef(firestore, statusId).get()).data()?.status;

describe('the lifecycle on the status document: every transition from every state', () => {
  const cases = (Object.keys(EXPECTED_FROM) as (keyof typeof EXPECTED_FROM)[]).flatMap((transition) => UPLOAD_STATES.map((state) => [transition, state] as const));

  it.each(cases)('%s from %s', async (transition, state) => {
    expect([...TRANSITIONS[transition].from].sort()).toEqual([...EXPECTED_FROM[transition]].sort());
    const statusId = await documentIn(state);
    const allowed = EXPECTED_FROM[transition].includes(state);
    expect(await advanceDocument(firestore, statusId, transition)).toBe(allowed);
    expect(await statusOf(statusId)).toBe(allowed ? TRANSITIONS[transition].to : state);
  });

  it('create makes a pending document once; a second create changes nothing', async () => {
    const statusId = await documentIn('loading');
    expect(await createDocument(firestore, statusId, fields)).toBe(false);
    expect(await statusOf(statusId)).toBe('loading');
  });
});
