/**
 * Checks shared by the record decoders, each written once: the issue reporter they all use, field
 * counts (padding versus a record glued to another), characters that belong in no field, and the
 * small field grammars several records have in common (quality method, reason code, NEM13).
 */
import type { IssueCode } from './issues.js';
import type { QualityFlag } from './records.js';

export interface IssueReporter {
  report(code: IssueCode, line: number, message: string): void;
  /** Reports a code only the first time it occurs in the file (quirks that repeat on every row). */
  once(code: IssueCode, line: number, message: string): void;
}

/** Control characters (NUL, a lone CR, TAB ...) and the byte-order mark belong in no NEM12 field. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const FORBIDDEN = /[\x00-\x1f\x7f\ufeff]/g;

/**
 * Reports the first forbidden character of `text[from..]` (INVALID_CHARACTER) and returns false,
 * or returns true when there is none. Such characters are never trimmed away: the record is rejected.
 */
export function checkCharacters(text: string, from: number, kind: string, line: number, reporter: IssueReporter): boolean {
  FORBIDDEN.lastIndex = from;
  const found = FORBIDDEN.exec(text);
  if (found === null) return true;
  const field = countOf(text, ',', found.index) + 1;
  reporter.report('INVALID_CHARACTER', line, `${kind} record, field ${field}: character ${codePoint(found[0])} does not belong in a NEM12 field (${describeCharacter(found[0])}).`);
  return false;
}

/**
 * The fields of a record checked against how many it may have: fewer than `min` is TOO_FEW_FIELDS;
 * beyond `max`, empty fields are padding (TRAILING_EMPTY_FIELDS, once) and anything else is
 * TOO_MANY_FIELDS: typically a record glued to the next one by a lost line break. Null when rejected.
 */
export function fitFields(fields: string[], kind: string, min: number, max: number, line: number, reporter: IssueReporter): string[] | null {
  if (fields.length < min) {
    reporter.report('TOO_FEW_FIELDS', line, `${kind} record has ${fields.length} field(s); it needs at least ${min}.`);
    return null;
  }
  if (fields.length <= max) return fields;
  for (let i = max; i < fields.length; i++) {
    if (fields[i] !== '') {
      reporter.report(
        'TOO_MANY_FIELDS',
        line,
        `${kind} record has ${fields.length} fields; it has at most ${max}. Field ${i + 1} is ${quote(fields[i])}: is a line break missing?`,
      );
      return null;
    }
  }
  reporter.once('TRAILING_EMPTY_FIELDS', line, 'Rows are padded with trailing empty fields; the padding is ignored.');
  return fields.slice(0, max);
}

/** Optional trailing fields that are missing are read as empty (MISSING_TRAILING_FIELDS, once). */
export function reportMissingTrailing(present: number, full: number, line: number, reporter: IssueReporter): void {
  if (present < full) {
    reporter.once('MISSING_TRAILING_FIELDS', line, `Records without their trailing fields (first at line ${line}); the missing fields are read as empty.`);
  }
}

const QUALITY_METHOD = /^([AEFSNV])(\d\d)?$/;

export interface ParsedQuality {
  flag: QualityFlag | 'V';
  method: number | null;
}

const knownQuality = new Map<string, ParsedQuality>();

/** `A`, `F14`, `S53`, `V` ... -> flag and method number; null when not a quality method. */
export function parseQualityMethod(text: string): ParsedQuality | null {
  let parsed = knownQuality.get(text);
  if (parsed === undefined) {
    const match = QUALITY_METHOD.exec(text);
    if (!match) return null;
    parsed = Object.freeze({ flag: match[1] as QualityFlag | 'V', method: match[2] === undefined ? null : +match[2] });
    if (knownQuality.size < 1000) knownQuality.set(text, parsed); // a file repeats a handful of values
  }
  return parsed;
}

/** E, F and S need a method number after the letter: stored without one, with a warning. */
export function checkMethod(quality: ParsedQuality, where: string, line: number, reporter: IssueReporter): void {
  if (quality.method === null && (quality.flag === 'E' || quality.flag === 'F' || quality.flag === 'S')) {
    reporter.report('QUALITY_METHOD_MISSING', line, `${where}: quality ${quality.flag} should carry a 2-digit method number; stored without one.`);
  }
}

const REASON_CODE = /^\d{1,3}$/;

/** A ReasonCode: empty -> null; not a number -> null with INVALID_REASON_CODE (stored without one). */
export function parseReasonCode(text: string, where: string, line: number, reporter: IssueReporter): number | null {
  if (text === '') return null;
  if (REASON_CODE.test(text)) return +text;
  reporter.report('INVALID_REASON_CODE', line, `${where}: ReasonCode ${quote(text)} is not a number; stored without one.`);
  return null;
}

/** NEM13 (accumulation meter data) cannot be loaded as interval data: one message wherever it is found. */
export function reportNem13(line: number, reporter: IssueReporter, found: string): void {
  reporter.report('NEM13_NOT_SUPPORTED', line, `This is NEM13 (accumulation meter) data (${found}): only NEM12 interval data can be loaded.`);
}

/** A field as shown in messages: quoted, control characters made visible, long ones cut. */
export function quote(text: string): string {
  const shown = text.length > 40 ? `${text.slice(0, 40)}...` : text;
  return JSON.stringify(shown);
}

function countOf(text: string, char: string, before: number): number {
  let count = 0;
  for (let at = text.indexOf(char); at >= 0 && at < before; at = text.indexOf(char, at + 1)) count++;
  return count;
}

function codePoint(char: string): string {
  return `U+${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
}

const NAMED: Record<string, string> = { '\0': 'a NUL byte', '\r': 'a carriage return: a line break of another system?', '\t': 'a tab', '\ufeff': 'a byte-order mark' };

function describeCharacter(char: string): string {
  return NAMED[char] ?? 'a control character';
}
