import { fitFields, quote, reportMissingTrailing, type IssueReporter } from '../fields.js';
import type { RawRecord } from '../logicalRecords.js';
import type { ChannelRecord, ManualReadRecord } from '../records.js';
import { parseNemDateTime } from '../time.js';

/** `500,TransCode,RetServiceOrder,ReadDateTime,IndexRead`: reported as an event, changes no value. */
export function decodeManualRead(fields: string[], record: RawRecord, channel: ChannelRecord, reporter: IssueReporter): ManualReadRecord | null {
  const fitted = fitFields(fields, '500', 2, 5, record.line, reporter);
  if (fitted === null) return null;
  reportMissingTrailing(fitted.length, 5, record.line, reporter);
  const readText = fitted[3] ?? '';
  const readAt = readText === '' ? null : parseNemDateTime(readText);
  if (readText !== '' && readAt === null) {
    reporter.report('INVALID_MANUAL_READ', record.line, `500 ReadDateTime ${quote(readText)} is not CCYYMMDDhhmmss; kept as empty.`);
  }
  return {
    type: 'manualRead',
    line: record.line,
    offset: record.offset,
    channel,
    transactionCode: fitted[1],
    retailServiceOrder: fitted[2] ?? '',
    readAt,
    indexRead: fitted[4] ?? '',
  };
}
