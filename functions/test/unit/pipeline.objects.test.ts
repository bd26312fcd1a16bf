import { describe, expect, it } from 'vitest';
import { admit, floSqlPathOf, ownerOf, taskIdOf, uploadIdOf } from '../../src/pipeline/objects';

const object = (name: string, extra: Partial<{ size: number; metadata: Record<string, string> }> = {}) => ({
  bucket: 'demo-nem12.appspot.com',
  name,
  generation: '1700000000000000',
  size: 100,
  ...extra,
});

describe('which objects the pipeline loads', () => {
  it('loads files under uploads/, owned by the folder they are in', () => {
    expect(admit(object('uploads/alice/meter.csv'))).toEqual({ accept: true, owner: 'alice' });
    expect(admit(object('uploads/alice/sub/dir/meter.zip'))).toEqual({ accept: true, owner: 'alice' });
    expect(admit(object('uploads/meter.csv', { metadata: { owner: 'bob' } }))).toEqual({ accept: true, owner: 'bob' });
    expect(admit(object('uploads/meter.csv'))).toEqual({ accept: true, owner: null });
  });

  it('skips, and says why: other areas, folders, empty objects, its own outputs', () => {
    expect(admit(object('tmp/abc/data.nem12'))).toEqual({ accept: false, reason: 'outside uploads/' });
    expect(admit(object('other/meter.csv'))).toEqual({ accept: false, reason: 'outside uploads/' });
    expect(admit(object('uploads/alice/'))).toEqual({ accept: false, reason: 'folder placeholder' });
    expect(admit(object('uploads/alice/meter.csv', { size: 0 }))).toEqual({ accept: false, reason: 'empty object' });
    expect(admit(object(`uploads/alice/${floSqlPathOf('meter.csv', 'a'.repeat(32))}`))).toMatchObject({ accept: false, reason: 'output of the pipeline' });
    expect(admit(object('uploads/alice/x.csv', { metadata: { nem12Output: 'flo-sql' } }))).toMatchObject({ accept: false });
  });

  it('gives each delivery a stable id: same object version, same id; new generation, new id', () => {
    const a = uploadIdOf(object('uploads/alice/meter.csv'));
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(uploadIdOf(object('uploads/alice/meter.csv'))).toBe(a);
    expect(uploadIdOf({ ...object('uploads/alice/meter.csv'), generation: '1700000000000001' })).not.toBe(a);
    expect(uploadIdOf({ ...object('uploads/alice/meter.csv'), bucket: 'other' })).not.toBe(a);
  });

  it('derives task ids the task queue accepts', () => {
    const id = uploadIdOf(object('uploads/alice/meter data (1).csv'));
    for (const task of [taskIdOf(id, 'chunk', 12), taskIdOf(id, 'sql'), taskIdOf(id, 'finish')]) expect(task).toMatch(/^[A-Za-z0-9_-]{1,500}$/);
    expect(ownerOf({ name: 'uploads/u1/f.csv' })).toBe('u1');
  });
});
