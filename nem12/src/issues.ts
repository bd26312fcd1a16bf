/**
 * Problems found in a NEM12 file are values, not exceptions: every one has a stable code, the
 * (1-based, physical) line it was found on, and a message for people. Callers branch on `code`.
 *
 * Severity is a property of the code: any `error` rejects the whole file; a `warning` is a quirk we
 * tolerate on purpose (see README, "How quirks are handled") and report.
 */
export type Severity = 'error' | 'warning';

export const ISSUE_SEVERITY = {
  // The file as a whole.
  EMPTY_FILE: 'error',
  CORRUPT_ARCHIVE: 'error',
  ZIP_NOT_ONE_FILE: 'error',
  FILE_CHANGED: 'error',
  DECOMPRESSED_TOO_LARGE: 'error',
  FILE_TOO_LARGE: 'error',
  NOT_NEM12: 'error',
  NEM13_NOT_SUPPORTED: 'error',
  UNSUPPORTED_VERSION: 'error',
  MISSING_END: 'error',
  LINE_TOO_LONG: 'error',
  INVALID_CHARACTER: 'error',
  INVALID_ENCODING: 'warning',
  MISSING_HEADER: 'warning',
  NO_INTERVAL_DATA: 'warning',
  RECORD_AFTER_END: 'warning',
  BLANK_LINE: 'warning',
  EMPTY_ROW: 'warning',
  TRAILING_EMPTY_FIELDS: 'warning',
  INVALID_HEADER_DATETIME: 'warning',

  // Record structure and order.
  UNKNOWN_RECORD: 'error',
  UNEXPECTED_HEADER: 'error',
  ORPHAN_INTERVAL_DATA: 'error',
  ORPHAN_QUALITY_RANGE: 'error',
  TOO_FEW_FIELDS: 'error',
  TOO_MANY_FIELDS: 'error',
  HARD_WRAPPED_ROW: 'warning',

  // 200: the data stream.
  INVALID_NMI: 'error',
  INVALID_SUFFIX: 'error',
  INVALID_INTERVAL_LENGTH: 'error',
  INVALID_UNIT: 'error',
  LOWER_CASE_SUFFIX: 'warning',
  MISSING_NMI_CONFIGURATION: 'warning',
  INVALID_NMI_CONFIGURATION: 'warning',
  SUFFIX_NOT_IN_NMI_CONFIGURATION: 'warning',
  INVALID_SCHEDULED_READ_DATE: 'warning',
  NMI_NOT_10_CHARACTERS: 'warning',
  NON_STANDARD_INTERVAL_LENGTH: 'warning',
  MISSING_UNIT: 'warning',

  // 300: one day of interval values.
  INVALID_DATE: 'error',
  VALUE_COUNT_MISMATCH: 'error',
  INVALID_VALUE: 'error',
  VALUE_TOO_LONG: 'error',
  INVALID_QUALITY: 'error',
  INVALID_DATETIME: 'error',
  EMPTY_VALUES: 'warning',
  MISSING_TRAILING_FIELDS: 'warning',
  DUPLICATE_DAY: 'warning',
  INVALID_REASON_CODE: 'warning',
  QUALITY_METHOD_MISSING: 'warning',
  REASON_CODE_ON_VARIABLE_DAY: 'warning',

  // 400: quality ranges within a day.
  INVALID_QUALITY_RANGE: 'error',
  QUALITY_RANGES_INCOMPLETE: 'error',
  QUALITY_RANGE_ON_UNIFORM_DAY: 'warning',
  MISSING_QUALITY_RANGES: 'error',

  // 500: manual reads.
  INVALID_MANUAL_READ: 'warning',
} as const satisfies Record<string, Severity>;

export type IssueCode = keyof typeof ISSUE_SEVERITY;

export interface Nem12Issue {
  code: IssueCode;
  severity: Severity;
  /** 1-based physical line in the file (the first line of a hard-wrapped record). 0 = the file as a whole. */
  line: number;
  message: string;
}

export function issue(code: IssueCode, line: number, message: string): Nem12Issue {
  return { code, severity: ISSUE_SEVERITY[code], line, message };
}

/** Keeps the first `limit` issues of each severity and counts them all: enough to report, bounded in memory. */
export class IssueLog {
  readonly errors: Nem12Issue[] = [];
  readonly warnings: Nem12Issue[] = [];
  errorCount = 0;
  warningCount = 0;
  /** How many of each code, all of them (the lists keep the first `limit`). */
  readonly errorCodes: Record<string, number> = {};
  readonly warningCodes: Record<string, number> = {};

  constructor(private readonly limit = 100) {}

  add = (found: Nem12Issue): void => {
    if (found.severity === 'error') {
      this.errorCount++;
      this.errorCodes[found.code] = (this.errorCodes[found.code] ?? 0) + 1;
      if (this.errors.length < this.limit) this.errors.push(found);
    } else {
      this.warningCount++;
      this.warningCodes[found.code] = (this.warningCodes[found.code] ?? 0) + 1;
      if (this.warnings.length < this.limit) this.warnings.push(found);
    }
  };

  get ok(): boolean {
    return this.errorCount === 0;
  }
}
