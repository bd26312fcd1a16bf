import { checkMethod, fitFields, parseQualityMethod, parseReasonCode, quote, reportMissingTrailing, type IssueReporter } from '../fields.js';
import type { RawRecord } from '../logicalRecords.js';
import type { QualityFlag, QualityRange } from '../records.js';

/**
 * `400,StartInterval,EndInterval,QualityMethod,ReasonCode,ReasonDescription` of a day with
 * `intervalCount` intervals. Null when the range is rejected (reported): the day then fails.
 */
export function decodeQualityRange(fields: string[], record: RawRecord, intervalCount: number, intervalLength: number, reporter: IssueReporter): QualityRange | null {
  const line = record.line;
  const fitted = fitFields(fields, '400', 4, 6, line, reporter);
  if (fitted === null) return null;
  reportMissingTrailing(fitted.length, 6, line, reporter);
  const [, fromText, toText, qualityText] = fitted;
  const from = /^\d{1,4}$/.test(fromText) ? +fromText : NaN;
  const to = /^\d{1,4}$/.test(toText) ? +toText : NaN;
  if (!(from >= 1 && to >= from && to <= intervalCount)) {
    reporter.report(
      'INVALID_QUALITY_RANGE',
      line,
      `400 range ${quote(fromText)}-${quote(toText)} is not within intervals 1-${intervalCount} of the day (IntervalLength ${intervalLength}).`,
    );
    return null;
  }
  const quality = parseQualityMethod(qualityText);
  if (quality === null || quality.flag === 'V') {
    reporter.report('INVALID_QUALITY', line, `400 QualityMethod ${quote(qualityText)} is not A, E, F, S or N with an optional 2-digit method.`);
    return null;
  }
  checkMethod(quality, '400', line, reporter);
  return {
    from,
    to,
    flag: quality.flag as QualityFlag,
    method: quality.method,
    reasonCode: parseReasonCode(fitted[4] ?? '', '400', line, reporter),
    reasonDescription: fitted[5] ?? '',
  };
}
