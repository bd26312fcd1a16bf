/**
 * A set of day numbers as a sparse bitmap: pages of 256 days, created only where days are. A year
 * of days costs two pages, and the gaps between the first and the last day are found page by page,
 * so a stream dated both 1900 and 9999 costs no more than two days.
 */
const PAGE_DAYS = 256;
const WORDS = PAGE_DAYS / 32;
const FULL = 0xffffffff;

export class DaySet {
  size = 0;
  min = Infinity;
  max = -Infinity;
  /** Page numbers in ascending order, and their bits. */
  private readonly keys: number[] = [];
  private readonly pages: Uint32Array[] = [];
  /** Index of the page used last: days mostly come in order. */
  private last = -1;

  /** Adds a day; returns false when it was already there. */
  add(day: number): boolean {
    const key = Math.floor(day / PAGE_DAYS);
    const bits = this.page(key, true)!;
    const at = day - key * PAGE_DAYS;
    const mask = 1 << (at & 31);
    if ((bits[at >>> 5] & mask) !== 0) return false;
    bits[at >>> 5] |= mask;
    this.size++;
    if (day < this.min) this.min = day;
    if (day > this.max) this.max = day;
    return true;
  }

  has(day: number): boolean {
    const key = Math.floor(day / PAGE_DAYS);
    const bits = this.page(key, false);
    const at = day - key * PAGE_DAYS;
    return bits !== null && (bits[at >>> 5] & (1 << (at & 31))) !== 0;
  }

  /** Ranges of days missing between the first and the last day present, in order. */
  *gaps(): Generator<[from: number, to: number]> {
    let previous = -Infinity; // the last day present so far
    for (let p = 0; p < this.keys.length; p++) {
      const base = this.keys[p] * PAGE_DAYS;
      const bits = this.pages[p];
      for (let w = 0; w < WORDS; w++) {
        const word = bits[w];
        if (word === 0) continue;
        const first = base + w * 32;
        if (word === FULL) {
          if (previous !== -Infinity && first > previous + 1) yield [previous + 1, first - 1];
          previous = first + 31;
          continue;
        }
        for (let b = 0; b < 32; b++) {
          if ((word & (1 << b)) === 0) continue;
          const day = first + b;
          if (previous !== -Infinity && day > previous + 1) yield [previous + 1, day - 1];
          previous = day;
        }
      }
    }
  }

  /** Days missing between the first and the last day present. */
  get missing(): number {
    return this.size === 0 ? 0 : this.max - this.min + 1 - this.size;
  }

  private page(key: number, create: boolean): Uint32Array | null {
    if (this.last >= 0 && this.keys[this.last] === key) return this.pages[this.last];
    let low = 0;
    let high = this.keys.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.keys[mid] < key) low = mid + 1;
      else high = mid;
    }
    if (low < this.keys.length && this.keys[low] === key) {
      this.last = low;
      return this.pages[low];
    }
    if (!create) return null;
    this.keys.splice(low, 0, key);
    this.pages.splice(low, 0, new Uint32Array(WORDS));
    this.last = low;
    return this.pages[low];
  }
}
