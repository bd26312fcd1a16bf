import { DaySet } from './daySet';
import { isDecimal } from './decimal';
import { issue, type IssueCode, type Nem12Issue } from './issues';
import { parseQualityMethod, requiresMethod } from './quality';
import { DayRecord, type ChannelRecord, type Nem12Event, type QualityFlag, type QualityRange } from './records';
import { isNemDateTime, nemDateDayNumber, parseNemDate, parseNemDateTime } from './time';
import { kwhFactorOf } from './units';

export interface ParserOptions {
  onEvent?: (event: Nem12Event) => void;
  onIssue?: (found: Nem12Issue) => void;
  /**
   * Parse a fragment of a file: bytes that start at a record boundary after the header, inside the
   * data stream `channel` (null before the first 200). Line numbers and offsets continue from the
   * whole file's. No header or end record is expected.
   */
  fragment?: { firstLine: number; firstOffset: number; channel: ChannelRecord | null };
  /** A line longer than this is rejected (bounded memory on garbage input). Default 1 MiB. */
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

/** One logical record: a physical line plus any hard-wrapped continuation lines. */
interface RawRecord {
  text: string;
  line: number;
  offset: number;
  continuationLines: number;
}

/** A 300 row waiting for its 400 rows. */
interface OpenDay {
  record: DayRecord;
  base: { flag: QualityFlag | 'V'; method: number | null; reasonCode: number | null; reasonDescription: string };
  ranges: QualityRange[];
  rangeLines: number[];
  failed: boolean;
}

type Phase = 'start' | 'body' | 'ended' | 'aborted';

const LF = 10;
const NO_FIELDS: string[] = [];
const RECORD_KINDS = new Set(['100', '200', '250', '300', '400', '500', '550', '900']);
const ONLY_COMMAS = /^[,\s]*$/;
const RESUMES_300 = /^300,\s*\d{8}\s*(?:,|$)/;
const RESUMES_400 = /^400,\s*\d+\s*,\s*\d+\s*(?:,|$)/;
const NMI = /^[A-Za-z0-9]{1,10}$/;
const SUFFIX = /^[A-Za-z][A-Za-z0-9]$/;
const REASON_CODE = /^\d{1,3}$/;
const STANDARD_INTERVALS = new Set([5, 15, 30]);
/** Fields a well-formed record has, beyond which empty fields are padding. */
const FIELD_COUNT: Record<string, number> = { '100': 5, '200': 10, '400': 6, '500': 5, '900': 1 };

/**
 * A streaming push parser for NEM12. Feed it byte chunks split anywhere (`push`), then `end()`.
 * It emits one event per record, in order, and reports every problem as an issue; memory stays
 * bounded by the longest line whatever the file size. It knows nothing of files, streams or
 * databases: see `parseNem12` for whole buffers and `source/` for streams.
 */
export class Nem12Parser {
  readonly info: ParserInfo = { bytes: 0, lines: 0, records: 0, days: 0, readings: 0, errors: 0, warnings: 0 };

  private readonly onEvent: (event: Nem12Event) => void;
  private readonly onIssue: (found: Nem12Issue) => void;
  private readonly fragment: boolean;
  private readonly maxLineBytes: number;
  private readonly decoder = new TextDecoder('utf-8');

  private phase: Phase;
  private position: number;
  private carry: Uint8Array | null = null;
  private carryLength = 0;
  private carryOffset = 0;
  /** The line being carried is already longer than maxLineBytes. */
  private carryOverflow = false;
  private pending: RawRecord | null = null;
  private channel: ChannelRecord | null;
  /** True after a 200 that failed validation: its rows are skipped (the file is rejected anyway). */
  private channelFailed = false;
  private day: OpenDay | null = null;
  private channelDays: DaySet | null = null;
  private readonly daysSeen = new Map<string, DaySet>();
  private readonly reported = new Set<IssueCode>();
  private nem13Reported = false;
  private readonly shortNmis = new Set<string>();
  private previousKind = '';
  private lastDateText = '';
  private lastDate: string | null = null;
  private ended = false;

