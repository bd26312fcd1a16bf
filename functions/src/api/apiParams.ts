import { z } from 'zod';
import { nextDate, parseNemDate } from 'nem12';
import { ApiError } from './apiError';
import type { Granularity } from './apiTypes';

/**
 * The query parameters of each endpoint, validated with zod. Times come in as a NEM date
 * (`YYYY-MM-DD`: the whole day, UTC+10) or an ISO 8601 instant with its offset, and leave as
 * instants: `from` is exclusive and `to` inclusive on interval ENDS, so `from=D1&to=D2` is exactly the
 * intervals of days D1..D2.
 */
export const READINGS_LIMIT = { default: 1000, max: 10_000 };
export const NMIS_LIMIT = { default: 200, max: 1000 };
/** Longest range of one stats request: interval series are capped harder (one point per reading). */
export const STATS_MAX_DAYS: Record<Granularity, number> = { interval: 31, day: 1096, month: 1096 };


const DATE = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = z.iso.datetime({ offset: true });
const DAY_MS = 86_400_000;

/** A time bound: a date means the start (`from`) or the end (`to`) of that NEM day. */
function timeBound(edge: 'start' | 'end') {
  return z.string().transform((text, ctx) => {
    if (DATE.test(text)) {
      if (parseNemDate(text.replaceAll('-', '')) === null) {
        ctx.addIssue({ code: 'custom', message: `${text} is not a calendar date` });
        return z.NEVER;
      }
      return `${edge === 'start' ? text : nextDate(text)}T00:00:00+10:00`;
    }
    if (!INSTANT.safeParse(text).success) {
      ctx.addIssue({ code: 'custom', message: 'expected a date (YYYY-MM-DD, a NEM day) or an ISO 8601 time with an offset, e.g. 2024-01-01T00:30:00+10:00' });
      return z.NEVER;
    }
    return text;
  });
}

function wholeNumber(range: { default: number; max: number }) {
  return z
    .string()
    .regex(/^\d+$/, 'expected a whole number')
    .transform(Number)
    .pipe(z.number().min(1, 'must be at least 1').max(range.max, `must be at most ${range.max}`))
    .default(range.default);
}

const nmi = z.string().regex(/^[A-Za-z0-9]{1,10}$/, 'expected an NMI: 1 to 10 letters or digits');
const suffix = z.string().regex(/^[A-Za-z][A-Za-z0-9]$/, 'expected a channel suffix of 2 characters, such as E1 or B1');

/** Keyset cursors are opaque to clients: base64url JSON of what the next page starts after. */
export function encodeCursor(after: unknown): string {
  return Buffer.from(JSON.stringify({ after })).toString('base64url');
}

function cursorOf<T extends z.ZodType>(after: T) {
  return z.string().transform((text, ctx): z.infer<T> => {
    try {
      const decoded = after.safeParse((JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as { after?: unknown }).after);
      if (decoded.success) return decoded.data;
    } catch {
      // not JSON: reported below
    }
    ctx.addIssue({ code: 'custom', message: 'not a cursor given by this API (use nextCursor from the previous page as is)' });
    return z.NEVER;
  });
}

function rangeIsOrdered(range: { from?: string; to?: string }): boolean {
  return range.from === undefined || range.to === undefined || Date.parse(range.from) < Date.parse(range.to);
}
const RANGE_ORDER = { message: 'must be before to', path: ['from'] };

/** GET /overview takes none. */
export const overviewParams = z.object({});

export const nmisParams = z.object({
  search: z.string().regex(/^[A-Za-z0-9]{1,10}$/, 'expected part of an NMI: letters or digits').optional(),
  limit: wholeNumber(NMIS_LIMIT),
  cursor: cursorOf(nmi).optional(),
});

export const readingsParams = z
  .object({
    nmi,
    suffix,
    from: timeBound('start').optional(),
    to: timeBound('end').optional(),
    limit: wholeNumber(READINGS_LIMIT),
    cursor: cursorOf(INSTANT).optional(),
  })
  .refine(rangeIsOrdered, RANGE_ORDER);

