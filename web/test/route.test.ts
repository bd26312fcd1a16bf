import { describe, expect, it } from 'vitest';
import { routeOf } from '../src/route';

describe('routeOf', () => {
  it('finds the explorer by hash and defaults to the uploads', () => {
    expect(routeOf('#/explorer')).toBe('explorer');
    expect(routeOf('#explorer')).toBe('explorer');
    expect(routeOf('#/explorer/NMI123')).toBe('explorer');
    expect(routeOf('')).toBe('uploads');
    expect(routeOf('#/')).toBe('uploads');
    expect(routeOf('#/explorers')).toBe('uploads');
  });
});
