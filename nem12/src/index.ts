/**
 * nem12: a streaming parser of AEMO's NEM12 meter data files. Pure TypeScript, no I/O and no Node
 * built-ins (bytes are Uint8Array), so the same code runs in Node and in browsers.
 */
import { IssueLog } from './issues.js';
import { Nem12Parser, type ParserInfo } from './parser.js';
import type { DayRecord, Nem12Event } from './records.js';
import { SummaryBuilder, type FileSummary } from './summary.js';

export * from './issues.js';
export * from './records.js';
export * from './parser.js';
export * from './summary.js';
export * from './readings.js';
export * from './decimal.js';
export * from './time.js';
export * from './units.js';

export interface ParseResult {
  ok: boolean;
  events: Nem12Event[];
  days: DayRecord[];
  issues: IssueLog;
  summary: FileSummary;
  info: ParserInfo;
}

/** Parses a whole file held in memory. For large files, drive `Nem12Parser` from a stream instead. */
export function parseNem12(input: Uint8Array | string, options: { issueLimit?: number } = {}): ParseResult {
  const events: Nem12Event[] = [];
  const days: DayRecord[] = [];
  const issues = new IssueLog(options.issueLimit ?? Infinity);
  const summary = new SummaryBuilder();
  const parser = new Nem12Parser({
    onEvent: (event) => {
      events.push(event);
      if (event.type === 'day') {
        days.push(event);
        summary.addDay(event);
      }
    },
    onIssue: issues.add,
  });
  parser.push(typeof input === 'string' ? new TextEncoder().encode(input) : input);
  parser.end();
  return { ok: issues.ok, events, days, issues, summary: summary.result(), info: parser.info };
}
