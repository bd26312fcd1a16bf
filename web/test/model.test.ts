import { describe, expect, it } from 'vitest';
import { statusChanges, statusMapOf } from '../src/uploads/announce';
import { toDate, uploadFromData } from '../src/uploads/model';
import { makeUpload } from './uploads.fixtures';

/** Stands in for a Firestore Timestamp: anything with toDate(). */
const timestamp = (iso: string) => ({ toDate: () => new Date(iso) });

describe('uploadFromData', () => {
  it('turns a status document into the page model, Timestamps into Dates', () => {
    const upload = uploadFromData('abc', {
      status: 'loading',
      fileName: 'x.csv',
      path: 'uploads/acme/u/x.csv',
      org: 'acme',
      owner: 'u',
      bytes: 10,
      chunks: { total: 4, done: 1 },
      readings: { total: 96, loaded: 24, new: 0, updated: 0, unchanged: 0 },
      warnings: { count: 3, items: [{ code: 'BLANK_LINE', line: 7, message: 'blank' }] },
      errors: { count: 0, items: [] },
      summary: null,
      sqlPath: null,
      createdAt: timestamp('2024-05-01T02:00:00Z'),
      updatedAt: timestamp('2024-05-01T02:00:05Z'),
      loadingAt: timestamp('2024-05-01T02:00:01Z'),
    });
    expect(upload.id).toBe('abc');
    expect(upload.status).toBe('loading');
    expect(upload.createdAt).toEqual(new Date('2024-05-01T02:00:00Z'));
    expect(upload.loadingAt).toEqual(new Date('2024-05-01T02:00:01Z'));
    expect(upload.finishedAt).toBeNull();
    // A document written before counts by code were kept: counted from its items.
    expect(upload.warnings).toEqual({ count: 3, items: [{ code: 'BLANK_LINE', line: 7, message: 'blank' }], byCode: { BLANK_LINE: 1 } });
    expect(uploadFromData('y', { warnings: { count: 3, items: [], byCode: { BLANK_LINE: 3, X: 'bad' } } }).warnings.byCode).toEqual({ BLANK_LINE: 3, X: 0 });
    expect(upload.sqlError).toBeNull();
  });

  it('survives a half-written document', () => {
    const upload = uploadFromData('abc', { path: 'uploads/u/y.csv', status: 'weird' });
    expect(upload.fileName).toBe('y.csv');
    expect(upload.status).toBe('pending');
    expect(upload.readings.total).toBe(0);
    expect(upload.errors).toEqual({ count: 0, items: [], byCode: {} });
    expect(upload.createdAt).toBeNull();
  });

  it('reads dates and nothing else as dates', () => {
    const date = new Date(0);
    expect(toDate(date)).toBe(date);
    expect(toDate('2024-01-01')).toBeNull();
    expect(toDate(null)).toBeNull();
  });
});

describe('statusChanges', () => {
  it('announces uploads already seen whose status moved, not new ones', () => {
    const before = statusMapOf([makeUpload({ id: 'a', fileName: 'a.csv', status: 'loading' }), makeUpload({ id: 'b', status: 'pending' })]);
    const now = [
      makeUpload({ id: 'c', fileName: 'c.csv', status: 'pending' }),
      makeUpload({ id: 'a', fileName: 'a.csv', status: 'done' }),
      makeUpload({ id: 'b', status: 'pending' }),
    ];
    expect(statusChanges(before, now)).toBe('a.csv is now done.');
  });
});
