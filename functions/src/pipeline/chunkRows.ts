import { fingerprint } from '../load/copyRows';
import { dayRecordRow } from '../load/dayRows';
import type { ChunkRows } from '../load/pipelineUploads';
import { DayRowDigester } from '../load/rowDigest';
import { renderDays } from '../source/parseStream';
import { PermanentFailure } from '../load/loadErrors';
import type { ChunkTask } from './taskPayloads';

/**
 * The COPY rows of one chunk's days, from the bytes of its range, and (once the rows are read) how
 * many readings they hold and their digest. Any error here is permanent: the split already validated the whole file,
 * so it means the data changed or a bug.
 */
export function chunkRows(
  bytes: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  task: ChunkTask,
  channelIds: Map<string, number>,
): ChunkRows {
  const rendered = new DayRowDigester();
  const { text, parser } = renderDays(
    bytes,
    (day) => {
      const channelId = channelIds.get(`${day.channel.nmi},${day.channel.suffix}`);
      if (channelId === undefined) throw new PermanentFailure('UNKNOWN_CHANNEL', `No channel for ${day.channel.nmi} ${day.channel.suffix} (line ${day.line}).`);
      return dayRecordRow(day, channelId, task.uploadId, fingerprint(day), rendered);
    },
    {
      fragment: { firstLine: task.firstLine, firstOffset: task.start, channel: task.channel },
      onIssue: (found) => {
        if (found.severity === 'error') throw new PermanentFailure(found.code, `Chunk ${task.chunk}, line ${found.line}: ${found.message}`);
      },
    },
  );
  return { text, readings: () => parser.info.readings, digest: () => rendered.digest };
}
