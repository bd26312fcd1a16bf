import type { PoolClient } from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TRANSITIONS, type Transition } from '../../src/lifecycle';
import { claimRow, completeRow, failRow, loadedRow, publishRow, releaseRow, splitRows } from '../../src/lifecycle/rows';
import { createStaging } from '../../src/load/pipelineUploads';
import { UPLOAD_STATES, type UploadState } from '../../src/status/statusDocument';
import { freshDatabase, type TestDatabase } from './testDatabase';

// Every transition of the lifecycle's table from every state, on the row (PostgreSQL): it moves
// exactly from the states the table lists, to the state it names, and never out of done or failed.
// The expectations are the table itself, written out here once more, so that a guard that drifts
// from it fails.
const EXPECTED_FROM: Record<Exclude<Transition, 'create' | 'begin' | 'resume'>, UploadState[]> = {
  claim: ['pending', 'splitting'],
  release: ['splitting'],
  reject: ['splitting'],
  split: ['splitting'],
  publish: ['loading'],
  complete: ['publishing'],
  fail: ['pending', 'splitting', 'loading', 'publishing'],
  loaded: ['loading'],
};

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(() => db.drop());
beforeEach(async () => {
  await db.query('TRUNCATE uploads, upload_chunks RESTART IDENTITY CASCADE');
});

const SOURCE = 'gs://b/uploads/acme/u/f.csv#1';

/**
 * A row in `state`, with what the guards look at set so that only the state decides (a split long
 * ago, its chunks staged; for complete, published with its SQL file in).
 */
async function rowIn(state: UploadState, published = false): Promise<number> {
  const [{ id }] = await db.query<{ id: string }>(
    `INSERT INTO uploads (org_id, source_key, status_id, file_name, bytes, status, started_at, chunks, published_at, sql_path)
     VALUES ('acme', $1, $2, 'f.csv', 10, $3, now() - interval '1 hour', 0, $4, $5) RETURNING id`,
    [SOURCE, 'a'.repeat(32), state, published ? new Date() : null, published ? 'f.flo.sql.gz' : null],
  );
  return Number(id);
}

const statusOf = async (id: number) => (await db.query<{ status: string }>('SELECT status FROM uploads WHERE id = $1', [id]))[0].status;

/** Applies the transition's row function; whether the row's state changed (or, for the re-entrant claim, the claim was given). */
async function apply(transition: keyof typeof EXPECTED_FROM, id: number): Promise<boolean> {
  const before = await statusOf(id);
  switch (transition) {
    case 'claim':
      return (await claimRow(db.pool, { org: 'acme', sourceKey: SOURCE, statusId: 'a'.repeat(32), fileName: 'f.csv', owner: null, bytes: 10 })) === id;
    case 'release':
      return releaseRow(db.pool, id);
    case 'reject':
    case 'fail':
      return failRow(db.pool, id, transition, { errors: 1, warnings: 0, issues: {} });
    case 'split':
      await createStaging(db.pool, id);
      return splitRows(db.pool, id, { chunks: [], sqlPartChunks: 8, dataObject: 'gs://b/f#1', readings: 0, warnings: 0, issues: {}, summary: {} });
    case 'publish':
      return publishRow(db.pool, id);
    case 'complete':
      await completeRow(db.pool, id);
      return before !== (await statusOf(id));
    case 'loaded':
      await withClient((client) => loadedRow(client, id, { readings: 0, new: 0, updated: 0, unchanged: 0, warnings: 0, issues: {}, summary: {} }));
      return before !== (await statusOf(id));
  }
}

async function withClient<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await db.pool.connect();
  try {
    return await work(client);
  } finally {
    client.release();
  }
}

describe('the lifecycle on the row: every transition from every state', () => {
  const cases = (Object.keys(EXPECTED_FROM) as (keyof typeof EXPECTED_FROM)[]).flatMap((transition) => UPLOAD_STATES.map((state) => [transition, state] as const));

  it('the table is the one written out here; resume moves only the document (the row is loading already)', () => {
    for (const [transition, from] of Object.entries(EXPECTED_FROM)) expect([...TRANSITIONS[transition as Transition].from].sort()).toEqual([...from].sort());
    expect(TRANSITIONS.resume).toEqual({ from: ['splitting', 'loading'], to: 'loading' });
  });

  it.each(cases)('%s from %s', async (transition, state) => {
    const id = await rowIn(state, transition === 'complete');
    const allowed = EXPECTED_FROM[transition].includes(state);
    expect(await apply(transition, id)).toBe(allowed);
    expect(await statusOf(id)).toBe(allowed ? TRANSITIONS[transition].to : state);
  });

  it('a failed row is not failed again: its issues stay', async () => {
    const id = await rowIn('loading');
    expect(await failRow(db.pool, id, 'fail', { errors: 1, warnings: 0, issues: { first: true } })).toBe(true);
    expect(await failRow(db.pool, id, 'fail', { errors: 2, warnings: 0, issues: { second: true } })).toBe(false);
    expect(await db.query('SELECT errors, issues FROM uploads WHERE id = $1', [id])).toEqual([{ errors: 1, issues: { first: true } }]);
  });

  it('publish waits for every chunk of the ledger', async () => {
    const id = await rowIn('loading');
    await db.query(`UPDATE uploads SET chunks = 2 WHERE id = $1`, [id]);
    await db.query(`INSERT INTO upload_chunks (upload_id, chunk, task, sql_part, staged_at) VALUES ($1, 0, '{}', 0, now()), ($1, 1, '{}', 0, NULL)`, [id]);
    expect(await publishRow(db.pool, id)).toBe(false);
    await db.query(`UPDATE upload_chunks SET staged_at = now() WHERE upload_id = $1`, [id]);
    expect(await publishRow(db.pool, id)).toBe(true);
  });
});
