import type { Upload } from '../src/uploads/model';

/** A status document as the page sees it; tests override what they are about. */
export function makeUpload(patch: Partial<Upload> = {}): Upload {
  return {
    id: 'u1',
    status: 'pending',
    fileName: 'meter.csv',
    path: 'uploads/user-1/meter.csv',
    bucket: 'demo-nem12.appspot.com',
    generation: '1714528800000000',
    org: 'acme',
    owner: 'user-1',
    bytes: 2048,
    chunks: { total: 0, done: 0 },
    readings: { total: 0, loaded: 0, new: 0, updated: 0, unchanged: 0 },
    warnings: { count: 0, items: [], byCode: {} },
    errors: { count: 0, items: [], byCode: {} },
    summary: null,
    sqlPath: null,
    sqlError: null,
    createdAt: new Date('2024-05-01T02:00:00Z'),
    updatedAt: new Date('2024-05-01T02:00:00Z'),
    loadingAt: null,
    finishedAt: null,
    ...patch,
  };
}
