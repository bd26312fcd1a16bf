import type { ChannelRecord, Nem12Event } from 'nem12';

/** A byte range of the NEM12 data that parses on its own, given the data stream it starts in. */
export interface ChunkPlan {
  chunk: number;
  /** Byte offsets in the (decompressed) data: [start, end). */
  start: number;
  end: number;
  /** Line number of the first line of the range. */
  firstLine: number;
  /** The 200 record in force where the range starts (null when it starts before any, or with a 200). */
  channel: ChannelRecord | null;
}

/**
 * Cuts a file into chunks of about `targetBytes` at record boundaries, from the parser's events as
 * it streams: only before a 200 or a 300 record, so a 300 and its 400 rows (and any hard-wrapped
 * continuation lines) always stay together, and each chunk carries the 200 context it needs.
 */
export class ChunkPlanner {
  private readonly chunks: ChunkPlan[] = [];
  private start = 0;
  private firstLine = 1;
  private startChannel: ChannelRecord | null = null;
  private channel: ChannelRecord | null = null;

  constructor(private readonly targetBytes: number) {}

  onEvent = (event: Nem12Event): void => {
    if (event.type === 'channel' || event.type === 'day') {
      if (event.offset - this.start >= this.targetBytes) {
        this.cut(event.offset, event.line, event.type === 'day' ? event.channel : null);
      }
    }
    if (event.type === 'channel') this.channel = event;
    else if (event.type === 'end') this.channel = null;
  };

  /** The plan, once the whole file has been parsed (`totalBytes` = its decompressed size). */
  finish(totalBytes: number): ChunkPlan[] {
    this.chunks.push({ chunk: this.chunks.length, start: this.start, end: totalBytes, firstLine: this.firstLine, channel: this.startChannel });
    return this.chunks;
  }

  private cut(offset: number, line: number, channel: ChannelRecord | null): void {
    this.chunks.push({ chunk: this.chunks.length, start: this.start, end: offset, firstLine: this.firstLine, channel: this.startChannel });
    this.start = offset;
    this.firstLine = line;
    this.startChannel = channel;
  }
}