  constructor(options: ParserOptions = {}) {
    this.onEvent = options.onEvent ?? (() => {});
    this.onIssue = options.onIssue ?? (() => {});
    this.maxLineBytes = options.maxLineBytes ?? 1 << 20;
    this.fragment = options.fragment !== undefined;
    // A fragment that starts the file may open with its 100 header; later fragments start amid data.
    this.phase = this.fragment && options.fragment!.firstOffset > 0 ? 'body' : 'start';
    this.position = options.fragment?.firstOffset ?? 0;
    this.info.lines = options.fragment ? options.fragment.firstLine - 1 : 0;
    this.channel = options.fragment?.channel ?? null;
  }

  push(chunk: Uint8Array): void {
    if (this.ended) throw new Error('Nem12Parser.push() after end()');
    this.info.bytes += chunk.length;
    const base = this.position; // absolute offset of chunk[0]
    this.position += chunk.length;
    let start = 0;
    if (this.carry !== null) {
      const newline = chunk.indexOf(LF);
      this.appendCarry(newline < 0 ? chunk : chunk.subarray(0, newline));
      if (newline < 0) return;
      this.takeCarry();
      start = newline + 1;
    }
    const last = chunk.lastIndexOf(LF);
    if (last >= start) {
      this.takeLines(chunk, start, last, base);
      start = last + 1;
    }
    if (start < chunk.length) {
      this.carryOffset = base + start;
      this.appendCarry(chunk.subarray(start));
    }
  }

