/**
 * Sets of an organisation's streams as bitmaps of their ordinals (channels.ordinal: 0, 1, 2 ... in
 * the order the streams were first published), stored a page of 8,192 ordinals (1 KiB) per row of
 * org_day_streams: bit (ordinal % 8192) of byte (ordinal % 8192) / 8, least significant bit first.
 * Pure.
 */
export const PAGE_BITS = 8192;
export const PAGE_BYTES = PAGE_BITS / 8;

export function pageOf(ordinal: number): number {
  return Math.floor(ordinal / PAGE_BITS);
}

/**
 * A whole day's set, as 32-bit words (word k: ordinals 32k .. 32k + 31, least significant first),
 * for the sweep to take 32 streams at a time; `streams` ordinals.
 */
export function bitmapWords(streams: number): Uint32Array {
  return new Uint32Array(Math.ceil(streams / 32));
}

/** Little-endian words read bytes in order: bit b of byte k is bit 8k + b of the words. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Sets (or clears) an ordinal's bit in its page. */
export function setPageBit(page: Uint8Array, ordinal: number, on: boolean): void {
  const at = (ordinal % PAGE_BITS) >> 3;
  const bit = 1 << (ordinal & 7);
  page[at] = on ? page[at] | bit : page[at] & ~bit;
}

export function isEmpty(page: Uint8Array): boolean {
  for (const byte of page) if (byte !== 0) return false;
  return true;
}

/** Copies a stored page (1 KiB, or shorter) into a day's words, at its place. */
export function placePage(words: Uint32Array, page: number, bytes: Uint8Array): void {
  const at = (page * PAGE_BYTES) / 4;
  if (at >= words.length) return;
  const length = Math.min(bytes.length, PAGE_BYTES);
  let pageWords: Uint32Array;
  if (LITTLE_ENDIAN && length % 4 === 0 && bytes.byteOffset % 4 === 0) {
    // The stored bytes read as words in place: no copy but the one into the day (90 days of 100,000 streams are 1,170 pages a request).
    pageWords = new Uint32Array(bytes.buffer, bytes.byteOffset, length / 4);
  } else {
    const padded = new Uint8Array(Math.ceil(length / 4) * 4);
    padded.set(bytes.subarray(0, PAGE_BYTES));
    if (!LITTLE_ENDIAN) for (let i = 0; i < padded.length; i += 4) padded.subarray(i, i + 4).reverse();
    pageWords = new Uint32Array(padded.buffer);
  }
  words.set(pageWords.subarray(0, Math.min(pageWords.length, words.length - at)), at);
}
