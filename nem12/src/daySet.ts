/**
 * A set of day numbers. While the days form one run without gaps (a daily file's one day, a history
 * file's days in order: the usual cases) it is just that run, so a file of 100,000 streams holds
 * 100,000 small objects; otherwise a sparse bitmap: pages of 256 days, created only where days are.
 * A year of days costs two pages, and the gaps between the first and the last day are found page by
 * page, so a stream dated both 1900 and 9999 costs no more than two days.
 */
const PAGE_DAYS = 256;
const WORDS = PAGE_DAYS / 32;
const FULL = 0xffffffff;
/** Shared (and never written) by every set still in its run: 100,000 streams make no arrays for it. */
const NO_KEYS: number[] = [];
const NO_BITS: Uint32Array[] = [];

export class DaySet {
  size = 0;
  min = Infinity;
  max = -Infinity;
  /** True while the days are exactly min..max: no pages yet. */
  private run = true;
  /** Page numbers in ascending order, and their bits (made when the run ends). */
  private keys: number[] = NO_KEYS;
  private pages: Uint32Array[] = NO_BITS;
  /** Index of the page used last: days mostly come in order. */
  private last = -1;

  /** Adds a day; returns false when it was already there. */
  add(day: number): boolean {
    if (this.run) {
      if (this.size === 0) {
        this.min = this.max = day;
        this.size = 1;
        return true;
      }
      if (day >= this.min && day <= this.max) return false;
      if (day === this.max + 1) {
        this.max = day;
        this.size++;
        return true;
      }
      if (day === this.min - 1) {
        this.min = day;
        this.size++;
        return true;
      }
      this.toPages();
    }
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
    if (this.run) return day >= this.min && day <= this.max;
    const key = Math.floor(day / PAGE_DAYS);
    const bits = this.page(key, false);
    const at = day - key * PAGE_DAYS;
    return bits !== null && (bits[at >>> 5] & (1 << (at & 31))) !== 0;
  }

  /** Ranges of days missing between the first and the last day present, in order. */
  *gaps(): Generator<[from: number, to: number]> {
    if (this.run) return;
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

  /** The run as bits, once a day falls outside it. */
  private toPages(): void {
    this.run = false;
    this.keys = [];
    this.pages = [];
    const { min, max } = this;
    this.size = 0;
    this.min = Infinity;
    this.max = -Infinity;
    for (let day = min; day <= max; day++) this.add(day);
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

/**
 * The days seen of each data stream (NMI + suffix) across all its 200 blocks, to find days repeated
 * in a file. A stream's one day is kept as a number (a daily file's 100,000 streams make no set),
 * more as a DaySet.
 */
export class StreamDays {
  private readonly seen = new Map<string, number | DaySet>();
  private key = '';
  private days: DaySet | null = null;

  /** The stream whose days come next. */
  open(nmi: string, suffix: string): void {
    this.key = `${nmi},${suffix}`;
    const seen = this.seen.get(this.key);
    this.days = typeof seen === 'object' ? seen : null;
  }

  /** Records a day of the open stream; false when it was seen before. */
  add(day: number): boolean {
    if (this.days !== null) return this.days.add(day);
    const seen = this.seen.get(this.key);
    if (seen === undefined) {
      this.seen.set(this.key, day);
      return true;
    }
    if (seen === day) return false;
    this.days = new DaySet();
    this.days.add(seen as number);
    this.days.add(day);
    this.seen.set(this.key, this.days);
    return true;
  }
}
