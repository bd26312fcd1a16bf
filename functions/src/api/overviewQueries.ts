import type { PoolClient, QueryConfig } from 'pg';
import type { Overview } from './apiTypes';

/**
 * GET /overview: what an organisation has loaded and what is under way, for the top of the uploads
 * page. The upload counts are cheap (the (org_id, created_at) index) and are part of the cache
 * key; the data figures read every day row of the organisation's streams, so they are cached by the
 * organisation's data version (which every load moves).
 */
export function overviewCountsQuery(org: string): QueryConfig {
  return {
    text: `SELECT count(*) FILTER (WHERE status = 'done') AS files,
                  count(*) FILTER (WHERE status NOT IN ('done', 'failed')) AS in_flight,
                  count(*) FILTER (WHERE status = 'failed' AND coalesce(finished_at, created_at) > now() - interval '7 days') AS failed_week
           FROM uploads WHERE org_id = $1`,
    values: [org],
  };
}

export function overviewDataQuery(org: string): QueryConfig {
  return {
    text: `SELECT count(DISTINCT c.nmi) AS nmis, coalesce(sum(d.readings), 0) AS readings, max(d.day)::text AS latest_day
           FROM channels c LEFT JOIN days d ON d.channel_id = c.id AND d.readings > 0
           WHERE c.org_id = $1 AND c.data_version > 0`,
    values: [org],
  };
}

export type OverviewCounts = Pick<Overview, 'filesLoaded' | 'inFlight' | 'failedLast7Days'>;

export async function overviewCounts(db: PoolClient, org: string): Promise<OverviewCounts> {
  const row = (await db.query<{ files: string; in_flight: string; failed_week: string }>(overviewCountsQuery(org))).rows[0];
  return { filesLoaded: Number(row.files), inFlight: Number(row.in_flight), failedLast7Days: Number(row.failed_week) };
}

export async function overview(db: PoolClient, org: string, counts: OverviewCounts): Promise<Overview> {
  const row = (await db.query<{ nmis: string; readings: string; latest_day: string | null }>(overviewDataQuery(org))).rows[0];
  return { ...counts, readings: Number(row.readings), nmis: Number(row.nmis), latestDay: row.latest_day };
}
