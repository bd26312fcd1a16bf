import { issue, IssueLog, Nem12Parser, SummaryBuilder, type FileSummary, type Nem12Event, type Nem12Issue, type ParserInfo } from '../nem12';
import { decompress, InputError, type ExpansionLimit } from './decompress';
import { FileChangedError } from './localFile';

export interface Inspection {
  ok: boolean;
  issues: IssueLog;
  summary: FileSummary;
  info: ParserInfo;
}

/** Parses a whole (possibly compressed) file: validation, issues and summary, nothing stored. */
export async function inspect(
  input: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: { onEvent?: (event: Nem12Event) => void; onChunk?: (info: ParserInfo) => void; limit?: ExpansionLimit } = {},
): Promise<Inspection> {
  const issues = new IssueLog();
  const summary = new SummaryBuilder();
  const parser = new Nem12Parser({
    onEvent: (event) => {
      if (event.type === 'day') summary.addDay(event);
      options.onEvent?.(event);
    },
    onIssue: issues.add,
  });
  try {
    for await (const chunk of decompress(input, { limit: options.limit })) {
      parser.push(chunk);
      options.onChunk?.(parser.info);
    }
    parser.end();
  } catch (error) {
    issues.add(issueOf(error));
  }
  return { ok: issues.ok, issues, summary: summary.result(), info: parser.info };
}

/** An unreadable archive (or a file that changed while read) as an issue of the file; anything else is not the file's fault: rethrown. */
export function issueOf(error: unknown): Nem12Issue {
  if (error instanceof InputError || error instanceof FileChangedError) return issue(error.code, 0, error.message);
  throw error;
}
