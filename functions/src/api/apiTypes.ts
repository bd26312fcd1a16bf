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
  organisation: { id: string; name: string } | null;
  role: 'admin' | 'member' | null;
  /** On the emulators, a user without an organisation may create one of their own (POST /me/organisation). */
  canCreateOrganisation: boolean;
  /** After POST /me/organisation: refresh the ID token (getIdToken(true)) to carry the new claims. */
  refreshToken?: boolean;
}

export interface Member {
  uid: string;
  email: string | null;
  role: 'admin' | 'member';
  disabled: boolean;
}

/** GET /members (admins). */
export interface MemberListing {
  members: Member[];
}

/** Every answer other than 200 and 304. */
export interface ApiErrorBody {
  error: { code: string; message: string; parameter?: string };
}
