import { KWH_EXPONENT, shiftDecimal, type DayRecord } from 'nem12';
import { qualityCountsOf, runsOfDay, figuresOf, type DayState, type QualityRun, type Revision } from '../days';
import type { OrgDayChanges } from './orgDays';
import type { DayRowDigester } from './rowDigest';

/**
 * The `days` table's rows (sql/migrations/0006_day_rows.sql): written as COPY text from a parsed day
 * (the hot path: no per-value objects for a well-formed day) or from a merged DayState, and read
 * back into a DayState for a merge.
 */
export const DAY_ROW_COLUMNS =
  'channel_id, day, interval_length, uom, kwh_factor, intervals, quality, readings, total, kwh, peak, peak_interval, fingerprint, updated_at, upload_id, line, older, actual, estimated, substituted, variable';

const FLAG_CODE: Record<string, number> = { A: 65, E: 69, F: 70, S: 83, N: 78 };
const NULL = '\\N';

/**
 * The COPY row of a parsed day, as its own revision (upload and line), with its figures; added to
 * `digest` as rendered (the text PostgreSQL prints back for it), and to `changes` (the
 * organisation's figures per day) when it goes straight into `days`.
 */
export function dayRecordRow(day: DayRecord, channelId: number, uploadId: number, fingerprint: string, digest?: DayRowDigester, changes?: OrgDayChanges): string {
  const { channel } = day;
  const complete = day.valuesTextIfComplete;
  // One scan of a well-formed day's text finds its peak and whether PostgreSQL prints every value as written.
  const scanned = complete !== null ? scanText(complete) : null;
  const intervals =
    complete !== null
      ? `{${scanned!.canonical ? complete : complete.split(',').map(canonicalValue).join(',')}}`
      : `{${day.values.map((v) => (v === null ? 'NULL' : canonicalValue(v))).join(',')}}`;
  const runs = runsOfDay(day);
  const quality = runsText(runs);
  const counts = qualityCountsOf(runs, complete !== null ? null : day.values);
  const readings = day.readingCount;
  const total = readings === 0 ? null : day.total;
  const peak = scanned ?? peakOf(day.values);
  const kwh = total === null || channel.kwhFactor === null ? null : shiftDecimal(total, KWH_EXPONENT[channel.kwhFactor]);
  digest?.addRow({ channelId, day: day.date, uploadId, line: day.line, fingerprint, readings, total, kwh, intervals, quality, counts });
  changes?.add(channelId, day.date, readings, channel.intervalCount, counts);
  return row([
    channelId,
    day.date,
    channel.intervalLength,
    copyText(channel.uom),
    channel.kwhFactor ?? NULL,
    intervals,
    quality,
    readings,
    total ?? NULL,
    kwh ?? NULL,
    peak?.value ?? NULL,
    peak?.interval ?? NULL,
    fingerprint,
    day.updatedAt ?? NULL,
    uploadId,
    day.line,
    NULL,
    counts.actual,
    counts.estimated,
    counts.substituted,
    counts.variable,
  ]);
}

/** A value as PostgreSQL prints a numeric: `.5` is `0.5`, `007.10` is `7.10`, `5.` is `5` (fractional digits kept). */
function canonicalValue(value: string): string {
  let start = 0;
  while (start < value.length - 1 && value.charCodeAt(start) === 48 && value.charCodeAt(start + 1) !== 46) start++;
  let text = start === 0 ? value : value.slice(start);
  if (text.charCodeAt(0) === 46) text = `0${text}`;
  if (text.charCodeAt(text.length - 1) === 46) text = text.slice(0, -1);
  return text;
}

/** The COPY row of a merged day. */
export function dayStateRow(channelId: number, date: string, state: DayState): string {
  const figures = figuresOf(state.values, state.kwhFactor);
  const counts = qualityCountsOf(state.runs, state.values);
  return row([
    channelId,
    date,
    state.intervalLength,
    copyText(state.uom),
    state.kwhFactor ?? NULL,
    `{${state.values.map((v) => v ?? 'NULL').join(',')}}`,
    runsText(state.runs),
    figures.readings,
    figures.total ?? NULL,
    figures.kwh ?? NULL,
    figures.peak ?? NULL,
    figures.peakInterval ?? NULL,
    state.fingerprint,
    state.revision.updatedAt ?? NULL,
    state.revision.uploadId,
    state.revision.line,
    state.older.length === 0 ? NULL : copyText(JSON.stringify(state.older)),
    counts.actual,
    counts.estimated,
    counts.substituted,
    counts.variable,
  ]);
}

/** What a SELECT of a day row (of table `alias`) must return for `dayStateOf` (times as epoch milliseconds: no time zone in between). */
export function dayStateSelect(alias: string): string {
  const a = `${alias}.`;
  return `${a}channel_id, ${a}day::text AS day, ${a}interval_length, ${a}uom, ${a}kwh_factor::text AS kwh_factor,
    array_to_string(${a}intervals, ',', '') AS intervals, array_to_string(${a}quality, ',', '') AS quality, ${a}fingerprint::text AS fingerprint, (extract(epoch FROM ${a}updated_at) * 1000)::float8 AS updated_ms,
    ${a}upload_id::float8 AS upload_id, ${a}line, ${a}older`;
}

