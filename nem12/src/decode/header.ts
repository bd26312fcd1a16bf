import { fitFields, quote, type IssueReporter } from '../fields.js';
import type { IssueCode } from '../issues.js';
import type { RawRecord } from '../logicalRecords.js';
import type { HeaderRecord } from '../records.js';
import { parseNemDateTime } from '../time.js';

/** A header that says the file is not NEM12 version we read: the file is given up. */
export interface WrongVersion {
  type: 'wrongVersion';
  code: Extract<IssueCode, 'NEM13_NOT_SUPPORTED' | 'UNSUPPORTED_VERSION'>;
  message: string;
}

/** `100,NEM12,DateTime,FromParticipant,ToParticipant`. Null when the record is rejected (reported). */
export function decodeHeader(fields: string[], record: RawRecord, reporter: IssueReporter): HeaderRecord | WrongVersion | null {
  const fitted = fitFields(fields, '100', 2, 5, record.line, reporter);
  if (fitted === null) return null;
  const version = fitted[1].toUpperCase();
  if (version === 'NEM13') return { type: 'wrongVersion', code: 'NEM13_NOT_SUPPORTED', message: 'a NEM13 header' };
  if (version !== 'NEM12') return { type: 'wrongVersion', code: 'UNSUPPORTED_VERSION', message: `Header version is ${quote(fitted[1])}, expected NEM12.` };
  const createdText = fitted[2] ?? '';
  const createdAt = /^\d{12}$/.test(createdText) && parseNemDateTime(createdText) !== null ? createdText : null;
  if (createdAt === null) {
    reporter.report('INVALID_HEADER_DATETIME', record.line, `Header DateTime ${quote(createdText)} is not CCYYMMDDhhmm (an Excel-mangled file?); ignored.`);
  }
  return {
    type: 'header',
    line: record.line,
    offset: record.offset,
    version: 'NEM12',
    createdAt,
    fromParticipant: fitted[3] ?? '',
    toParticipant: fitted[4] ?? '',
  };
}
