import { fitFields, quote, type IssueReporter } from '../fields.js';
import type { RawRecord } from '../logicalRecords.js';
import type { ChannelRecord } from '../records.js';
import { parseNemDate } from '../time.js';
import { kwhFactorOf } from '../units.js';

const NMI = /^[A-Za-z0-9]{1,10}$/;
const SUFFIX = /^[A-Za-z][A-Za-z0-9]$/;
const SUFFIXES = /^(?:[A-Za-z][A-Za-z0-9])+$/;
const UNIT = /^[\x21-\x2b\x2d-\x7e]{1,12}$/; // printable ASCII, no comma or space
/** 5, 15 and 30 are the spec's; 1 and 10 occur in real files and are read with a warning. */
const INTERVAL_LENGTHS = new Set([1, 5, 10, 15, 30]);
const STANDARD_INTERVALS = new Set([5, 15, 30]);

/** Per file: warnings that would repeat on every 200 of a stream are given once per NMI. */
export interface ChannelMemory {
  shortNmis: Set<string>;
}

/**
 * `200,NMI,NMIConfiguration,RegisterID,NMISuffix,MDMDataStreamIdentifier,MeterSerialNumber,UOM,
 * IntervalLength[,NextScheduledReadDate]`. Null when the record is rejected (reported).
 */
export function decodeChannel(fields: string[], record: RawRecord, reporter: IssueReporter, memory: ChannelMemory): ChannelRecord | null {
  const line = record.line;
  const fitted = fitFields(fields, '200', 9, 10, line, reporter);
  if (fitted === null) return null;
  const [, nmi, nmiConfiguration, registerId, suffixText, mdmDataStreamId, meterSerialNumber, uom, lengthText] = fitted;
  const nextRead = fitted[9] ?? '';
  let ok = true;
  if (!NMI.test(nmi)) {
    ok = false;
    reporter.report('INVALID_NMI', line, `NMI ${quote(nmi)} is not 1-10 letters and digits.`);
  } else if (nmi.length !== 10 && !memory.shortNmis.has(nmi)) {
    memory.shortNmis.add(nmi);
    reporter.report('NMI_NOT_10_CHARACTERS', line, `NMI "${nmi}" has ${nmi.length} characters, not 10; kept as written.`);
  }
  const suffix = suffixText.toUpperCase();
  if (!SUFFIX.test(suffixText)) {
    ok = false;
    reporter.report('INVALID_SUFFIX', line, `NMISuffix ${quote(suffixText)} is not a letter and a letter or digit (E1, B1, Q1 ...).`);
  } else if (suffix !== suffixText) {
    reporter.once('LOWER_CASE_SUFFIX', line, `NMISuffix "${suffixText}" is written in lower case (first at line ${line}); read as "${suffix}".`);
  }
  if (nmiConfiguration === '') {
    reporter.report('MISSING_NMI_CONFIGURATION', line, `${nmi} ${suffix}: NMIConfiguration is empty; it should list every suffix of the NMI (e.g. E1B1).`);
  } else if (!SUFFIXES.test(nmiConfiguration)) {
    reporter.report('INVALID_NMI_CONFIGURATION', line, `${nmi} ${suffix}: NMIConfiguration ${quote(nmiConfiguration)} is not a list of 2-character suffixes (e.g. E1B1).`);
  } else if (ok && !suffixesOf(nmiConfiguration).includes(suffix)) {
    reporter.report('SUFFIX_NOT_IN_NMI_CONFIGURATION', line, `${nmi}: NMISuffix ${suffix} is not in its NMIConfiguration "${nmiConfiguration}".`);
  }
  const intervalLength = /^\d{1,4}$/.test(lengthText) ? +lengthText : NaN;
  if (!INTERVAL_LENGTHS.has(intervalLength)) {
    ok = false;
    reporter.report('INVALID_INTERVAL_LENGTH', line, `IntervalLength ${quote(lengthText)} is not 5, 15 or 30 minutes (or the non-standard 1 or 10).`);
  } else if (!STANDARD_INTERVALS.has(intervalLength)) {
    reporter.report('NON_STANDARD_INTERVAL_LENGTH', line, `IntervalLength ${intervalLength} is not 5, 15 or 30 minutes; read as ${1440 / intervalLength} values a day.`);
  }
  if (uom === '') {
    reporter.report('MISSING_UNIT', line, 'UOM is empty: values are kept without a unit and never counted as kWh.');
  } else if (!UNIT.test(uom)) {
    ok = false;
    reporter.report('INVALID_UNIT', line, `UOM ${quote(uom)} is not a unit of measure (kWh, Wh, MWh, kVArh, kW, V ...).`);
  }
  if (nextRead !== '' && parseNemDate(nextRead) === null) {
    reporter.report('INVALID_SCHEDULED_READ_DATE', line, `NextScheduledReadDate ${quote(nextRead)} is not a CCYYMMDD date; ignored.`);
  }
  if (!ok) return null;
  return {
    type: 'channel',
    line,
    offset: record.offset,
    nmi,
    nmiConfiguration,
    registerId,
    suffix,
    mdmDataStreamId,
    meterSerialNumber,
    uom,
    kwhFactor: kwhFactorOf(uom),
    intervalLength,
    intervalCount: 1440 / intervalLength,
    nextScheduledReadDate: nextRead !== '' && parseNemDate(nextRead) !== null ? nextRead : null,
  };
}

/** `E1B1Q1` -> `['E1', 'B1', 'Q1']` (upper case). */
function suffixesOf(configuration: string): string[] {
  const suffixes: string[] = [];
  for (let i = 0; i + 2 <= configuration.length; i += 2) suffixes.push(configuration.slice(i, i + 2).toUpperCase());
  return suffixes;
}
