/**
 * Layer 2 of the parser: physical lines to logical records. Blank lines and rows of only commas are
 * reported and dropped; a 300 row cut by hard line breaks (even inside a number) is joined back,
 * verbatim, and reported. Joining is linear in the row's length, and bounded by the line limit.
 */
import type { IssueCode } from './issues.js';
import type { PhysicalLine } from './lines.js';

/** One logical record: a physical line plus any hard-wrapped continuation lines. */
export interface RawRecord {
  text: string;
  /** First physical line (1-based) and its byte offset. */
  line: number;
  offset: number;
  continuationLines: number;
  /** Decoding replaced bytes that are not UTF-8. */
  invalidUtf8: boolean;
}

export interface RecordSink {
  record(record: RawRecord): void;
  issue(code: IssueCode, line: number, message: string): void;
  /** The number of commas a complete 300 row has in the current data stream, or null outside one. */
  commasOf300(): number | null;
}

const ONLY_COMMAS = /^[, ]*$/;
const BLANK = /^ *$/;
/** An unknown record (`700,...`), not the rest of a wrapped field. */
const LOOKS_LIKE_RECORD = /^\d{3},/;
/** The record indicators of NEM12 (and NEM13's 250 and 550, recognised to be refused). */
export const RECORD_KINDS: ReadonlySet<string> = new Set(['100', '200', '250', '300', '400', '500', '550', '900']);
const RESUMES_300 = /^300,\d{8}(?:,|$)/;
const RESUMES_400 = /^400,\d+,\d+(?:,|$)/;

interface Pending {
  parts: string[];
  line: number;
  offset: number;
  bytes: number;
  /** Commas so far, or -1 until they are needed. */
  commas: number;
  is300: boolean;
  invalidUtf8: boolean;
}

export class RecordAssembler {
  private pending: Pending | null = null;

  constructor(
    private readonly sink: RecordSink,
    private readonly maxRecordBytes: number,
  ) {}

  line(physical: PhysicalLine): void {
    const { text, line } = physical;
    if (physical.tooLong) {
      this.flush();
      this.sink.issue('LINE_TOO_LONG', line, `Line is longer than ${this.maxRecordBytes} bytes: not a NEM12 record.`);
      return;
    }
    const pending = this.pending;
    const blank = BLANK.test(text);
    if (pending !== null && pending.is300 && !blank && this.continues300(pending, text)) {
      if (pending.bytes + text.length > this.maxRecordBytes) {
        this.pending = null;
        this.sink.issue('LINE_TOO_LONG', pending.line, `The record starting at line ${pending.line} runs over ${this.maxRecordBytes} bytes across hard-wrapped lines (to line ${line}): not a NEM12 record.`);
        return;
      }
      pending.parts.push(text);
      pending.bytes += text.length;
      pending.commas = this.commasOf(pending) + countCommas(text);
      pending.invalidUtf8 ||= physical.invalidUtf8;
      return;
    }
    if (blank) {
      // Between the parts of a wrapped row it is only reported; elsewhere it ends the record before it.
      if (!(pending !== null && pending.is300 && this.isIncomplete(pending))) this.flush();
      this.sink.issue('BLANK_LINE', line, 'Blank line ignored.');
      return;
    }
    if (ONLY_COMMAS.test(text)) {
      this.flush();
      this.sink.issue('EMPTY_ROW', line, 'Row of empty fields ignored.');
      return;
    }
    this.flush();
    this.pending = {
      parts: [text],
      line,
      offset: physical.offset,
      bytes: text.length,
      commas: -1, // counted when a line might continue it: most 300 rows are followed by a record
      is300: text.startsWith('300,'),
      invalidUtf8: physical.invalidUtf8,
    };
  }

  /** Hands on the record being assembled (before a record that is not a continuation, and at the end). */
  flush(): void {
    const pending = this.pending;
    if (pending === null) return;
    this.pending = null;
    const continuationLines = pending.parts.length - 1;
    if (continuationLines > 0) {
      this.sink.issue(
        'HARD_WRAPPED_ROW',
        pending.line,
        `Record continues over ${continuationLines + 1} lines (lines ${pending.line}-${pending.line + continuationLines}); joined.`,
      );
    }
    this.sink.record({
      text: continuationLines > 0 ? pending.parts.join('') : pending.parts[0],
      line: pending.line,
      offset: pending.offset,
      continuationLines,
      invalidUtf8: pending.invalidUtf8,
    });
  }

  /** Drops what is being assembled (the file was given up). */
  discard(): void {
    this.pending = null;
  }

  /**
   * Does `text` continue the 300 row being assembled? A row with too few fields takes any line that
   * does not start a record; a complete row takes a line whose first field is no record indicator
   * (a break inside its last field: `...,2` then `0050310182204`).
   */
  private continues300(pending: Pending, text: string): boolean {
    if (startsRecord(text) || this.sink.commasOf300() === null) return false;
    if (this.isIncomplete(pending)) return true;
    return !RECORD_KINDS.has(firstField(text)) && !LOOKS_LIKE_RECORD.test(text) && !ONLY_COMMAS.test(text);
  }

  private isIncomplete(pending: Pending): boolean {
    const commas = this.sink.commasOf300();
    return commas !== null && this.commasOf(pending) < commas;
  }

  private commasOf(pending: Pending): number {
    if (pending.commas < 0) pending.commas = countCommas(pending.parts[0]);
    return pending.commas;
  }
}

/** Could this line begin a record (rather than continue a hard-wrapped one)? */
function startsRecord(text: string): boolean {
  const kind = text.slice(0, 3);
  if (!RECORD_KINDS.has(kind) || (text.length > 3 && text.charCodeAt(3) !== 44)) return false;
  if (kind === '300') return RESUMES_300.test(text);
  if (kind === '400') return RESUMES_400.test(text);
  return true;
}

function firstField(text: string): string {
  const comma = text.indexOf(',');
  return comma < 0 ? text : text.slice(0, comma);
}

function countCommas(text: string): number {
  let commas = 0;
  for (let at = text.indexOf(','); at >= 0; at = text.indexOf(',', at + 1)) commas++;
  return commas;
}