  end(): void {
    if (this.ended) return;
    if (this.carry !== null) this.takeCarry();
    this.flushPending();
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

  // ---- lines ------------------------------------------------------------------------------

  /** Keeps the start of a line that continues in the next chunk. */
  private appendCarry(bytes: Uint8Array): void {
    if (this.carry === null) {
      this.carry = new Uint8Array(Math.max(256, bytes.length * 2));
      this.carryLength = 0;
      this.carryOverflow = false;
    }
    if (this.carryOverflow || this.carryLength + bytes.length > this.maxLineBytes) {
      this.carryOverflow = true; // keep counting, drop the content: reported when the line ends
      return;
    }
    if (this.carryLength + bytes.length > this.carry.length) {
      const grown = new Uint8Array(Math.max(this.carry.length * 2, this.carryLength + bytes.length));
      grown.set(this.carry.subarray(0, this.carryLength));
      this.carry = grown;
    }
    this.carry.set(bytes, this.carryLength);
    this.carryLength += bytes.length;
  }

  private takeCarry(): void {
    const line = this.carry!.subarray(0, this.carryLength);
    this.carry = null;
    this.takeLine(line, this.carryOffset, this.carryOverflow);
  }

  /** Complete lines `chunk[start..end)` (`end` is the last LF), decoded in one go when possible. */
  private takeLines(chunk: Uint8Array, start: number, end: number, base: number): void {
    const text = this.decoder.decode(chunk.subarray(start, end));
    if (text.length === end - start) {
      // One character per byte (plain ASCII): string positions are byte offsets.
      let from = 0;
      let newline: number;
      while ((newline = text.indexOf('\n', from)) >= 0) {
        this.takeText(text.slice(from, newline), base + start + from, newline - from);
        from = newline + 1;
      }
      this.takeText(text.slice(from), base + start + from, text.length - from);
      return;
    }
    // Multi-byte characters (or a byte-order mark): decode line by line to keep byte offsets exact.
    for (let at = start; at <= end; ) {
      const newline = chunk.indexOf(LF, at);
      this.takeLine(chunk.subarray(at, newline), base + at, false);
      at = newline + 1;
    }
  }

  private takeLine(bytes: Uint8Array, offset: number, tooLong: boolean): void {
    if (tooLong) {
      this.takeText('', offset, this.maxLineBytes + 1);
      return;
    }
    this.takeText(this.decoder.decode(bytes), offset, bytes.length);
  }

  /** One physical line (without its LF), `byteLength` bytes long in the file. */
  private takeText(raw: string, offset: number, byteLength: number): void {
    const line = ++this.info.lines;
    if (this.phase === 'aborted') return;
    if (byteLength > this.maxLineBytes) {
      this.flushPending();
      this.report('LINE_TOO_LONG', line, `Line is longer than ${this.maxLineBytes} bytes: not a NEM12 record.`);
      return;
    }
    const text = raw.charCodeAt(raw.length - 1) === 13 ? raw.slice(0, -1) : raw; // CRLF

    if (ONLY_COMMAS.test(text)) {
      this.flushPending();
      if (text.length === 0 || text.trim().length === 0) this.report('BLANK_LINE', line, 'Blank line ignored.');
      else this.report('EMPTY_ROW', line, 'Row of empty fields ignored.');
      return;
    }
    if (this.pending !== null && !startsRecord(text) && this.isIncomplete300(this.pending)) {
      // A row cut by a hard line break (even inside a number): the rest continues it verbatim.
      this.pending.text += text;
      this.pending.continuationLines++;
      return;
    }
    this.flushPending();
    if ((this.phase as Phase) === 'aborted') return;
    this.pending = { text, line, offset, continuationLines: 0 };
  }

  /** Only 300 rows are long enough to be hard-wrapped: one with too few fields may continue. */
  private isIncomplete300(record: RawRecord): boolean {
    if (this.channel === null || !record.text.startsWith('300,')) return false;
    let commas = 0;
    for (let at = record.text.indexOf(','); at >= 0; at = record.text.indexOf(',', at + 1)) commas++;
    return commas < this.channel.intervalCount + 6;
  }

  private flushPending(): void {
    const record = this.pending;
    if (record === null) return;
    this.pending = null;
    if (record.continuationLines > 0) {
      this.report(
        'HARD_WRAPPED_ROW',
        record.line,
        `Record continues over ${record.continuationLines + 1} lines (lines ${record.line}-${record.line + record.continuationLines}); joined.`,
      );
    }
    this.info.records++;
    this.handleRecord(record);
  }

  // ---- records ----------------------------------------------------------------------------

  private handleRecord(record: RawRecord): void {
    // 300 rows are most of a file: they are recognised without slicing and split only as far as needed (see openDay).
    const is300 = record.text.startsWith('300,');
    const comma = record.text.indexOf(',');
    const kind = is300 ? '300' : (comma < 0 ? record.text : record.text.slice(0, comma)).trim();
    const fields = is300 ? NO_FIELDS : record.text.split(',');
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
        this.abort('NEM13_NOT_SUPPORTED', record.line, 'This is a NEM13 (accumulation meter) file: only NEM12 interval data can be loaded.');
        return;
      }
      if (kind !== '100' && !this.fragment) this.report('MISSING_HEADER', record.line, 'The file has no 100 header record; read as NEM12.');
    } else if (this.phase === 'ended') {
      this.phase = 'body';
      this.report('RECORD_AFTER_END', record.line, 'Records continue after a 900 end record; read as a concatenated file.');
    }

    if (kind !== '400') this.closeDay();
    const padding = FIELD_COUNT[kind];
    if (padding !== undefined) this.checkPadding(fields, padding, record.line);

    switch (kind) {
      case '100':
        return this.header(fields, record, headerAllowed);
      case '200':
        return this.openChannel(fields, record);
      case '300':
        return this.openDay(record);
      case '400':
        return this.qualityRange(fields, record, previousKind);
      case '500':
        return this.manualRead(fields, record);
      case '900':
        this.phase = 'ended';
        this.channel = null;
        this.channelFailed = false;
        this.onEvent({ type: 'end', line: record.line, offset: record.offset });
        return;
      case '250':
      case '550':
        if (!this.nem13Reported) {
          this.nem13Reported = true;
          this.report('NEM13_NOT_SUPPORTED', record.line, `Record ${kind} is NEM13 (accumulation data): NEM12 and NEM13 cannot be mixed.`);
        }
        return;
      default:
        this.report('UNKNOWN_RECORD', record.line, `Unknown record indicator "${truncate(kind)}".`);
    }
  }

