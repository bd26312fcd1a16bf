import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/load/migrate';
import { freshDatabase, migrateBefore, type TestDatabase } from './testDatabase';

// Migration 0007: chunk tasks in the ledger take the ids' new names (statusId, uploadId).
let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase({ migrate: false });
  await migrateBefore(db, '0007');
});
afterAll(() => db.drop());

describe('migration 0007: task ids', () => {
  it('renames uploadId (the status id) and dbId (the row id) in ledger tasks, and touches nothing else', async () => {
    const [{ id }] = await db.query<{ id: string }>(
      `INSERT INTO uploads (org_id, source_key, status_id, file_name, status) VALUES ('local', 'gs://b/o#1', $1, 'f.csv', 'loading') RETURNING id`,
      ['ab'.repeat(16)],
    );
    const old = { uploadId: 'ab'.repeat(16), dbId: Number(id), chunk: 0, start: 0, end: 10 };
    const renamed = { statusId: 'ab'.repeat(16), uploadId: Number(id), chunk: 1, start: 10, end: 20 };
    await db.query('INSERT INTO upload_chunks (upload_id, chunk, task) VALUES ($1, 0, $2), ($1, 1, $3)', [id, JSON.stringify(old), JSON.stringify(renamed)]);
    expect((await migrate(db.pool))[0]).toBe('0007_task_ids');
    const tasks = await db.query<{ task: Record<string, unknown> }>('SELECT task FROM upload_chunks ORDER BY chunk');
    expect(tasks.map((row) => row.task)).toEqual([{ statusId: 'ab'.repeat(16), uploadId: Number(id), chunk: 0, start: 0, end: 10 }, renamed]);
  });
});
