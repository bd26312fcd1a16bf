/**
 * The NEM12 core: pure TypeScript, no I/O. Parse bytes into records and issues, summarise them, and
 * render the Flo SQL. Everything that touches files, databases or Firebase lives outside this folder.
 */
import { IssueLog } from './issues';
import { Nem12Parser, type ParserInfo } from './parser';
import type { DayRecord, Nem12Event } from './records';
import { SummaryBuilder, type FileSummary } from './summary';

export * from './issues';
export * from './records';
export * from './parser';
export * from './summary';
export * from './readings';
export * from './decimal';
export * from './time';
export * from './units';
export * from './floSql';
export * from './dayRevision';

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
