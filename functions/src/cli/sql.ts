import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { IssueLog } from 'nem12';
import { FloSqlWriter } from '../days';
import { decompress, expansionOf } from '../source/decompress';
import { issueOf } from '../source/inspect';
import type { LocalFile } from '../source/localFile';
import { renderDays } from '../source/parseStream';
import { describeIssues } from './format';
import { EXIT } from './failure';
import { inputFile } from './inputFile';
import { ProgressBar } from './progress';

/** Streams the Flo SQL of a file; a rejected file leaves no output file (stdout gets no COMMIT). */
export async function sqlCommand(positionals: string[], values: Record<string, unknown>): Promise<number> {
  const file = inputFile(positionals[0]);
  const output = typeof values.output === 'string' ? values.output : null;
  const issues = new IssueLog();
  const progress = new ProgressBar(`sql ${file.name}`);
  const sql = floSql(file, issues, () => progress.update(file.bytesRead, file.size));

  const partial = output === null ? null : `${output}.partial`;
  const sink = partial === null ? process.stdout : createWriteStream(partial);
  try {
    const text = Readable.from(sql);
    if (output?.endsWith('.gz')) await pipeline(text, createGzip({ level: 1 }), sink);
    else await pipeline(text, sink, { end: partial !== null });
  } catch (error) {
    if (partial) rmSync(partial, { force: true });
    throw error;
  } finally {
    progress.done();
  }
  if (!issues.ok) {
    if (partial) rmSync(partial, { force: true });
    process.stderr.write(`${file.name}: REJECTED, no SQL written\n${describeIssues(issues)}\n`);
    return EXIT.rejected;
  }
  if (partial && output) renameSync(partial, output);
  if (issues.warningCount > 0) process.stderr.write(`${file.name}: ${issues.warningCount} warning(s)\n${describeIssues(issues)}\n`);
  return EXIT.ok;
}

async function* floSql(file: LocalFile, issues: IssueLog, tick: () => void): AsyncGenerator<string> {
  const writer = new FloSqlWriter({ sourceName: file.name });
  yield writer.drain();
  const { text } = renderDays(decompress(file.open(), { limit: expansionOf(file.size) }), (day) => {
    writer.addDay(day);
    return writer.drain();
  }, { onIssue: issues.add });
  try {
    for await (const part of text) {
      tick();
      if (issues.ok) yield part;
    }
  } catch (error) {
    issues.add(issueOf(error));
  }
  // Without the closing statements the transaction never commits: a rejected file loads nothing.
  if (issues.ok) yield writer.finish();
  else yield '-- The NEM12 file was rejected: this SQL is incomplete and commits nothing.\n';
}
