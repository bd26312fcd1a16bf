import { parse } from 'csv-parse/sync';
import { parseNemDate } from 'nem12';

/**
 * The register of NMIs an organisation is responsible for, as a CSV file: one line per NMI and
 * period, `nmi,suffixes,from,to` (a first line `nmi,...` is a header):
 *
 *   NMI0000001,E1 B1,2024-01-01,          E1 and B1 of NMI0000001 from 1 January 2024 on
 *   NMI0000002,,,2024-06-30               every stream of NMI0000002 up to 30 June 2024
 *
 * NMI: 10 capital letters and digits. Suffixes: none (every stream the NMI is received with; a
 * register NMI never received is one stream, missing) or a space-separated list (E1, B1, Q1 ...).
 * Dates YYYY-MM-DD (or YYYYMMDD), either end open. A register is taken whole or not at all: every
 * line with a problem is reported (line number, stable code, what is wrong), and nothing in a field
 * is trimmed or corrected. Pure.
 */
export interface RegisterEntry {
  line: number;
  nmi: string;
  /** Empty: every stream of the NMI. */
  suffixes: string[];
  /** YYYY-MM-DD, or null: open. */
  from: string | null;
  to: string | null;
}

export type RegisterErrorCode =
  | 'CSV_SYNTAX'
  | 'COLUMN_COUNT'
  | 'INVALID_NMI'
  | 'INVALID_SUFFIX'
  | 'REPEATED_SUFFIX'
  | 'INVALID_DATE'
  | 'DATES_REVERSED'
  | 'OVERLAPPING_ENTRY'
  | 'TOO_MANY_LINES';

export interface RegisterError {
  line: number;
  code: RegisterErrorCode;
  message: string;
}

export interface RegisterParse {
  entries: RegisterEntry[];
  /** The first ERROR_LIMIT problems, in line order; `errorCount` counts them all. */
  errors: RegisterError[];
  errorCount: number;
}

export const REGISTER_MAX_LINES = 1_000_000;
const ERROR_LIMIT = 100;
const NMI = /^[A-Z0-9]{10}$/;
const SUFFIX = /^[A-Z][A-Z0-9]$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function parseRegister(text: string): RegisterParse {
  const result: RegisterParse = { entries: [], errors: [], errorCount: 0 };
  const fail = (line: number, code: RegisterErrorCode, message: string) => {
    result.errorCount++;
    if (result.errors.length < ERROR_LIMIT) result.errors.push({ line, code, message });
  };
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { info: true, relax_column_count: true, skip_empty_lines: true, bom: true }) as unknown as typeof records;
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 1;
    fail(line, 'CSV_SYNTAX', `The file is not CSV from here on: ${(error as Error).message}`);
    return result;
  }
  if (records.length > REGISTER_MAX_LINES) {
    fail(records[REGISTER_MAX_LINES].info.lines, 'TOO_MANY_LINES', `A register holds at most ${REGISTER_MAX_LINES.toLocaleString('en-AU')} lines.`);
    return result;
  }
  for (const [index, { record, info }] of records.entries()) {
    if (index === 0 && record[0]?.toLowerCase() === 'nmi') continue;
    const entry = entryOf(record, info.lines, fail);
    if (entry !== null) result.entries.push(entry);
  }
  const overlapping = findOverlaps(result.entries, fail);
  result.entries = result.entries.filter((entry) => !overlapping.has(entry));
  result.errors.sort((a, b) => a.line - b.line);
  return result;
}

function entryOf(record: string[], line: number, fail: (line: number, code: RegisterErrorCode, message: string) => void): RegisterEntry | null {
  if (record.length > 4) {
    fail(line, 'COLUMN_COUNT', `${record.length} fields; a line is nmi,suffixes,from,to.`);
    return null;
  }
  const [nmi, suffixText = '', fromText = '', toText = ''] = record;
  let ok = true;
  if (!NMI.test(nmi)) {
    fail(line, 'INVALID_NMI', `NMI ${JSON.stringify(nmi)} is not 10 capital letters and digits.`);
    ok = false;
  }
  const suffixes = suffixText === '' ? [] : suffixText.split(' ');
  for (const suffix of suffixes) {
    if (!SUFFIX.test(suffix)) {
      fail(line, 'INVALID_SUFFIX', `Suffix ${JSON.stringify(suffix)} is not a capital letter and a capital letter or digit (E1, B1, Q1 ...); separate suffixes with one space.`);
      ok = false;
    }
  }
  const repeated = suffixes.find((suffix, i) => suffixes.indexOf(suffix) !== i);
  if (repeated !== undefined) {
    fail(line, 'REPEATED_SUFFIX', `Suffix ${repeated} is listed twice.`);
    ok = false;
  }
  const from = dateOf(fromText, 'from', line, fail);
  const to = dateOf(toText, 'to', line, fail);
  if (from === undefined || to === undefined) return null;
  if (from !== null && to !== null && from > to) {
    fail(line, 'DATES_REVERSED', `From ${from} is after to ${to}.`);
    return null;
  }
  return ok ? { line, nmi, suffixes, from, to } : null;
}

/** A date field: null when empty (open), undefined when not a date (reported). */
function dateOf(text: string, name: string, line: number, fail: (line: number, code: RegisterErrorCode, message: string) => void): string | null | undefined {
  if (text === '') return null;
  const iso = ISO_DATE.exec(text);
  const date = parseNemDate(iso === null ? text : `${iso[1]}${iso[2]}${iso[3]}`);
  if (date === null) fail(line, 'INVALID_DATE', `${name} ${JSON.stringify(text)} is not a date (YYYY-MM-DD, from 1900 on).`);
  return date ?? undefined;
}

/** Two lines of the same NMI that share a suffix (no suffixes: all of them) over a common day. */
function findOverlaps(entries: RegisterEntry[], fail: (line: number, code: RegisterErrorCode, message: string) => void): Set<RegisterEntry> {
  const overlapping = new Set<RegisterEntry>();
  const byNmi = new Map<string, RegisterEntry[]>();
  for (const entry of entries) {
    const list = byNmi.get(entry.nmi);
    if (list === undefined) byNmi.set(entry.nmi, [entry]);
    else list.push(entry);
  }
  for (const list of byNmi.values()) {
    for (let j = 1; j < list.length; j++) {
      const later = list[j];
      const earlier = list.slice(0, j).find((entry) => sharesSuffix(entry, later) && (entry.from ?? '') <= (later.to ?? '9') && (later.from ?? '') <= (entry.to ?? '9'));
      if (earlier === undefined) continue;
      fail(later.line, 'OVERLAPPING_ENTRY', `${later.nmi} is already registered by line ${earlier.line} for ${periodText(earlier)}.`);
      overlapping.add(later);
    }
  }
  return overlapping;
}

function sharesSuffix(a: RegisterEntry, b: RegisterEntry): boolean {
  return a.suffixes.length === 0 || b.suffixes.length === 0 || a.suffixes.some((suffix) => b.suffixes.includes(suffix));
}

function periodText(entry: RegisterEntry): string {
  const streams = entry.suffixes.length === 0 ? 'every stream' : entry.suffixes.join(' ');
  return `${streams}, ${entry.from ?? 'open'} to ${entry.to ?? 'open'}`;
}