  private header(fields: string[], record: RawRecord, allowed: boolean): void {
    if (!allowed) {
      this.report('UNEXPECTED_HEADER', record.line, 'A 100 header record in the middle of the data.');
      return;
    }
    const version = (fields[1] ?? '').trim().toUpperCase();
    if (version === 'NEM13') {
      this.abort('NEM13_NOT_SUPPORTED', record.line, 'This is a NEM13 (accumulation meter) file: only NEM12 interval data can be loaded.');
      return;
    }
    if (version !== 'NEM12') {
      this.abort('UNSUPPORTED_VERSION', record.line, `Header version is "${truncate(fields[1] ?? '')}", expected NEM12.`);
      return;
    }
    const createdText = (fields[2] ?? '').trim();
    const createdAt = /^\d{12}$/.test(createdText) && parseNemDateTime(createdText) !== null ? createdText : null;
    if (createdAt === null) {
      this.report('INVALID_HEADER_DATETIME', record.line, `Header DateTime "${truncate(createdText)}" is not CCYYMMDDhhmm (an Excel-mangled file?); ignored.`);
    }
    this.onEvent({
      type: 'header',
      line: record.line,
      offset: record.offset,
      version: 'NEM12',
      createdAt,
      fromParticipant: (fields[3] ?? '').trim(),
      toParticipant: (fields[4] ?? '').trim(),
    });
  }

  private openChannel(fields: string[], record: RawRecord): void {
    this.channel = null;
    this.channelFailed = true;
    const line = record.line;
    if (fields.length < 9) {
      this.report('TOO_FEW_FIELDS', line, `200 record has ${fields.length} fields; at least 9 are needed (up to IntervalLength).`);
      return;
    }
    const nmi = fields[1].trim();
    const suffix = fields[4].trim().toUpperCase();
    const uom = fields[7].trim();
    const lengthText = fields[8].trim();
    let ok = true;
    if (!NMI.test(nmi)) {
      ok = false;
      this.report('INVALID_NMI', line, `NMI "${truncate(nmi)}" is not 1-10 letters and digits.`);
    } else if (nmi.length !== 10 && !this.shortNmis.has(nmi)) {
      this.shortNmis.add(nmi);
      this.report('NMI_NOT_10_CHARACTERS', line, `NMI "${nmi}" has ${nmi.length} characters, not 10; kept as written.`);
    }
    if (!SUFFIX.test(suffix)) {
      ok = false;
      this.report('INVALID_SUFFIX', line, `NMISuffix "${truncate(fields[4])}" is not a letter and a letter or digit (E1, B1, Q1 ...).`);
    }
    const intervalLength = /^\d{1,4}$/.test(lengthText) ? +lengthText : NaN;
    if (!(intervalLength > 0 && 1440 % intervalLength === 0)) {
      ok = false;
      this.report('INVALID_INTERVAL_LENGTH', line, `IntervalLength "${truncate(lengthText)}" does not divide a day into whole minutes intervals (5, 15 or 30).`);
    } else if (!STANDARD_INTERVALS.has(intervalLength)) {
      this.report('NON_STANDARD_INTERVAL_LENGTH', line, `IntervalLength ${intervalLength} is not 5, 15 or 30 minutes; read as ${1440 / intervalLength} values a day.`);
    }
    if (uom === '') this.report('MISSING_UNIT', line, 'UOM is empty: values are kept without a unit and never counted as kWh.');
    if (!ok) return;
    this.channelFailed = false;
    this.channel = {
      type: 'channel',
      line,
      offset: record.offset,
      nmi,
      nmiConfiguration: fields[2].trim(),
      registerId: fields[3].trim(),
      suffix,
      mdmDataStreamId: fields[5].trim(),
      meterSerialNumber: fields[6].trim(),
      uom,
      kwhFactor: kwhFactorOf(uom),
      intervalLength,
      intervalCount: 1440 / intervalLength,
      nextScheduledReadDate: (fields[9] ?? '').trim() || null,
    };
    if (!this.fragment) {
      // Days seen per data stream (NMI + suffix), across all its 200 blocks: finds duplicate days.
      const key = `${nmi},${suffix}`;
      this.channelDays = this.daysSeen.get(key) ?? null;
      if (this.channelDays === null) this.daysSeen.set(key, (this.channelDays = new DaySet()));
    }
    this.onEvent(this.channel);
  }

