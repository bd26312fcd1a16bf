import { readingRows } from '../load/copyRows';
import { renderDays } from '../source/parseStream';
import { PermanentFailure } from './permanentFailure';
import type { ChunkTask } from './taskPayloads';

/**
 * The COPY rows of one chunk's readings, from the bytes of its range. Any error here is permanent:
 * the split already validated the whole file, so it means the data changed or a bug.
 */
export function chunkRows(bytes: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, task: ChunkTask, channelIds: Map<string, number>): AsyncIterable<string> {
  const { text } = renderDays(
    bytes,
    (day) => {
      const channelId = channelIds.get(`${day.channel.nmi},${day.channel.suffix}`);
      if (channelId === undefined) throw new PermanentFailure('UNKNOWN_CHANNEL', `No channel for ${day.channel.nmi} ${day.channel.suffix} (line ${day.line}).`);
      return readingRows(day, channelId, task.dbId);
    },
    {
      fragment: { firstLine: task.firstLine, firstOffset: task.start, channel: task.channel },
      onIssue: (found) => {
        if (found.severity === 'error') throw new PermanentFailure(found.code, `Chunk ${task.chunk}, line ${found.line}: ${found.message}`);
      },
    },
  );
  return text;
}
