/**
 * A set of day numbers as a growable bitmap: a year of days costs 46 bytes, so duplicate detection
 * and day counts stay small however large the file.
 */
export class DaySet {
  private first = 0;
  private bits = new Uint8Array(0);
  size = 0;
  min = Infinity;
  max = -Infinity;

  /** Adds a day; returns false when it was already there. */
  add(day: number): boolean {
    if (this.bits.length === 0) this.first = day - (day & 7) - 64;
    if (day < this.first) this.grow(day, this.first + this.bits.length * 8);
    else if (day >= this.first + this.bits.length * 8) this.grow(this.first, day + 1);
    const at = day - this.first;
    const mask = 1 << (at & 7);
    if (this.bits[at >> 3] & mask) return false;
    this.bits[at >> 3] |= mask;
    this.size++;
    if (day < this.min) this.min = day;
    if (day > this.max) this.max = day;
    return true;
  }

  has(day: number): boolean {
    const at = day - this.first;
    return at >= 0 && at < this.bits.length * 8 && (this.bits[at >> 3] & (1 << (at & 7))) !== 0;
  }

  /** Ranges of days missing between the first and the last day present, in order. */
  *gaps(): Generator<[from: number, to: number]> {
    let start = -1;
    for (let day = this.min; day <= this.max; day++) {
      if (!this.has(day)) {
        if (start < 0) start = day;
      } else if (start >= 0) {
        yield [start, day - 1];
        start = -1;
      }
    }
  }

  private grow(from: number, to: number): void {
    // Whole bytes, with slack on both sides so a run of adds does not reallocate each time.
    const newFirst = Math.min(this.first, from - (((from % 8) + 8) % 8) - 512);
    const newEnd = Math.max(this.first + this.bits.length * 8, to + 512);
    const bits = new Uint8Array(Math.ceil((newEnd - newFirst) / 8));
    bits.set(this.bits, (this.first - newFirst) >> 3);
    this.first = newFirst;
    this.bits = bits;
  }
}