  private openDay(record: RawRecord): void {
    const channel = this.channel;
    const line = record.line;
    this.day = null;
    if (channel === null) {
      if (!this.channelFailed) this.report('ORPHAN_INTERVAL_DATA', line, '300 record without a 200 data stream record before it.');
      return;
    }
    const count = channel.intervalCount;
    const text = record.text;
    const stream = (): string => `${channel.nmi} ${channel.suffix}`;
    let failed = false;
    let dateText = '';
    let values: (string | null)[] | string = '';
    // After the values: QualityMethod, ReasonCode, ReasonDescription, UpdateDateTime, MSATSLoadDateTime.
    let tail: string[] = [];

    const pattern = rowPattern(count);
    pattern.lastIndex = 0;
    let fast = pattern.test(text);
    if (fast) {
      // Fast path: date and every value well-formed and non-empty, checked by one compiled regex.
      // The values stay one string, split only when a consumer asks (DayRecord.values).
      dateText = text.slice(4, 12);
      values = text.slice(13, pattern.lastIndex - 1);
      tail = this.withoutPadding(splitFrom(text, pattern.lastIndex), line);
      fast = tail.length <= 5 && parseQualityMethod(tail[0].trim()) !== null;
    }
    if (!fast) {
      const fields = text.split(',');
      dateText = fields[1].trim();
      const written = countValues(fields, count);
      if (written !== count) {
        this.report(
          'VALUE_COUNT_MISMATCH',
          line,
          `${stream()}: the 300 record has ${written} interval values; IntervalLength ${channel.intervalLength} (line ${channel.line}) needs ${count}.`,
        );
        return;
      }
      tail = this.withoutPadding(fields.slice(count + 2), line);
      const checked = this.checkValues(fields, count, line, () => `${stream()} ${dateText}`);
      if (checked === null) failed = true;
      values = checked ?? [];
    }

    const qualityText = (tail[0] ?? '').trim();
    if (tail.length > 5) {
      this.report('TOO_MANY_FIELDS', line, `${stream()}: the 300 record has ${tail.length - 5} field(s) of data after MSATSLoadDateTime.`);
      return;
    }
    const quality = parseQualityMethod(qualityText);
    if (quality === null) {
      if (qualityText === '') this.report('TOO_FEW_FIELDS', line, `${stream()}: the 300 record ends after its values: QualityMethod is missing.`);
      else this.report('INVALID_QUALITY', line, `${stream()}: QualityMethod "${truncate(qualityText)}" is not A, E, F, S, N or V with an optional 2-digit method.`);
      return;
    }
    if (tail.length < 5) {
      this.once('MISSING_TRAILING_FIELDS', line, `300 records without their trailing fields (first at line ${line}); missing UpdateDateTime/MSATSLoadDateTime read as empty.`);
    }

    const date = dateText === this.lastDateText ? this.lastDate : parseNemDate(dateText);
    this.lastDateText = dateText;
    this.lastDate = date;
    if (date === null) {
      failed = true;
      this.report('INVALID_DATE', line, `${stream()}: IntervalDate "${truncate(dateText)}" is not a valid CCYYMMDD date.`);
    }
    if (quality.method === null && requiresMethod(quality.flag)) {
      this.report('QUALITY_METHOD_MISSING', line, `${stream()}: quality ${quality.flag} should carry a 2-digit method number; stored without one.`);
    }
    const reasonText = (tail[1] ?? '').trim();
    let reasonCode: number | null = null;
    if (reasonText !== '') {
      if (quality.flag === 'V') {
        this.report('REASON_CODE_ON_VARIABLE_DAY', line, `${stream()}: ReasonCode "${truncate(reasonText)}" on a V (variable) row is ignored; the 400 rows give reasons.`);
      } else if (REASON_CODE.test(reasonText)) {
        reasonCode = +reasonText;
      } else {
        this.report('INVALID_REASON_CODE', line, `${stream()}: ReasonCode "${truncate(reasonText)}" is not a number; stored without one.`);
      }
    }
    const updatedAt = this.dateTime(tail[3], 'UpdateDateTime', line, stream);
    const msatsLoadedAt = this.dateTime(tail[4], 'MSATSLoadDateTime', line, stream);
    if (updatedAt === undefined || msatsLoadedAt === undefined) failed = true;

    if (date !== null && this.channelDays !== null) {
      if (!this.channelDays.add(nemDateDayNumber(dateText))) {
        this.report('DUPLICATE_DAY', line, `${stream()} ${date} appears again in this file; the newer UpdateDateTime wins, and on a tie the later row.`);
      }
    }

    this.day = {
      record: new DayRecord(line, record.offset, channel, date ?? '', values, updatedAt ?? null, msatsLoadedAt ?? null, text),
      base: { flag: quality.flag, method: quality.method, reasonCode, reasonDescription: (tail[2] ?? '').trim() },
      ranges: [],
      rangeLines: [],
      failed,
    };
  }