/** GET /readings.csv: a stream's readings over any range (or all of them), as CSV. */
export const readingsCsvParams = z
  .object({ nmi, suffix, from: timeBound('start').optional(), to: timeBound('end').optional() })
  .refine(rangeIsOrdered, RANGE_ORDER);

export const statsParams = z
  .object({
    nmi,
    suffix,
    from: timeBound('start'),
    to: timeBound('end'),
    granularity: z.enum(['interval', 'day', 'month'], { message: 'expected interval, day or month' }).default('day'),
  })
  .refine(rangeIsOrdered, RANGE_ORDER)
  .superRefine((params, ctx) => {
    const days = (Date.parse(params.to) - Date.parse(params.from)) / DAY_MS;
    const max = STATS_MAX_DAYS[params.granularity];
    if (days > max) {
      ctx.addIssue({
        code: 'custom',
        path: ['to'],
        message: `the range spans ${Math.ceil(days)} days; granularity=${params.granularity} allows at most ${max}${params.granularity === 'interval' ? ' (use day or month for longer ranges)' : ''}`,
      });
    }
  });

/** Completeness: a range of NEM days, at most COMPLETENESS_MAX_DAYS long. */
export const COMPLETENESS_MAX_DAYS = 366;
export const GAP_STREAMS_LIMIT = { default: 50, max: 500 };
const nemDay = z.string().refine((text) => DATE.test(text) && parseNemDate(text.replaceAll('-', '')) !== null, 'expected a date, YYYY-MM-DD');
const dayRange = { from: nemDay, to: nemDay };
function daysInRange(range: { from: string; to: string }, ctx: z.RefinementCtx): void {
  const days = (Date.parse(range.to) - Date.parse(range.from)) / DAY_MS + 1;
  if (days < 1) ctx.addIssue({ code: 'custom', path: ['from'], message: 'must not be after to' });
  else if (days > COMPLETENESS_MAX_DAYS) ctx.addIssue({ code: 'custom', path: ['to'], message: `the range spans ${days} days; at most ${COMPLETENESS_MAX_DAYS}` });
}
const gapStatus = z.enum(['missing', 'partial', 'estimated'], { message: 'expected missing, partial or estimated' }).default('missing');

export const completenessParams = z.object(dayRange).superRefine(daysInRange);
export const gapStreamsParams = z
  .object({ ...dayRange, status: gapStatus, limit: wholeNumber(GAP_STREAMS_LIMIT), cursor: cursorOf(z.object({ days: z.number().int().min(1), ordinal: z.number().int().min(0) })).optional() })
  .superRefine(daysInRange);
export const gapStreamsCsvParams = z.object({ ...dayRange, status: gapStatus }).superRefine(daysInRange);

export type CompletenessParams = z.infer<typeof completenessParams>;
export type GapStreamsParams = z.infer<typeof gapStreamsParams>;
export type NmisParams = z.infer<typeof nmisParams>;
export type ReadingsParams = z.infer<typeof readingsParams>;
export type ReadingsCsvParams = z.infer<typeof readingsCsvParams>;
export type StatsParams = z.infer<typeof statsParams>;

/**
 * Validates a query string against an endpoint's schema. Every way of getting it wrong answers 400
 * naming the parameter: unknown, repeated, or invalid.
 */
export function parseParams<S extends z.ZodObject>(schema: S, search: URLSearchParams): z.infer<S> {
  const known = Object.keys(schema.shape);
  const raw: Record<string, string> = {};
  for (const [key, value] of search) {
    if (!known.includes(key)) {
      throw new ApiError('UNKNOWN_PARAMETER', `${key}: not a parameter of this endpoint (it takes ${known.join(', ')})`, key);
    }
    if (key in raw) throw new ApiError('INVALID_PARAMETER', `${key}: given more than once`, key);
    raw[key] = value;
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const parameter = String(issue.path[0] ?? known[0]);
  const message = issue.code === 'invalid_type' && raw[parameter] === undefined ? 'required' : issue.message;
  throw new ApiError('INVALID_PARAMETER', `${parameter}: ${message}`, parameter);
}
