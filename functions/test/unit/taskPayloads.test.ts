import { describe, expect, it } from 'vitest';
import { chunkTask, publishTask, sqlTask } from '../../src/pipeline/taskPayloads';

const statusId = 'ab'.repeat(16);
const object = { bucket: 'b', name: 'uploads/acme/u/f.csv', generation: '17' };
const chunk = { chunk: 0, data: object, start: 0, end: 100, firstLine: 1, channel: null };

describe('task payloads: one name per id', () => {
  it('carry the status id and the row id under their own names', () => {
    expect(chunkTask.parse({ statusId, uploadId: 7, ...chunk })).toMatchObject({ statusId, uploadId: 7 });
    // The two cannot be swapped: a row id is a number, a status id 32 hex digits.
    expect(() => chunkTask.parse({ statusId: 7, uploadId: statusId, ...chunk })).toThrow();
  });

  it('read tasks queued before the rename (uploadId = status id, dbId = row id) in the new names', () => {
    expect(chunkTask.parse({ uploadId: statusId, dbId: 7, ...chunk })).toEqual({ statusId, uploadId: 7, ...chunk });
    // A whole-file task of an earlier release also carried its data object: read, and dropped (the parts read the ledger).
    expect(sqlTask.parse({ uploadId: statusId, dbId: 7, data: object, upload: object })).toEqual({ statusId, uploadId: 7, upload: object });
    expect(publishTask.parse({ uploadId: statusId, dbId: 7, bucket: 'b' })).toEqual({ statusId, uploadId: 7, bucket: 'b' });
  });
});