  /** Drops trailing empty fields beyond the five a 300 row has after its values (reported once). */
  private withoutPadding(tail: string[], line: number): string[] {
    if (tail.length > 5 && tail.slice(5).every((f) => f.trim() === '')) {
      this.once('TRAILING_EMPTY_FIELDS', line, 'Rows are padded with trailing empty fields; the padding is ignored.');
      tail.length = 5;
    }
    return tail;
  }

  /** The slow path: checks values one by one; null when one is invalid (reported). */
  private checkValues(fields: string[], count: number, line: number, where: () => string): (string | null)[] | null {
    const values: (string | null)[] = new Array(count);
    let empty: number[] | null = null;
    let invalid: number[] | null = null;
    for (let i = 0; i < count; i++) {
      const value = fields[i + 2].trim();
      if (value === '') {
        values[i] = null;
        (empty ??= []).push(i + 1);
      } else if (isDecimal(value)) {
        values[i] = value;
      } else {
        values[i] = null;
        (invalid ??= []).push(i + 1);
      }
    }
    if (empty !== null) {
      this.report(
        'EMPTY_VALUES',
        line,
        `${where()}: ${empty.length} empty value(s) (interval${empty.length > 1 ? 's' : ''} ${listIntervals(empty)}); no reading stored for them.`,
      );
    }
    if (invalid === null) return values;
    const first = invalid[0];
    this.report(
      'INVALID_VALUE',
      line,
      `${where()}: value "${truncate(fields[first + 1])}" of interval ${first}${invalid.length > 1 ? ` (and ${invalid.length - 1} more)` : ''} is not a non-negative decimal.`,
    );
    return null;
  }

  /** Empty -> null, valid -> the text, invalid -> undefined (reported). */
  private dateTime(text: string | undefined, name: string, line: number, stream: () => string): string | null | undefined {
    if (text === undefined || text === '') return null;
    if (isNemDateTime(text)) return text;
    const trimmed = text.trim();
    if (trimmed === '') return null;
    if (isNemDateTime(trimmed)) return trimmed;
    this.report('INVALID_DATETIME', line, `${stream()}: ${name} "${truncate(trimmed)}" is not CCYYMMDDhhmmss.`);
    return undefined;
  }

