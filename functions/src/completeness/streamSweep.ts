/**
 * Which streams are missing which days, from the organisation's daily bitmaps of streams received
 * (streamBitmaps.ts): one pass over every stream and day of a range, in memory. Pure.
 *
 * A stream is expected on a day when it was received that day or on any of the WINDOW_DAYS days
 * before it (a stream that stops arriving is missing for 35 days, then presumed gone; one never
 * received before a day is not expected on it), or when the register says the organisation is
 * responsible for it that day. Expected and not received is missing.
 */
export const WINDOW_DAYS = 35;

/** A register period of a stream: its ordinal (at or past `streams`: never received), first and last day numbers (±Infinity: open). */
export interface RegisterPeriod {
  ordinal: number;
  from: number;
  to: number;
}

export interface SweepInput {
  /** The range, as NEM day numbers (nem12's dayNumber), inclusive. */
  from: number;
  to: number;
  /** Ordinals 0 .. streams - 1 are the organisation's published streams. */
  streams: number;
  /** Per day number from `from - WINDOW_DAYS` to `to`: the streams received (absent: none), as words (streamBitmaps.ts). */
  received: ReadonlyMap<number, Uint32Array>;
  /** Per day number of the range: the streams received with empty intervals, and with estimated or substituted readings. */
  partial: ReadonlyMap<number, Uint32Array>;
  flagged: ReadonlyMap<number, Uint32Array>;
  register: readonly RegisterPeriod[];
}

export interface StreamSweep {
  from: number;
  to: number;
  /** Streams missing, per day of the range. */
  missingPerDay: Int32Array;
  /** Per ordinal (register streams never received included): days missing, with empty intervals, with estimates. */
  missingDays: Int32Array;
  partialDays: Int32Array;
  flaggedDays: Int32Array;
  /** Per ordinal with missing days: its runs of them, as flat [first, last] day-number pairs. */
  missingRuns: Map<number, number[]>;
}

export function sweepStreams(input: SweepInput): StreamSweep {
  const { from, to, streams } = input;
  const start = from - WINDOW_DAYS;
  const span = to - start + 1;
  const ordinals = input.register.reduce((most, period) => Math.max(most, period.ordinal + 1), streams);
  const sweep: StreamSweep = {
    from,
    to,
    missingPerDay: new Int32Array(to - from + 1),
    missingDays: new Int32Array(ordinals),
    partialDays: new Int32Array(ordinals),
    flaggedDays: new Int32Array(ordinals),
    missingRuns: new Map(),
  };
  const words = Math.ceil(ordinals / 32);
  const none = new Uint32Array(words);
  const received = Array.from({ length: span }, (_, t) => input.received.get(start + t) ?? none);
  const registered = registerMasks(input.register, words, from, to);
  // A stream received on any of days t - WINDOW_DAYS .. t, 32 streams at a time: the OR over a
  // sliding window, from ORs within blocks of WINDOW_DAYS + 1 days (van Herk / Gil-Werman: three ORs
  // a day whatever the window).
  const block = WINDOW_DAYS + 1;
  const column = new Uint32Array(span);
  const ahead = new Uint32Array(span);
  const behind = new Uint32Array(span);
  for (let word = 0; word < words; word++) {
    // This word's 32 streams over the days, read once (a day's bitmap may be shorter than `words`).
    for (let t = 0; t < span; t++) column[t] = received[t][word] ?? 0;
    for (let t = 0; t < span; t++) ahead[t] = t % block === 0 ? column[t] : ahead[t - 1] | column[t];
    for (let t = span - 1; t >= 0; t--) behind[t] = t % block === block - 1 || t === span - 1 ? column[t] : behind[t + 1] | column[t];
    const register = registered.get(word);
    for (let t = WINDOW_DAYS; t < span; t++) {
      const recent = behind[t - WINDOW_DAYS] | ahead[t];
      let missing = (recent | (register?.[t - WINDOW_DAYS] ?? 0)) & ~column[t];
      while (missing !== 0) {
        const bit = 31 - Math.clz32(missing & -missing);
        missing &= missing - 1;
        addMissing(sweep, word * 32 + bit, start + t);
      }
    }
  }
  countDays(sweep.partialDays, input.partial, from, to);
  countDays(sweep.flaggedDays, input.flagged, from, to);
  return sweep;
}

function addMissing(sweep: StreamSweep, ordinal: number, day: number): void {
  sweep.missingDays[ordinal]++;
  sweep.missingPerDay[day - sweep.from]++;
  const runs = sweep.missingRuns.get(ordinal);
  if (runs === undefined) sweep.missingRuns.set(ordinal, [day, day]);
  else if (runs[runs.length - 1] === day - 1) runs[runs.length - 1] = day;
  else runs.push(day, day);
}

/** Per word with registered streams: per day of the range, the streams the register expects. */
function registerMasks(register: readonly RegisterPeriod[], words: number, from: number, to: number): Map<number, Uint32Array> {
  const masks = new Map<number, Uint32Array>();
  for (const period of register) {
    const word = period.ordinal >> 5;
    if (word >= words) continue;
    let mask = masks.get(word);
    if (mask === undefined) masks.set(word, (mask = new Uint32Array(to - from + 1)));
    for (let day = Math.max(from, period.from); day <= Math.min(to, period.to); day++) mask[day - from] |= 1 << (period.ordinal & 31);
  }
  return masks;
}

function countDays(counts: Int32Array, bitmaps: ReadonlyMap<number, Uint32Array>, from: number, to: number): void {
  for (const [day, words] of bitmaps) {
    if (day < from || day > to) continue;
    for (let word = 0; word < Math.min(words.length, Math.ceil(counts.length / 32)); word++) {
      let value = words[word];
      while (value !== 0) {
        const bit = 31 - Math.clz32(value & -value);
        value &= value - 1;
        if (word * 32 + bit < counts.length) counts[word * 32 + bit]++;
      }
    }
  }
}

/** What the streams list is ordered by, worst first. */
export type GapStatus = 'missing' | 'partial' | 'estimated';

export interface RankedStream {
  ordinal: number;
  /** Days missing, with empty intervals, or with estimates (by `status`). */
  days: number;
}

/**
 * The streams with at least one day of `status`, worst first (most days, then by ordinal), after
 * the keyset `after`, at most `limit`; `next` is where the following page starts, or null.
 */
export function rankStreams(sweep: StreamSweep, status: GapStatus, after: RankedStream | null, limit: number): { streams: RankedStream[]; next: RankedStream | null } {
  const counts = status === 'missing' ? sweep.missingDays : status === 'partial' ? sweep.partialDays : sweep.flaggedDays;
  const ranked: RankedStream[] = [];
  for (let ordinal = 0; ordinal < counts.length; ordinal++) {
    const days = counts[ordinal];
    if (days === 0) continue;
    if (after !== null && (days > after.days || (days === after.days && ordinal <= after.ordinal))) continue;
    ranked.push({ ordinal, days });
  }
  ranked.sort((a, b) => b.days - a.days || a.ordinal - b.ordinal);
  const streams = ranked.slice(0, limit);
  return { streams, next: ranked.length > limit ? streams[streams.length - 1] : null };
}
