import { issue, IssueLog, Nem12Parser, SummaryBuilder, type FileSummary, type Nem12Event, type Nem12Issue, type ParserInfo } from 'nem12';
import { InputError } from './archive';

// Pure (no Node modules): the page runs the same inspection on a file before it sends it.

export interface Inspection {
  ok: boolean;
  issues: IssueLog;
  summary: FileSummary;
  info: ParserInfo;
}

/**
 * Parses the NEM12 bytes of a whole file, as they come out of its decompression (`decompress` or
 * `decompressWith`): validation, issues and summary, nothing stored. An archive that cannot be read
 * on is the file's issue.
 */
export async function inspectBytes(
  bytes: AsyncIterable<Uint8Array>,
  options: { onEvent?: (event: Nem12Event) => void; onChunk?: (info: ParserInfo) => void } = {},
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
    for await (const chunk of bytes) {
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
  if (error instanceof InputError) return issue(error.code, 0, error.message);
  throw error;
}
