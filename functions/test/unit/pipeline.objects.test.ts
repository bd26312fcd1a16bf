import { describe, expect, it } from 'vitest';
import { admit, floSqlPathOf, taskIdOf, statusIdOf } from '../../src/pipeline/objects';

const object = (name: string, extra: Partial<{ size: number; metadata: Record<string, string> }> = {}) => ({
  bucket: 'demo-nem12.appspot.com',
  name,
  generation: '1700000000000000',
  size: 100,
  ...extra,
});

describe('which objects the pipeline loads', () => {
  it('loads files under uploads/{org}/{uid}/, the organisation taken from the path alone', () => {
    expect(admit(object('uploads/acme/alice/meter.csv'))).toEqual({ accept: true, org: 'acme', uploader: 'alice' });
    expect(admit(object('uploads/acme/alice/sub/dir/meter.zip'))).toEqual({ accept: true, org: 'acme', uploader: 'alice' });
    // Metadata naming another organisation or owner changes nothing.
    expect(admit(object('uploads/acme/alice/meter.csv', { metadata: { owner: 'bob', org: 'globex' } }))).toEqual({ accept: true, org: 'acme', uploader: 'alice' });
  });

  it('refuses objects that do not name an organisation and a user, whatever their metadata says', () => {
    expect(admit(object('uploads/meter.csv', { metadata: { owner: 'bob', org: 'acme' } }))).toEqual({ accept: false, reason: 'not under uploads/{organisation}/{user}/' });
    expect(admit(object('uploads/acme/meter.csv'))).toMatchObject({ accept: false });
    expect(admit(object('uploads/acme//meter.csv'))).toMatchObject({ accept: false });
    expect(admit(object('uploads/../alice/meter.csv'))).toMatchObject({ accept: false, reason: 'the folder after uploads/ is not an organisation id' });
  });

  it('skips, and says why: other areas (its own outputs and temporary objects among them), folders, empty objects', () => {
    expect(admit(object('tmp/abc/data.nem12'))).toEqual({ accept: false, reason: 'outside uploads/' });
    const output = floSqlPathOf('uploads/acme/alice/meter.csv', 'a'.repeat(32));
    expect(output).toBe('outputs/acme/alice/meter.csv.aaaaaaaa.flo.sql.gz');
    expect(admit(object(output))).toEqual({ accept: false, reason: 'outside uploads/' });
    expect(admit(object('other/meter.csv'))).toEqual({ accept: false, reason: 'outside uploads/' });
    expect(admit(object('uploads/acme/alice/'))).toEqual({ accept: false, reason: 'folder placeholder' });
    expect(admit(object('uploads/acme/alice/meter.csv', { size: 0 }))).toEqual({ accept: false, reason: 'empty object' });
  });

  it("loads whatever a client puts under uploads/, whatever its name or metadata claim (an output's name, the output marker)", () => {
    expect(admit(object('uploads/acme/alice/x.csv.aaaaaaaa.flo.sql.gz'))).toEqual({ accept: true, org: 'acme', uploader: 'alice' });
    expect(admit(object('uploads/acme/alice/x.csv', { metadata: { nem12Output: 'flo-sql' } }))).toEqual({ accept: true, org: 'acme', uploader: 'alice' });
  });

  it('gives each delivery a stable id: same object version, same id; new generation, new id', () => {
    const a = statusIdOf(object('uploads/alice/meter.csv'));
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(statusIdOf(object('uploads/alice/meter.csv'))).toBe(a);
    expect(statusIdOf({ ...object('uploads/alice/meter.csv'), generation: '1700000000000001' })).not.toBe(a);
    expect(statusIdOf({ ...object('uploads/alice/meter.csv'), bucket: 'other' })).not.toBe(a);
  });

  it('derives task ids the task queue accepts', () => {
    const id = statusIdOf(object('uploads/alice/meter data (1).csv'));
    for (const task of [taskIdOf(id, 'chunk', 12), taskIdOf(id, 'sql'), taskIdOf(id, 'publish')]) expect(task).toMatch(/^[A-Za-z0-9_-]{1,500}$/);
  });
});
