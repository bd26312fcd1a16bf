import { StreamDays } from './daySet.js';
import { resolveDayQuality } from './dayQuality.js';
import { decodeChannel, type ChannelMemory } from './decode/channel.js';
import { decodeDay, type DateCache, type OpenDay } from './decode/day.js';
import { decodeHeader } from './decode/header.js';
import { decodeManualRead } from './decode/manualRead.js';
import { decodeQualityRange } from './decode/qualityRange.js';
import { checkCharacters, fitFields, quote, reportNem13, type IssueReporter } from './fields.js';
import { issue, type IssueCode, type Nem12Issue } from './issues.js';
import { LineSplitter } from './lines.js';
import { RECORD_KINDS, RecordAssembler, type RawRecord } from './logicalRecords.js';
import type { ParserInfo, ParserOptions } from './parserOptions.js';
import type { ChannelRecord, Nem12Event } from './records.js';
import { dayNumber } from './time.js';

export type { ParserInfo, ParserOptions } from './parserOptions.js';

/**
 * Layer 3: the file's phase machine. `start` until the first record (a 100, or a 200 in files
 * without a header), `body` for data, `ended` after a 900 (a 100 may then start a concatenated
 * file), `aborted` once the file is given up (not NEM12, or another version).
 */
type Phase = 'start' | 'body' | 'ended' | 'aborted';

/**
 * A streaming push parser for NEM12. Feed it byte chunks split anywhere (`push`), then `end()`.
 * It emits one event per record, in order, and reports every problem as an issue; memory stays
 * bounded by the longest line whatever the file size. It knows nothing of files, streams or
 * databases: see `parseNem12` for whole buffers and `source/` for streams.
 *
 * Layers: bytes -> lines (lines.ts) -> logical records (logicalRecords.ts) -> this phase machine ->
 * one decoder per record type (decode/) -> a day's quality (dayQuality.ts).
 */
export class Nem12Parser implements IssueReporter {
  readonly info: ParserInfo = { bytes: 0, lines: 0, records: 0, days: 0, readings: 0, errors: 0, warnings: 0 };

  private readonly onEvent: (event: Nem12Event) => void;
  private readonly onIssue: (found: Nem12Issue) => void;
  private readonly fragment: boolean;
  private readonly lines: LineSplitter;
  private readonly records: RecordAssembler;

  private phase: Phase;
  private channel: ChannelRecord | null;
  /** True after a 200 that failed validation: its rows are skipped (the file is rejected anyway). */
  private channelFailed = false;
  private day: OpenDay | null = null;
  /** Days seen per stream (null when duplicate days are not looked for). */
  private readonly daysSeen: StreamDays | null;
  private readonly reported = new Set<IssueCode>();
  private readonly memory: ChannelMemory = { shortNmis: new Set() };
  private readonly dates: DateCache = { text: '', date: null };
  private nem13Reported = false;
  private previousKind = '';
  private ended = false;

  constructor(options: ParserOptions = {}) {
    this.onEvent = options.onEvent ?? (() => {});
    this.onIssue = options.onIssue ?? (() => {});
    const maxLineBytes = options.maxLineBytes ?? 1 << 20;
    this.fragment = options.fragment !== undefined;
    this.daysSeen = !this.fragment && options.duplicateDays !== false ? new StreamDays() : null;
    // A fragment that starts the file may open with its 100 header; later fragments start amid data.
    this.phase = this.fragment && options.fragment!.firstOffset > 0 ? 'body' : 'start';
    this.channel = options.fragment?.channel ?? null;
    this.records = new RecordAssembler(
      {
        record: (record) => this.takeRecord(record),
        issue: (code, line, message) => this.report(code, line, message),
        commasOf300: () => (this.channel === null ? null : this.channel.intervalCount + 6),
      },
      maxLineBytes,
    );
    this.lines = new LineSplitter(
      (line) => {
        this.info.lines = line.line;
        if (this.phase !== 'aborted') this.records.line(line);
      },
      { maxLineBytes, firstLine: options.fragment?.firstLine ?? 1, firstOffset: options.fragment?.firstOffset ?? 0 },
    );
    this.info.lines = this.lines.lines;
  }

