/**
 * The readings API's responses: shared with the web page (type-only imports), so this module
 * imports nothing. Times are ISO 8601 in NEM time (`2024-01-01T00:30:00+10:00`, interval ENDS);
 * decimals are exact strings.
 */
export type Granularity = 'interval' | 'day' | 'month';

export interface ChannelListing {
  suffix: string;
  uom: string | null;
  /** kWh for energy units (what stats report in), else the stream's own unit. */
  unit: string | null;
  energy: boolean;
  intervalLength: number | null;
  firstReading: string | null;
  lastReading: string | null;
  /** NEM days of the first and last reading (the day an interval belongs to, from its end). */
  firstDate: string | null;
  lastDate: string | null;
}

export interface NmiListing {
  /** In natural order (shorter first, then by text: NMI2 before NMI10). */
  nmis: { nmi: string; channels: ChannelListing[] }[];
  nextCursor: string | null;
  /** On the first page: up to 5 of the matching NMIs, the most recently loaded first. */
  recent: { nmi: string; channels: ChannelListing[] }[];
}

export interface Reading {
  intervalEnd: string;
  value: string;
  kwh: string | null;
  quality: string;
  method: number | null;
  reasonCode: number | null;
  updatedAt: string | null;
}

export interface ReadingsPage {
  nmi: string;
  suffix: string;
  uom: string | null;
  intervalLength: number | null;
  readings: Reading[];
  nextCursor: string | null;
}

export interface ChannelStats {
  nmi: string;
  suffix: string;
  /** The unit of every figure: kWh for energy streams, else the stream's own. */
  unit: string | null;
  energy: boolean;
  from: string;
  to: string;
  granularity: Granularity;
  readings: number;
  /** NEM days with at least one reading. */
  days: number;
  total: string | null;
  /** Per interval, and per day with readings; rounded to 6 decimals (totals are exact). */
  average: string | null;
  dailyAverage: string | null;
  peak: { intervalEnd: string; value: string } | null;
  quality: { flag: string; readings: number; total: string }[];
  /** Per reading (interval: keyed by its end), per NEM day (YYYY-MM-DD) or per month (YYYY-MM). */
  series: { period: string; readings: number; total: string }[];
  /** Average daily load profile: the mean reading by time of day of the interval end, 00:05 ... 24:00. */
  profile: { time: string; readings: number; average: string }[];
}

/** GET /overview: the organisation's data and uploads at a glance. */
export interface Overview {
  /** Uploads done. */
  filesLoaded: number;
  /** Readings stored (non-empty intervals of the current revision of every day). */
  readings: number;
  nmis: number;
  /** The latest NEM day with readings (YYYY-MM-DD). */
  latestDay: string | null;
  /** Uploads not yet done or failed. */
  inFlight: number;
  failedLast7Days: number;
}

/** GET /me: the caller, and the organisation their token's claims make them a member of. */
export interface MeAnswer {
  uid: string;
  email: string | null;
  /** The token's `email_verified`: invitations show, and can be answered, once it is true. */
  emailVerified: boolean;
  organisation: { id: string; name: string } | null;
  role: 'admin' | 'member' | null;
  /** Pending invitations for the caller's address (none while it is unverified). */
  invitations: InvitationForYou[];
  /** On the emulators, a user without an organisation may create one of their own (POST /me/organisation). */
  canCreateOrganisation: boolean;
  /** After POST /me/organisation: refresh the ID token (getIdToken(true)) to carry the new claims. */
  refreshToken?: boolean;
}

/** A member, an invitation (orgs/membership.ts: the API answers them as they are). */
export type { Invitation, InvitationForYou, Member } from '../orgs/membership';
import type { Invitation, InvitationForYou, Member } from '../orgs/membership';

/** GET /members (admins). */
export interface MemberListing {
  members: Member[];
}

/** GET /invitations (admins): the organisation's pending invitations, by address. */
export interface InvitationListing {
  invitations: Invitation[];
}

/** POST /invitations/{id}/accept: the organisation joined; refresh the ID token to carry it. */
export interface InvitationAccepted {
  organisation: { id: string; name: string };
  role: 'admin' | 'member';
  refreshToken: true;
}

/** Every answer other than 200 and 304. `lines`: what is wrong where, for a refused register file. */
export interface ApiErrorBody {
  error: { code: string; message: string; parameter?: string; lines?: { line: number; code: string; message: string }[]; lineCount?: number };
}

/** One NEM day of GET /completeness. */
export interface CompletenessDay {
  day: string;
  /** Streams expected: received, or missing. */
  expected: number;
  received: number;
  /** Received with a reading in every interval, and with empty intervals. */
  complete: number;
  partial: number;
  missing: number;
  /** Readings by quality: A, E, S or F, and those of days with several flags (V). */
  readings: number;
  actual: number;
  estimated: number;
  substituted: number;
  variable: number;
}

/** GET /completeness?from&to: did every expected stream arrive, whole, and how much of it is actual. */
export interface CompletenessSummary {
  from: string;
  to: string;
  /** A stream is expected on a day when it was received that day or on one of this many days before, or the register names it. */
  windowDays: number;
  /** Register lines in force over the range. */
  registered: number;
  days: CompletenessDay[];
  /** Streams with at least one day missing, with empty intervals, with estimated or substituted readings. */
  streams: Record<GapStatus, number>;
}

export type GapStatus = 'missing' | 'partial' | 'estimated';

/** A stream of GET /completeness/streams. */
export interface GapStream {
  nmi: string;
  /** null: every stream of a registered NMI never received. */
  suffix: string | null;
  /** Days missing, and their runs (inclusive). */
  missingDays: number;
  missing: { from: string; to: string }[];
  /** Days received with empty intervals, and those intervals. */
  partialDays: number;
  emptyIntervals: number;
  /** Days with estimated or substituted readings, and their share of the readings received (0 to 1; null: none received). */
  estimatedDays: number;
  estimatedShare: number | null;
  /** The last day ever received, and the upload that last wrote one of its days in the range. */
  lastReceived: string | null;
  lastUpload: { id: number; fileName: string } | null;
}

/** GET /completeness/streams: worst first (most days of `status`), keyset-paginated. */
export interface GapStreamsPage {
  from: string;
  to: string;
  status: GapStatus;
  /** How many streams have such a day. */
  total: number;
  streams: GapStream[];
  nextCursor: string | null;
}

/** GET /register: the organisation's register of NMIs. */
export interface RegisterSummary {
  lines: number;
  nmis: number;
}
