import { LRUCache } from 'lru-cache';

/**
 * Serialised API responses kept in the instance's memory, least recently used first out, bounded by
 * size (lru-cache). Keys carry the data version of what was read, so an entry is never wrong for its
 * key: a publish moves the version, later requests ask for new keys, and the old entries age out.
 */
export class ResponseCache {
  private readonly entries: LRUCache<string, string> | null;

  /** `maxChars`: total length of the bodies kept (a body of over a quarter of that is not kept); 0 keeps none. */
  constructor(maxChars: number) {
    this.entries = maxChars > 0 ? new LRUCache<string, string>({ maxSize: maxChars, maxEntrySize: maxChars / 4, sizeCalculation: (body) => Math.max(body.length, 1) }) : null;
  }

  get(key: string): string | undefined {
    return this.entries?.get(key);
  }

  set(key: string, body: string): void {
    this.entries?.set(key, body);
  }

  get stats(): { entries: number; chars: number } {
    return { entries: this.entries?.size ?? 0, chars: this.entries?.calculatedSize ?? 0 };
  }
}
