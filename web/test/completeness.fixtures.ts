import type { CompletenessDay, CompletenessSummary, GapStream } from '../src/completeness/completenessModel';
import { addDays } from '../src/explorer/explorerModel';

/** A day of ten streams, all received complete, 48 actual readings each (unless told otherwise). */
export function day(date: string, overrides: Partial<CompletenessDay> = {}): CompletenessDay {
  return { day: date, expected: 10, received: 10, complete: 10, partial: 0, missing: 0, readings: 480, actual: 480, estimated: 0, substituted: 0, variable: 0, ...overrides };
}

/** The summary of `from`..`to`: every day complete except those given. */
export function summaryOf(from: string, to: string, changed: Record<string, Partial<CompletenessDay>> = {}, rest: Partial<CompletenessSummary> = {}): CompletenessSummary {
  const days: CompletenessDay[] = [];
  for (let date = from; date <= to; date = addDays(date, 1)) days.push(day(date, changed[date]));
  return { from, to, windowDays: 35, registered: 0, days, streams: { missing: 0, partial: 0, estimated: 0 }, ...rest };
}

export function gapStream(nmi: string, overrides: Partial<GapStream> = {}): GapStream {
  return {
    nmi,
    suffix: 'E1',
    missingDays: 1,
    missing: [{ from: '2024-03-05', to: '2024-03-05' }],
    partialDays: 0,
    emptyIntervals: 0,
    estimatedDays: 0,
    estimatedShare: 0,
    lastReceived: '2024-03-10',
    lastUpload: { id: 1, fileName: 'march.csv' },
    ...overrides,
  };
}
