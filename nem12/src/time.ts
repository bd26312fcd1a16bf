/**
 * NEM time is UTC+10 all year (AEST, no daylight saving). Never convert through Australia/Sydney or
 * Melbourne: their DST would invent and repeat hours. Timestamps are the END of an interval.
 */
export const NEM_UTC_OFFSET_MINUTES = 600;
const NEM_OFFSET_MS = NEM_UTC_OFFSET_MINUTES * 60_000;
const DAY_MS = 86_400_000;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The number written by `length` ASCII digits at `from`, or -1 if any is not a digit. (Hot path: no slicing.) */
function digitsAt(text: string, from: number, length: number): number {
  let value = 0;
  for (let i = from; i < from + length; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

function isCalendarDateAt(text: string, from: number): boolean {
  const y = digitsAt(text, from, 4);
  const m = digitsAt(text, from + 4, 2);
  const d = digitsAt(text, from + 6, 2);
  if (y < 1900 || m < 1 || m > 12 || d < 1) return false;
  const leap = m === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  return d <= DAYS_IN_MONTH[m - 1] + (leap ? 1 : 0);
}

/** `CCYYMMDD` -> `YYYY-MM-DD`, or null unless it is a real calendar date. (Hot: one per 300 row.) */
export function parseNemDate(text: string): string | null {
  if (text.length !== 8 || !isCalendarDateAt(text, 0)) return null;
  return `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}`;
}

/** Is this a valid `CCYYMMDDhhmmss`, or the `CCYYMMDDhhmm` some real files write? */
export function isNemDateTime(text: string): boolean {
  const length = text.length;
  if ((length !== 14 && length !== 12) || !isCalendarDateAt(text, 0)) return false;
  const hh = digitsAt(text, 8, 2);
  const mm = digitsAt(text, 10, 2);
  const ss = length === 14 ? digitsAt(text, 12, 2) : 0;
  return hh >= 0 && hh <= 23 && mm >= 0 && mm <= 59 && ss >= 0 && ss <= 59;
}

/** A valid NEM date-time -> ISO instant with the NEM offset, e.g. `2004-02-02T12:00:25+10:00`. */
export function nemDateTimeToIso(text: string): string {
  const seconds = text.length === 14 ? text.slice(12, 14) : '00';
  return `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}T${text.slice(8, 10)}:${text.slice(10, 12)}:${seconds}+10:00`;
}

/** `CCYYMMDDhhmmss` (or `CCYYMMDDhhmm`) in NEM time -> ISO instant with the NEM offset; null unless valid. */
export function parseNemDateTime(text: string): string | null {
  return isNemDateTime(text) ? nemDateTimeToIso(text) : null;
}

/** Days since 1970-01-01 of a `YYYY-MM-DD` NEM date (a compact key for sets of days). */
export function dayNumber(date: string): number {
  return civilDayNumber(digitsAt(date, 0, 4), digitsAt(date, 5, 2), digitsAt(date, 8, 2));
}

/** Days since 1970-01-01 of a valid `CCYYMMDD` date as written in a file. */
export function nemDateDayNumber(text: string): number {
  return civilDayNumber(digitsAt(text, 0, 4), digitsAt(text, 4, 2), digitsAt(text, 6, 2));
}

function civilDayNumber(year: number, m: number, d: number): number {
  // Howard Hinnant's days_from_civil: plain arithmetic, no Date objects on the hot path.
  const y = year - (m <= 2 ? 1 : 0);
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** `YYYY-MM-DD` of a day number. */
export function dateOfDayNumber(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The day after a `YYYY-MM-DD` date. */
export function nextDate(date: string): string {
  return dateOfDayNumber(dayNumber(date) + 1);
}

/** An instant (whole seconds since the epoch) as ISO 8601 in NEM time: `2024-01-01T00:30:00+10:00`. */
export function nemIsoOfEpochSeconds(seconds: number): string {
  return `${new Date(seconds * 1000 + NEM_OFFSET_MS).toISOString().slice(0, 19)}+10:00`;
}

/** Epoch milliseconds of the END of interval `index` (1-based) of `date`, for an interval length in minutes. */
export function intervalEndMs(date: string, index: number, intervalLength: number): number {
  return dayNumber(date) * DAY_MS - NEM_OFFSET_MS + index * intervalLength * 60_000;
}

const clockCache = new Map<number, string[]>();

/**
 * NEM wall-clock times (`HH:MM`) at which intervals 1..N end, for an interval length: `00:30` ...
 * `24:00`. The last interval ends at 24:00, i.e. 00:00 of the next day (PostgreSQL accepts `24:00`).
 */
export function intervalEndClock(intervalLength: number): readonly string[] {
  let clock = clockCache.get(intervalLength);
  if (!clock) {
    clock = [];
    for (let minutes = intervalLength; minutes <= 1440; minutes += intervalLength) {
      clock.push(`${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`);
    }
    clockCache.set(intervalLength, clock);
  }
  return clock;
}
