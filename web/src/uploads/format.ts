import type { QualityFlag, Upload } from './model';

/** Formatting for the uploads list: sizes, counts, rates, time left, quality flags. Pure. */

const LOCALE = 'en-AU';
const integer = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 1 });

export function formatCount(value: number): string {
  return integer.format(value);
}

/** "1 error", "2 errors", "1,024 readings". */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${formatCount(count)} ${count === 1 ? singular : pluralForm}`;
}

const BYTE_UNITS = ['KB', 'MB', 'GB', 'TB'];

/** Binary multiples (1 KB = 1024 bytes), as storage.rules counts its 1 GB limit. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  if (bytes < 1024) return plural(bytes, 'byte');
  let value = bytes;
  let unit = -1;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 ? oneDecimal.format(value) : integer.format(value)} ${BYTE_UNITS[unit]}`;
}

/**
 * Readings per second while loading, from the document's own server timestamps: readings loaded
 * since `loadingAt`, over the time to the last progress report (`updatedAt`). Both are server
 * times, so the browser's clock does not skew it. Null until there is something to measure.
 */
export function loadingRate(upload: Pick<Upload, 'readings' | 'loadingAt' | 'updatedAt'>): number | null {
  const { loadingAt, updatedAt } = upload;
  if (loadingAt === null || updatedAt === null) return null;
  const seconds = (updatedAt.getTime() - loadingAt.getTime()) / 1000;
  if (seconds <= 0 || upload.readings.loaded <= 0) return null;
  return upload.readings.loaded / seconds;
}

/** Seconds until every reading is loaded at `rate`; null when it cannot be told. */
export function secondsLeft(total: number, loaded: number, rate: number | null): number | null {
  if (rate === null || !(rate > 0)) return null;
  return Math.max(0, total - loaded) / rate;
}

export function formatRate(readingsPerSecond: number): string {
  const value = readingsPerSecond < 10 ? oneDecimal.format(readingsPerSecond) : integer.format(readingsPerSecond);
  return `${value} readings/s`;
}

/** "under a second", "42 s", "3 min 5 s", "2 h 10 min". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  if (seconds < 1) return 'under a second';
  const whole = Math.round(seconds);
  if (whole < 60) return `${whole} s`;
  if (whole < 3600) {
    const s = whole % 60;
    return `${Math.floor(whole / 60)} min${s === 0 ? '' : ` ${s} s`}`;
  }
  const minutes = Math.round(whole / 60);
  const m = minutes % 60;
  return `${Math.floor(minutes / 60)} h${m === 0 ? '' : ` ${m} min`}`;
}

/** NEM12 quality flags (the effective flag of each reading, after 400 ranges). */
export const QUALITY_FLAG_NAMES: Record<QualityFlag, string> = {
  A: 'Actual',
  E: 'Forward estimate',
  F: 'Final substitute',
  S: 'Substitute',
  N: 'Null',
};

export const QUALITY_FLAG_ORDER: readonly QualityFlag[] = ['A', 'E', 'F', 'S', 'N'];

export function qualityFlagName(flag: string): string {
  return Object.hasOwn(QUALITY_FLAG_NAMES, flag) ? QUALITY_FLAG_NAMES[flag as QualityFlag] : 'Unknown flag';
}

/** Where an issue is: "line 3", or "file" for line 0 (the whole file). */
export function issueLocation(line: number): string {
  return line > 0 ? `line ${formatCount(line)}` : 'file';
}

/** "5 min", "30 min"; a day of 1440 minutes is "1 day". */
export function formatInterval(minutes: number): string {
  if (minutes > 0 && minutes % 1440 === 0) return plural(minutes / 1440, 'day');
  if (minutes >= 60 && minutes % 60 === 0) return `${minutes / 60} h`;
  return `${minutes} min`;
}

const pad = (value: number) => String(value).padStart(2, '0');

/** "2026-12-02 11:59", in the browser's time zone: ISO dates everywhere on the page. */
export function formatDateTime(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** "2003-12-04 to 2003-12-05", one date when they are the same, "—" with none. */
export function formatDateRange(first: string | null, last: string | null): string {
  if (first === null || last === null) return first ?? last ?? '—';
  return first === last ? first : `${first} to ${last}`;
}

const kwh = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 3 });

/** A decimal string of kWh, grouped and to at most 3 decimals, or "—" when the unit is not energy. */
export function formatKwh(totalKwh: string | null): string {
  if (totalKwh === null) return '—';
  const value = Number(totalKwh);
  if (!Number.isFinite(value)) return totalKwh;
  return kwh.format(value);
}
