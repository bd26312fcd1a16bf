import { DecimalSum } from './decimal.js';
import { nemDateTimeToIso } from './time.js';

/** What the parser emits: one event per logical record, in file order (a discriminated union on `type`). */

/** Quality flags. `V` (variable) only appears on a 300 row: the parser resolves it into per-interval ranges. */
export type QualityFlag = 'A' | 'E' | 'F' | 'S' | 'N';

/** `100`: the file header. */
export interface HeaderRecord {
  type: 'header';
  line: number;
  offset: number;
  version: 'NEM12';
  /** Header DateTime as written (CCYYMMDDhhmm), or null when missing or unreadable. */
  createdAt: string | null;
  fromParticipant: string;
  toParticipant: string;
}

/** `200`: a data stream (one NMI + suffix), its unit and interval length. Applies to the rows that follow. */
export interface ChannelRecord {
  type: 'channel';
  line: number;
  offset: number;
  nmi: string;
  nmiConfiguration: string;
  registerId: string;
  suffix: string;
  mdmDataStreamId: string;
  meterSerialNumber: string;
  /** Unit as written in the file (e.g. `KWH`). */
  uom: string;
  /** Multiplier to kWh (`'1000'`, `'1'`, `'0.001'`), or null when the unit is not energy in Wh/kWh/MWh. */
  kwhFactor: KwhFactor | null;
  intervalLength: number;
  /** 1440 / intervalLength: the number of values a 300 row must carry. */
  intervalCount: number;
  nextScheduledReadDate: string | null;
}

export type KwhFactor = '1000' | '1' | '0.001';

/** The quality of the intervals `from`..`to` (1-based, inclusive) of one day. */
export interface QualityRange {
  from: number;
  to: number;
  flag: QualityFlag;
  /** The 2-digit method number after the flag (`F14` -> 14), or null. */
  method: number | null;
  reasonCode: number | null;
  reasonDescription: string;
}

/**
 * `300` (+ its `400` rows): one day of one data stream. `values[i]` is interval i+1, which ENDS at
 * `date` 00:00 NEM time + (i+1) x intervalLength minutes. Values are exact decimal strings as written;
 * null marks an empty field (no reading). `quality` tiles 1..intervalCount in ascending order.
 */
export class DayRecord {
  readonly type = 'day';
  /** Per-interval quality, resolved from the 300 row and its 400 rows. */
  quality: QualityRange[] = [];
  private valuesText: string | null;
  private valueList: (string | null)[] | null;
  private totalText: string | null = null;

  constructor(
    readonly line: number,
    readonly offset: number,
    readonly channel: ChannelRecord,
    /** IntervalDate as `YYYY-MM-DD` (a NEM calendar day). */
    readonly date: string,
    /** The values, or (from the parser's fast path) the comma-joined text of values known to be valid. */
    values: (string | null)[] | string,
    /** UpdateDateTime as written (validated CCYYMMDDhhmm[ss]), or null. */
    readonly updateDateTime: string | null,
    /** MSATSLoadDateTime as written (validated), or null. */
    readonly msatsLoadDateTime: string | null,
    /** The record's lines as they appeared (300 then its 400s, hard wraps joined): for fingerprints. */
    public text: string,
  ) {
    this.valuesText = typeof values === 'string' ? values : null;
    this.valueList = typeof values === 'string' ? null : values;
  }

  /** UpdateDateTime as an ISO instant with the NEM offset (`2004-02-02T12:00:25+10:00`), or null. */
  get updatedAt(): string | null {
    return this.updateDateTime === null ? null : nemDateTimeToIso(this.updateDateTime);
  }

  /** MSATSLoadDateTime as an ISO instant, or null. */
  get msatsLoadedAt(): string | null {
    return this.msatsLoadDateTime === null ? null : nemDateTimeToIso(this.msatsLoadDateTime);
  }

  /** Interval values in order (split lazily: most consumers of a large file never need them all). */
  get values(): (string | null)[] {
    if (this.valueList === null) this.valueList = this.valuesText!.split(',');
    return this.valueList;
  }

  /** The values as the comma-joined text the parser validated (no empty ones), or null: lets hot loops skip splitting. */
  get valuesTextIfComplete(): string | null {
    return this.valuesText;
  }

  /** The exact sum of the day's values, in the channel's unit (computed once, on first use). */
  get total(): string {
    if (this.totalText === null) {
      const sum = new DecimalSum();
      if (this.valuesText !== null) sum.addText(this.valuesText);
      else sum.addAll(this.valueList!);
      this.totalText = sum.toString();
    }
    return this.totalText;
  }

  /** Number of intervals that carry a value. */
  get readingCount(): number {
    if (this.valueList === null) return this.channel.intervalCount;
    let count = 0;
    for (const value of this.valueList) if (value !== null) count++;
    return count;
  }
}

/** `500`: a manual read (B2B details). Does not change interval values. */
export interface ManualReadRecord {
  type: 'manualRead';
  line: number;
  offset: number;
  channel: ChannelRecord;
  transactionCode: string;
  retailServiceOrder: string;
  readAt: string | null;
  indexRead: string;
}

/** `900`: end of data. */
export interface EndRecord {
  type: 'end';
  line: number;
  offset: number;
}

export type Nem12Event = HeaderRecord | ChannelRecord | DayRecord | ManualReadRecord | EndRecord;
