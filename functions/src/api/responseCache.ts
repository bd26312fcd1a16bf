/**
 * Serialised API responses kept in the instance's memory, least recently used first out, bounded by
 * size. Keys carry the data version of what was read, so an entry is never wrong for its key: a
 * load moves the version, later requests ask for new keys, and the old entries age out.
 */
export class ResponseCache {
  private readonly entries = new Map<string, string>();
  private size = 0;

  /** `maxChars`: total length of the bodies kept (a body of over a quarter of that is not kept). */
  constructor(private readonly maxChars: number) {}

  get(key: string): string | undefined {
    const body = this.entries.get(key);
    if (body !== undefined) {
      // Map order is insertion order: re-inserting marks it most recently used.
      this.entries.delete(key);
      this.entries.set(key, body);
    }
    return body;
  }

  set(key: string, body: string): void {
    if (body.length > this.maxChars / 4) return;
    const previous = this.entries.get(key);
    if (previous !== undefined) this.size -= previous.length;
    this.entries.delete(key);
    this.entries.set(key, body);
    this.size += body.length;
    for (const [oldest, value] of this.entries) {
      if (this.size <= this.maxChars) break;
      this.entries.delete(oldest);
      this.size -= value.length;
    }
  }

  get stats(): { entries: number; chars: number } {
    return { entries: this.entries.size, chars: this.size };
  }
}
