import type { ChannelRecord, Nem12Event } from './records.js';
import type { Nem12Issue } from './issues.js';

/** What a Nem12Parser is given (its events and issues go to these callbacks), and what it counts. */
export interface ParserOptions {
  onEvent?: (event: Nem12Event) => void;
  onIssue?: (found: Nem12Issue) => void;
  /**
   * Parse a fragment of a file: bytes that start at a record boundary after the header, inside the
   * data stream `channel` (null before the first 200). Line numbers and offsets continue from the
   * whole file's. No header or end record is expected.
   */
  fragment?: { firstLine: number; firstOffset: number; channel: ChannelRecord | null };
  /**
   * Report a day repeated in the file (DUPLICATE_DAY; default true). Costs a set of days per stream:
   * a reader of bytes already validated (a loader's second pass) turns it off.
   */
  duplicateDays?: boolean;
  /** A line (or a hard-wrapped record) longer than this is rejected: bounded memory on garbage. Default 1 MiB. */
  maxLineBytes?: number;
}

/** Running counters, readable at any time (for progress). */
export interface ParserInfo {
  bytes: number;
  lines: number;
  records: number;
  days: number;
  readings: number;
  errors: number;
  warnings: number;
}