  private qualityRange(fields: string[], record: RawRecord, previousKind: string): void {
    const day = this.day;
    const line = record.line;
    if (day === null) {
      // After a 300 that failed (already reported) the 400s have nothing to apply to: skip quietly.
      if (previousKind !== '300' && previousKind !== '400' && !this.channelFailed) {
        this.report('ORPHAN_QUALITY_RANGE', line, '400 record without a 300 record before it.');
      }
      return;
    }
    day.record.text += `\n${record.text}`;
    const count = day.record.channel.intervalCount;
    const from = /^\s*\d+\s*$/.test(fields[1] ?? '') ? +fields[1] : NaN;
    const to = /^\s*\d+\s*$/.test(fields[2] ?? '') ? +fields[2] : NaN;
    const quality = parseQualityMethod((fields[3] ?? '').trim());
    if (!(from >= 1 && to >= from && to <= count)) {
      day.failed = true;
      this.report(
        'INVALID_QUALITY_RANGE',
        line,
        `400 range "${truncate(fields[1] ?? '')}-${truncate(fields[2] ?? '')}" is not within intervals 1-${count} of the day (IntervalLength ${day.record.channel.intervalLength}).`,
      );
      return;
    }
    if (quality === null || quality.flag === 'V') {
      day.failed = true;
      this.report('INVALID_QUALITY', line, `400 QualityMethod "${truncate(fields[3] ?? '')}" is not A, E, F, S or N with an optional 2-digit method.`);
      return;
    }
    const reasonText = (fields[4] ?? '').trim();
    let reasonCode: number | null = null;
    if (reasonText !== '') {
      if (REASON_CODE.test(reasonText)) reasonCode = +reasonText;
      else this.report('INVALID_REASON_CODE', line, `400 ReasonCode "${truncate(reasonText)}" is not a number; stored without one.`);
    }
    if (quality.method === null && requiresMethod(quality.flag)) {
      this.report('QUALITY_METHOD_MISSING', line, `400 quality ${quality.flag} should carry a 2-digit method number; stored without one.`);
    }
    day.ranges.push({
      from,
      to,
      flag: quality.flag as QualityFlag,
      method: quality.method,
      reasonCode,
      reasonDescription: (fields[5] ?? '').trim(),
    });
    day.rangeLines.push(line);
  }

  /** Resolves the open day's quality (300 flag + 400 ranges) and emits it. */
  private closeDay(): void {
    const day = this.day;
    if (day === null) return;
    this.day = null;
    const count = day.record.channel.intervalCount;
    const { base, ranges } = day;
    const line = day.record.line;
    const stream = `${day.record.channel.nmi} ${day.record.channel.suffix} ${day.record.date}`;

    // 400 ranges must ascend without overlapping; on a V day they must also cover the whole day.
    let next = 1;
    for (let i = 0; i < ranges.length && !day.failed; i++) {
      if (ranges[i].from < next) {
        day.failed = true;
        this.report('INVALID_QUALITY_RANGE', day.rangeLines[i], `${stream}: 400 range ${ranges[i].from}-${ranges[i].to} overlaps or is out of order.`);
      } else if (base.flag === 'V' && ranges[i].from > next) {
        day.failed = true;
        this.report('QUALITY_RANGES_INCOMPLETE', day.rangeLines[i], `${stream}: intervals ${next}-${ranges[i].from - 1} have no quality: 400 ranges of a V day must cover every interval.`);
      }
      next = ranges[i].to + 1;
    }
    if (!day.failed && base.flag === 'V') {
      if (ranges.length === 0) {
        day.failed = true;
        this.report('MISSING_QUALITY_RANGES', line, `${stream}: quality V (variable) needs 400 rows giving the quality of each interval; none follow.`);
      } else if (next <= count) {
        day.failed = true;
        this.report('QUALITY_RANGES_INCOMPLETE', day.rangeLines[ranges.length - 1], `${stream}: intervals ${next}-${count} have no quality: 400 ranges of a V day must cover every interval.`);
      }
    }
    if (!day.failed && base.flag !== 'V' && ranges.length > 0) {
      this.report('QUALITY_RANGE_ON_UNIFORM_DAY', day.rangeLines[0], `${stream}: 400 rows under a ${base.flag} row (not V); their ranges override the row's quality.`);
    }
    if (day.failed) return;

    const record = day.record;
    if (base.flag === 'V') {
      record.quality = ranges;
    } else {
      // The row's own quality, with any 400 ranges laid over it.
      const flag = base.flag as QualityFlag;
      const { method, reasonCode, reasonDescription } = base;
      let at = 1;
      for (const range of ranges) {
        if (range.from > at) record.quality.push({ from: at, to: range.from - 1, flag, method, reasonCode, reasonDescription });
        record.quality.push(range);
        at = range.to + 1;
      }
      if (at <= count) record.quality.push({ from: at, to: count, flag, method, reasonCode, reasonDescription });
    }
    this.info.days++;
    this.info.readings += record.readingCount;
    this.onEvent(record);
  }

