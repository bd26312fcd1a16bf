/**
 * The status document `uploads/{statusId}` as the page sees it: the shape the functions write
 * (functions/src/status/statusDocument.ts, imported for its types), with Firestore Timestamps turned
 * into Dates. Pure.
 */
import { UPLOAD_STATES, type IssueList, type StatusChannel, type StatusIssue, type StatusSummary, type UploadState, type UploadStatusDocument } from '../../../functions/src/status/statusDocument';
import type { QualityCounts, QualityFlag } from 'nem12';

export { UPLOAD_STATES };
export type { IssueList, QualityCounts, QualityFlag, StatusChannel, StatusIssue, StatusSummary, UploadState };

export type Upload = Omit<UploadStatusDocument<Date | null>, 'sqlError' | 'loadingAt' | 'finishedAt' | 'warnings' | 'errors'> & {
  id: string;
  warnings: Issues;
  errors: Issues;
  sqlError: string | null;
  loadingAt: Date | null;
  finishedAt: Date | null;
};

/** An upload's warnings or errors: the first hundred, and how many of each code in all. */
export type Issues = IssueList & { byCode: Record<string, number> };

type Data = Record<string, unknown>;

const isObject = (value: unknown): value is Data => typeof value === 'object' && value !== null;
const num = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);
const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** A Firestore Timestamp (anything with toDate()), a Date, or nothing. */
export function toDate(value: unknown): Date | null {
  if (value instanceof Date) return value;
  if (isObject(value) && typeof value.toDate === 'function') {
    const date = (value.toDate as () => unknown).call(value);
    return date instanceof Date ? date : null;
  }
  return null;
}

/** Counts by code as stored; a document written before they were kept: counted from its items. */
function issues(value: unknown): Issues {
  const list = isObject(value) ? value : {};
  const items = Array.isArray(list.items)
    ? list.items.filter(isObject).map((item) => ({ code: str(item.code) ?? 'UNKNOWN', line: num(item.line), message: str(item.message) ?? '' }))
    : [];
  const byCode: Record<string, number> = {};
  if (isObject(list.byCode)) for (const [code, count] of Object.entries(list.byCode)) byCode[code] = num(count);
  else for (const item of items) byCode[item.code] = (byCode[item.code] ?? 0) + 1;
  return { count: Math.max(num(list.count), items.length), items, byCode };
}

/** Tolerant of missing fields: a half-written or older document still renders. */
export function uploadFromData(id: string, data: Data): Upload {
  const chunks = isObject(data.chunks) ? data.chunks : {};
  const readings = isObject(data.readings) ? data.readings : {};
  const status = UPLOAD_STATES.includes(data.status as UploadState) ? (data.status as UploadState) : 'pending';
  const fileName = str(data.fileName) ?? str(data.path)?.split('/').pop() ?? id;
  return {
    id,
    status,
    fileName,
    path: str(data.path) ?? '',
    bucket: str(data.bucket) ?? '',
    generation: str(data.generation) ?? '',
    org: str(data.org) ?? '',
    owner: str(data.owner),
    bytes: num(data.bytes),
    chunks: { total: num(chunks.total), done: num(chunks.done) },
    readings: {
      total: num(readings.total),
      loaded: num(readings.loaded),
      new: num(readings.new),
      updated: num(readings.updated),
      unchanged: num(readings.unchanged),
    },
    warnings: issues(data.warnings),
    errors: issues(data.errors),
    summary: isObject(data.summary) ? (data.summary as unknown as StatusSummary) : null,
    sqlPath: str(data.sqlPath),
    sqlError: str(data.sqlError),
    createdAt: toDate(data.createdAt),
    updatedAt: toDate(data.updatedAt),
    loadingAt: toDate(data.loadingAt),
    finishedAt: toDate(data.finishedAt),
  };
}
