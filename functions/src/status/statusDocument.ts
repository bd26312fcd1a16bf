import type { ChannelSummary, FileSummary } from 'nem12';

/**
 * The shape of the status document `uploads/{statusId}`, shared by the functions that write it and
 * the web page that reads it (a type-only import there). Pure types: `Time` is a Firestore
 * server timestamp when written, a Date once read by the page.
 */
/**
 * An upload's states, the same in PostgreSQL (`uploads.status`) and in its status document (its
 * projection). publishing: every chunk is staged and the readings are being made visible (one
 * transaction). done and failed are terminal.
 */
export const UPLOAD_STATES = ['pending', 'splitting', 'loading', 'publishing', 'done', 'failed'] as const;
export type UploadState = (typeof UPLOAD_STATES)[number];

/** The Firestore collection of the status documents, `uploads/{statusId}`. */
export const STATUS_COLLECTION = 'uploads';

export interface StatusIssue {
  code: string;
  /** Physical line, 1-based; 0 = the whole file. */
  line: number;
  message: string;
}

export interface IssueList {
  count: number;
  /** The first hundred. */
  items: StatusIssue[];
  /** How many of each code, of all `count` (documents written before it have none). */
  byCode?: Record<string, number>;
}

/** A channel of the summary as stored: Firestore stores no array in an array, so missing-day ranges are objects. */
export type StatusChannel = Omit<ChannelSummary, 'missingDays'> & { missingDays: { from: string; to: string }[] };

/** The data-quality summary, bounded for a Firestore document (channels capped). */
export interface StatusSummary {
  readings: number;
  quality: FileSummary['quality'];
  firstDate: string | null;
  lastDate: string | null;
  channelCount: number;
  channels: StatusChannel[];
  missingDays: number;
  emptyIntervals: number;
}

export interface UploadStatusDocument<Time> {
  status: UploadState;
  fileName: string;
  path: string;
  bucket: string;
  generation: string;
  /** The organisation the upload belongs to (from its path): who may read this document. */
  org: string;
  /** The uid of the member who uploaded it (from its path). */
  owner: string | null;
  bytes: number;
  chunks: { total: number; done: number };
  readings: { total: number; loaded: number; new: number; updated: number; unchanged: number };
  warnings: IssueList;
  errors: IssueList;
  summary: StatusSummary | null;
  sqlPath: string | null;
  /** Why the Flo SQL file is missing, when it could not be written (the readings loaded anyway). */
  sqlError?: string;
  createdAt: Time;
  updatedAt: Time;
  loadingAt?: Time;
  publishingAt?: Time;
  finishedAt?: Time;
}
