import { describe, expect, it } from 'vitest';
import { ResponseCache } from '../../src/api/responseCache';

describe('the API response cache', () => {
  it('keeps bodies up to its size, dropping the least recently used first', () => {
    const cache = new ResponseCache(40);
    cache.set('a', 'x'.repeat(10));
    cache.set('b', 'y'.repeat(10));
    cache.set('c', 'z'.repeat(10));
    expect(cache.get('a')).toBe('x'.repeat(10)); // a is now the most recently used
    cache.set('d', 'w'.repeat(10));
    cache.set('e', 'v'.repeat(10)); // over 40: b (least recently used) goes
    expect(cache.get('b')).toBeUndefined();
    expect(['a', 'c', 'd', 'e'].map((key) => cache.get(key)?.length)).toEqual([10, 10, 10, 10]);
    expect(cache.stats).toEqual({ entries: 4, chars: 40 });
  });

  it('does not keep a body of over a quarter of its size, and a cache of size 0 keeps nothing', () => {
    const cache = new ResponseCache(40);
    cache.set('big', 'x'.repeat(11));
    expect(cache.get('big')).toBeUndefined();
    const off = new ResponseCache(0);
    off.set('a', 'x');
    expect(off.get('a')).toBeUndefined();
  });
});
