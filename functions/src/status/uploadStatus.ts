import type { FieldValue } from 'firebase-admin/firestore';
import type { FileSummary } from 'nem12';
import type { StatusSummary, UploadStatusDocument } from './statusDocument';

/** Channels an upload's stored summary lists (its status document, its row): the rest are counted. */
export const LISTED_CHANNELS = 200;

/**
 * The status document of an upload as the functions write it (lifecycle/documents.ts is the only
 * writer): its shape is statusDocument.ts, shared with the web page.
 */
export type { StatusIssue, StatusSummary, UploadState } from './statusDocument';

/** As written by the functions: timestamps are server timestamps (or Dates). */
export type UploadStatus = UploadStatusDocument<FieldValue | Date>;

export function statusSummary(summary: FileSummary): StatusSummary {
  return {
    readings: summary.readings,
    quality: summary.quality,
    firstDate: summary.firstDate,
    lastDate: summary.lastDate,
    channelCount: summary.channelCount,
    channels: summary.channels.slice(0, LISTED_CHANNELS).map((channel) => ({ ...channel, missingDays: channel.missingDays.map(([from, to]) => ({ from, to })) })),
    missingDays: summary.missingDayCount,
    emptyIntervals: summary.emptyIntervals,
  };
}
