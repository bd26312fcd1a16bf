import { describe, expect, it } from 'vitest';
import { routeOf } from '../src/route';

describe('routeOf', () => {
  it('finds the explorer, completeness and members by hash and defaults to the uploads', () => {
    expect(routeOf('#/explorer')).toBe('explorer');
    expect(routeOf('#explorer')).toBe('explorer');
    expect(routeOf('#/explorer/NMI123')).toBe('explorer');
    expect(routeOf('')).toBe('uploads');
    expect(routeOf('#/')).toBe('uploads');
    expect(routeOf('#/explorers')).toBe('uploads');
    expect(routeOf('#/completeness')).toBe('completeness');
    expect(routeOf('#/completeness?from=2024-03-01&to=2024-03-28&status=partial')).toBe('completeness');
    expect(routeOf('#/members')).toBe('members');
  });
});
