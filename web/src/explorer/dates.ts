import { NEM_UTC_OFFSET_MINUTES, parseNemDate } from 'nem12';

/**
 * NEM days as people type them: `YYYY-MM-DD`, or `DD/MM/YYYY` (also `D/M/YYYY`, with `.` or `-`),
 * the way Australians write dates. Pure: a day is checked against the calendar here, so an
 * impossible one (2024-02-30, 2024-13-01) never reaches the URL or the API.
 */
export type ParsedDay = { day: string } | { problem: string; partial: boolean };

export const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;
const DMY = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/;
/** What may still become a date as more is typed: nothing to complain about yet. */
const ISO_START = /^(\d{0,4}|\d{4}-\d{0,2}|\d{4}-\d{2}-\d?)$/;
const DMY_START = /^\d{1,2}([/.-](\d{1,2}([/.-]\d{0,3})?)?)?$/;

export const DATE_FORMATS = 'YYYY-MM-DD or DD/MM/YYYY';

const pad = (value: number) => String(value).padStart(2, '0');

export function daysInMonth(year: number, month: number): number {
  return month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** The ISO day of what was typed, or what is wrong with it (`partial`: it may yet become a day). */
export function parseDay(text: string): ParsedDay {
  const typed = text.trim();
  const isoMatch = ISO.exec(typed);
  const dmy = isoMatch ? null : DMY.exec(typed);
  if (!isoMatch && !dmy) {
    const partial = typed === '' || ISO_START.test(typed) || DMY_START.test(typed);
    return { problem: typed === '' ? `Type a day: ${DATE_FORMATS}.` : `Type the day as ${DATE_FORMATS}.`, partial };
  }
  const [year, month, day] = isoMatch ? [isoMatch[1], isoMatch[2], isoMatch[3]].map(Number) : [dmy![3], dmy![2], dmy![1]].map(Number);
  if (month < 1 || month > 12) return { problem: `There is no month ${pad(month)}: months go from 01 to 12.`, partial: false };
  const days = daysInMonth(year, month);
  if (day < 1 || day > days) return { problem: `${typed} is not a day: ${MONTHS[month - 1]} ${year} has ${days} days.`, partial: false };
  const iso = `${year}-${pad(month)}-${pad(day)}`;
  // The API's own rule last (it also refuses years before 1900): what passes here, it accepts.
  return parseNemDate(iso.replaceAll('-', '')) === null ? { problem: `${typed} is too early: readings start in 1900.`, partial: false } : { day: iso };
}

/** `YYYY-MM-DD` of a day that exists. */
export function isCalendarDay(text: string): boolean {
  const parsed = parseDay(text);
  return 'day' in parsed && parsed.day === text;
}

/** The NEM day (UTC+10 all year) an instant falls on, whatever the browser's time zone. */
export function nemDayOf(instant: Date): string {
  return new Date(instant.getTime() + NEM_UTC_OFFSET_MINUTES * 60_000).toISOString().slice(0, 10);
}