  push(chunk: Uint8Array): void {
    if (this.ended) throw new Error('Nem12Parser.push() after end()');
    this.info.bytes += chunk.length;
    this.lines.push(chunk);
  }

  end(): void {
    if (this.ended) return;
    this.lines.end();
    if (this.phase !== 'aborted') this.records.flush();
    this.closeDay();
    this.ended = true;
    if (this.fragment || this.phase === 'aborted') return;
    if (this.info.records === 0) {
      this.report('EMPTY_FILE', 0, this.info.bytes === 0 ? 'The file is empty (0 bytes).' : 'The file holds no records.');
      return;
    }
    if (this.phase !== 'ended') {
      this.report('MISSING_END', this.info.lines, 'The file ends without a 900 end record: it may be truncated.');
    }
    if (this.info.days === 0 && this.info.errors === 0) {
      this.report('NO_INTERVAL_DATA', 0, 'The file holds no interval data (no 300 records).');
    }
  }

  report(code: IssueCode, line: number, message: string): void {
    const found = issue(code, line, message);
    if (found.severity === 'error') this.info.errors++;
    else this.info.warnings++;
    this.onIssue(found);
  }

  once(code: IssueCode, line: number, message: string): void {
    if (this.reported.has(code)) return;
    this.reported.add(code);
    this.report(code, line, message);
  }

  private takeRecord(record: RawRecord): void {
    if (this.phase === 'aborted') return;
    this.info.records++;
    if (record.invalidUtf8) {
      this.report('INVALID_ENCODING', record.line, 'Bytes that are not UTF-8 were read as U+FFFD (\uFFFD); a field may not say what the file meant.');
    }
    // 300 rows are most of a file: recognised without slicing, and split by their decoder only.
    const is300 = record.text.startsWith('300,');
    const comma = record.text.indexOf(',');
    const kind = is300 ? '300' : comma < 0 ? record.text : record.text.slice(0, comma);
    const previousKind = this.previousKind;
    this.previousKind = kind;
    // A 100 belongs first in the file, or first after a 900 (files concatenated by portals).
    const headerAllowed = this.phase === 'start' || this.phase === 'ended';

    if (this.phase === 'start') {
      if (!RECORD_KINDS.has(kind)) {
        this.abort('NOT_NEM12', record.line, 'The file does not start with a NEM12 record (100 header or 200 data stream).');
        return;
      }
      this.phase = 'body';
      if (kind === '250' || kind === '550') {
        reportNem13(record.line, this, `a ${kind} record`);
        this.abort();
        return;
      }
      if (kind !== '100' && !this.fragment) this.report('MISSING_HEADER', record.line, 'The file has no 100 header record; read as NEM12.');
    } else if (this.phase === 'ended') {
      this.phase = 'body';
      this.report('RECORD_AFTER_END', record.line, 'Records continue after a 900 end record; read as a concatenated file.');
    }

    if (kind !== '400') this.closeDay();
    if (kind === '300') {
      this.openDay(record);
      return;
    }
    if (!checkCharacters(record.text, 0, RECORD_KINDS.has(kind) ? kind : `The ${quote(kind)}`, record.line, this)) {
      if (kind === '200') this.rejectChannel();
      return;
    }
    const fields = record.text.split(',');
    switch (kind) {
      case '100':
        return this.header(fields, record, headerAllowed);
      case '200':
        return this.openChannel(fields, record);
      case '400':
        return this.qualityRange(fields, record, previousKind);
      case '500':
        return this.manualRead(fields, record);
      case '900':
        if (fitFields(fields, '900', 1, 1, record.line, this) === null) return;
        this.phase = 'ended';
        this.channel = null;
        this.channelFailed = false;
        this.onEvent({ type: 'end', line: record.line, offset: record.offset });
        return;
      case '250':
      case '550':
        if (!this.nem13Reported) {
          this.nem13Reported = true;
          reportNem13(record.line, this, `a ${kind} record amid NEM12 data: NEM12 and NEM13 cannot be mixed`);
        }
        return;
      default:
        this.report('UNKNOWN_RECORD', record.line, `Unknown record indicator ${quote(kind)}.`);
    }
  }

