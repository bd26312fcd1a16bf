import { expansionOf } from '../source/decompress';
import { inspect } from '../source/inspect';
import { checkText } from './checkText';
import { channelJson, issuesJson } from './format';
import { EXIT } from './failure';
import { inputFile } from './inputFile';
import { ProgressBar } from './progress';

export async function checkCommand(positionals: string[], values: Record<string, unknown>): Promise<number> {
  const file = inputFile(positionals[0]);
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
    process.stdout.write(checkText(file.name, result, values.channels === true));
  }
  return result.ok ? EXIT.ok : EXIT.rejected;
}