  private manualRead(fields: string[], record: RawRecord): void {
    const channel = this.channel;
    if (channel === null) {
      if (!this.channelFailed) this.report('INVALID_MANUAL_READ', record.line, '500 record without a 200 data stream record before it; ignored.');
      return;
    }
    const readText = (fields[3] ?? '').trim();
    const readAt = readText === '' ? null : parseNemDateTime(readText);
    if (readText !== '' && readAt === null) {
      this.report('INVALID_MANUAL_READ', record.line, `500 ReadDateTime "${truncate(readText)}" is not CCYYMMDDhhmmss; kept as empty.`);
    }
    this.onEvent({
      type: 'manualRead',
      line: record.line,
      offset: record.offset,
      channel,
      transactionCode: (fields[1] ?? '').trim(),
      retailServiceOrder: (fields[2] ?? '').trim(),
      readAt,
      indexRead: (fields[4] ?? '').trim(),
    });
  }

  // ---- issues -----------------------------------------------------------------------------

  private checkPadding(fields: string[], expected: number, line: number): void {
    if (fields.length <= expected) return;
    for (let i = expected; i < fields.length; i++) {
      if (fields[i].trim() !== '') return; // extra data: the record's own check reports it if it matters
    }
    this.once('TRAILING_EMPTY_FIELDS', line, 'Rows are padded with trailing empty fields; the padding is ignored.');
  }

  private once(code: IssueCode, line: number, message: string): void {
    if (this.reported.has(code)) return;
    this.reported.add(code);
    this.report(code, line, message);
  }

  private report(code: IssueCode, line: number, message: string): void {
    const found = issue(code, line, message);
    if (found.severity === 'error') this.info.errors++;
    else this.info.warnings++;
    this.onIssue(found);
  }

  private abort(code: IssueCode, line: number, message: string): void {
    this.report(code, line, message);
    this.phase = 'aborted';
    this.day = null;
    this.pending = null;
  }
}

/** `text.slice(from).split(',')`, without the intermediate string (measurably faster per 300 row). */
function splitFrom(text: string, from: number): string[] {
  const fields: string[] = [];
  let comma: number;
  while ((comma = text.indexOf(',', from)) >= 0) {
    fields.push(text.slice(from, comma));
    from = comma + 1;
  }
  fields.push(text.slice(from));
  return fields;
}

const rowPatterns = new Map<number, RegExp>();

/** `300,CCYYMMDD,` then exactly `count` non-empty decimals, each followed by a comma. */
function rowPattern(count: number): RegExp {
  let pattern = rowPatterns.get(count);
  if (pattern === undefined) {
    pattern = new RegExp(`300,\\d{8},(?:(?:\\d+(?:\\.\\d*)?|\\.\\d+),){${count}}`, 'y');
    rowPatterns.set(count, pattern);
  }
  return pattern;
}

/** Could this line begin a record (rather than continue a hard-wrapped one)? */
function startsRecord(text: string): boolean {
  const kind = text.slice(0, 3);
  if (!RECORD_KINDS.has(kind) || (text.length > 3 && text.charCodeAt(3) !== 44)) return false;
  if (kind === '300') return RESUMES_300.test(text);
  if (kind === '400') return RESUMES_400.test(text);
  return true;
}

/**
 * How many interval values a 300 row carries: the fields between the date and the quality method;
 * when no field is a quality method, the expected count if the row is just wide enough for it.
 */
function countValues(fields: string[], expected: number): number {
  for (let i = 2; i < fields.length; i++) if (parseQualityMethod(fields[i].trim()) !== null) return i - 2;
  if (fields.length >= expected + 3 && fields.length <= expected + 7) return expected;
  let end = fields.length;
  while (end > 2 && fields[end - 1].trim() === '') end--;
  return end - 2;
}

function listIntervals(intervals: number[]): string {
  const shown = intervals.slice(0, 10).join(', ');
  return intervals.length > 10 ? `${shown} ...` : shown;
}

function truncate(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}...` : text;
}