export interface DayStateRow {
  channel_id: number;
  day: string;
  interval_length: number;
  uom: string;
  kwh_factor: string | null;
  /** The values comma-joined, an empty interval as nothing (split here: faster than an array's text form). */
  intervals: string;
  /** The quality runs' numbers comma-joined, NULL as nothing. */
  quality: string;
  fingerprint: string;
  updated_ms: number | null;
  upload_id: number;
  line: number;
  older: Revision[] | null;
}

export function dayStateOf(row: DayStateRow): DayState {
  const runs: QualityRun[] = [];
  const quality = row.quality.split(',').map((n) => (n === '' ? null : Number(n)));
  for (let k = 0; k + 4 < quality.length; k += 5) {
    runs.push({
      to: quality[k]!,
      flag: String.fromCharCode(quality[k + 1] ?? 65) as QualityRun['flag'],
      method: quality[k + 2],
      reasonCode: quality[k + 3],
      revision: quality[k + 4] ?? 0,
    });
  }
  return {
    intervalLength: row.interval_length,
    uom: row.uom,
    kwhFactor: row.kwh_factor === null ? null : (normalizeFactor(row.kwh_factor) as DayState['kwhFactor']),
    values: row.intervals.split(',').map((value) => (value === '' ? null : value)),
    runs,
    revision: { updatedAt: row.updated_ms === null ? null : new Date(row.updated_ms).toISOString(), uploadId: row.upload_id, line: row.line },
    older: row.older ?? [],
    fingerprint: row.fingerprint,
  };
}

/** `1.000` -> `1`, `1000` -> `1000`, `0.001` -> `0.001`: the factors as the parser names them. */
function normalizeFactor(text: string): string {
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}

function runsText(runs: readonly QualityRun[]): string {
  const cells: string[] = [];
  for (const run of runs) {
    cells.push(String(run.to), String(FLAG_CODE[run.flag]), run.method === null ? 'NULL' : String(run.method), run.reasonCode === null ? 'NULL' : String(run.reasonCode), String(run.revision));
  }
  return `{${cells.join(',')}}`;
}

function row(cells: (string | number)[]): string {
  return `${cells.join('\t')}\n`;
}

/** Escapes a value for COPY text format. */
export function copyText(text: string): string {
  return /[\\\t\n\r]/.test(text) ? text.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!) : text;
}

/** The largest value and its (first) interval, by value. */
function peakOf(values: readonly (string | null)[]): { value: string; interval: number } | null {
  const figures = figuresOf(values, null);
  return figures.peak === null ? null : { value: figures.peak, interval: figures.peakInterval! };
}

/**
 * The largest of comma-joined valid decimals without splitting them (a day of a well-formed row):
 * by the length of the integer part without leading zeros, then digit by digit. `canonical`: no value
 * has a leading point, a leading zero before a digit or a trailing point (forms PostgreSQL prints otherwise).
 */
function scanText(text: string): { value: string; interval: number; canonical: boolean } {
  // The best value so far, updated in place (no object per value: a day file has millions).
  const best: Span = { start: 0, end: 0, intStart: 0, intEnd: 0 };
  let interval = 0;
  let bestInterval = 0;
  let canonical = true;
  for (let start = 0; start <= text.length; ) {
    let end = text.indexOf(',', start);
    if (end < 0) end = text.length;
    interval++;
    const first = text.charCodeAt(start);
    if (first === 46 || text.charCodeAt(end - 1) === 46 || (first === 48 && end - start > 1 && text.charCodeAt(start + 1) !== 46)) canonical = false;
    let intStart = start;
    while (intStart < end && text.charCodeAt(intStart) === 48) intStart++;
    let intEnd = intStart;
    while (intEnd < end && text.charCodeAt(intEnd) !== 46) intEnd++;
    if (interval === 1 || greater(text, end, intStart, intEnd, best)) {
      best.start = start;
      best.end = end;
      best.intStart = intStart;
      best.intEnd = intEnd;
      bestInterval = interval;
    }
    start = end + 1;
  }
  return { value: text.slice(best.start, best.end), interval: bestInterval, canonical };
}

interface Span {
  start: number;
  end: number;
  intStart: number;
  intEnd: number;
}

/** Whether the value ending at `end` (integer digits intStart..intEnd) is greater than `b`. */
function greater(text: string, end: number, intStart: number, intEnd: number, b: Span): boolean {
  const aLength = intEnd - intStart;
  const bLength = b.intEnd - b.intStart;
  if (aLength !== bLength) return aLength > bLength;
  for (let i = 0; i < aLength; i++) {
    const d = text.charCodeAt(intStart + i) - text.charCodeAt(b.intStart + i);
    if (d !== 0) return d > 0;
  }
  // Fractions, digit by digit (a missing digit is 0).
  for (let i = 1; ; i++) {
    const ca = intEnd + i < end ? text.charCodeAt(intEnd + i) : 48;
    const cb = b.intEnd + i < b.end ? text.charCodeAt(b.intEnd + i) : 48;
    if (intEnd + i >= end && b.intEnd + i >= b.end) return false;
    if (ca !== cb) return ca > cb;
  }
}