  private header(fields: string[], record: RawRecord, allowed: boolean): void {
    if (!allowed) {
      this.report('UNEXPECTED_HEADER', record.line, 'A 100 header record in the middle of the data.');
      return;
    }
    const header = decodeHeader(fields, record, this);
    if (header === null) return;
    if (header.type === 'wrongVersion') {
      if (header.code === 'NEM13_NOT_SUPPORTED') reportNem13(record.line, this, header.message);
      else this.report(header.code, record.line, header.message);
      this.abort();
      return;
    }
    this.onEvent(header);
  }

  private rejectChannel(): void {
    this.channel = null;
    this.channelFailed = true;
  }

  private openChannel(fields: string[], record: RawRecord): void {
    this.rejectChannel();
    const channel = decodeChannel(fields, record, this, this.memory);
    if (channel === null) return;
    this.channelFailed = false;
    this.channel = channel;
    this.daysSeen?.open(channel.nmi, channel.suffix);
    this.onEvent(channel);
  }

  private openDay(record: RawRecord): void {
    const channel = this.channel;
    this.day = null;
    if (channel === null) {
      if (!this.channelFailed) this.report('ORPHAN_INTERVAL_DATA', record.line, '300 record without a 200 data stream record before it.');
      return;
    }
    const day = decodeDay(record, channel, this, this.dates);
    if (day === null) return;
    const { date } = day.record;
    if (date !== '' && this.daysSeen !== null && !this.daysSeen.add(dayNumber(date))) {
      this.report(
        'DUPLICATE_DAY',
        record.line,
        `${channel.nmi} ${channel.suffix} ${date} appears again in this file; the newer UpdateDateTime wins, and on a tie the later row.`,
      );
    }
    this.day = day;
  }

  private qualityRange(fields: string[], record: RawRecord, previousKind: string): void {
    const day = this.day;
    if (day === null) {
      // After a 300 that failed (already reported) the 400s have nothing to apply to: skip quietly.
      if (previousKind !== '300' && previousKind !== '400' && !this.channelFailed) {
        this.report('ORPHAN_QUALITY_RANGE', record.line, '400 record without a 300 record before it.');
      }
      return;
    }
    day.record.text += `\n${record.text}`;
    const { intervalCount, intervalLength } = day.record.channel;
    const range = decodeQualityRange(fields, record, intervalCount, intervalLength, this);
    if (range === null) {
      day.failed = true;
      return;
    }
    day.ranges.push(range);
    day.rangeLines.push(record.line);
  }

  /** Resolves the open day's quality (300 flag + 400 ranges) and emits it. */
  private closeDay(): void {
    const day = this.day;
    if (day === null) return;
    this.day = null;
    if (day.failed) return;
    const quality = resolveDayQuality(day, this);
    if (quality === null) return;
    day.record.quality = quality;
    this.info.days++;
    this.info.readings += day.record.readingCount;
    this.onEvent(day.record);
  }

  private manualRead(fields: string[], record: RawRecord): void {
    const channel = this.channel;
    if (channel === null) {
      if (!this.channelFailed) this.report('INVALID_MANUAL_READ', record.line, '500 record without a 200 data stream record before it; ignored.');
      return;
    }
    const read = decodeManualRead(fields, record, channel, this);
    if (read !== null) this.onEvent(read);
  }

  private abort(code?: IssueCode, line = 0, message = ''): void {
    if (code !== undefined) this.report(code, line, message);
    this.phase = 'aborted';
    this.day = null;
    this.records.discard();
  }
}
