import { expansionOf } from '../source/decompress';
import { LocalFile } from '../source/localFile';
import { inspect } from '../source/inspect';
import { channelJson, channelTable, describeIssues, issuesJson } from './format';
import { EXIT } from './failure';
import { UsageError } from './main';
import { ProgressBar } from './progress';

export async function checkCommand(positionals: string[], values: Record<string, unknown>): Promise<number> {
  if (positionals.length !== 1) throw new UsageError('check takes exactly one FILE');
  const file = new LocalFile(positionals[0]);
  const progress = new ProgressBar(`checking ${file.name}`);
  const result = await inspect(file.open(), { onChunk: () => progress.update(file.bytesRead, file.size), limit: expansionOf(file.size) });
  progress.done();
  const { summary, issues } = result;

  if (values.json) {
    process.stdout.write(
      `${JSON.stringify({
        ok: result.ok,
        file: file.name,
        readings: summary.readings,
        firstDate: summary.firstDate,
        lastDate: summary.lastDate,
        quality: summary.quality,
        channels: summary.channels.map(channelJson),
        ...issuesJson(issues),
      })}\n`,
    );
  } else {
    const verdict = result.ok ? 'loadable' : 'REJECTED';
    const counts = `${issues.errorCount} error(s), ${issues.warningCount} warning(s)`;
    const lines = [`${file.name}: ${verdict}, ${summary.readings} readings in ${summary.channels.length} channel(s), ${counts}`];
    if (summary.firstDate) lines.push(`  days ${summary.firstDate} to ${summary.lastDate}`);
    if (summary.channels.length > 0) lines.push(channelTable(summary.channels));
    const described = describeIssues(issues);
    if (described) lines.push(described);
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  return result.ok ? EXIT.ok : EXIT.rejected;
}
