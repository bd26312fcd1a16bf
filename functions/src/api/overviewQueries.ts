import type { PoolClient, QueryConfig } from 'pg';
import type { Overview } from './apiTypes';

/**
 * GET /overview: what an organisation has loaded and what is under way, for the top of the uploads
 * page. The upload counts are cheap (the (org_id, created_at) index) and are part of the cache
 * key; the data figures come from the organisation's figures per day (org_days, kept by every
 * publish) and its streams' index, cached by the organisation's data version (which every publish moves).
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
    text: `SELECT (SELECT count(DISTINCT c.nmi) FROM channels c WHERE c.org_id = $1 AND c.published) AS nmis,
                  coalesce(sum(o.readings), 0) AS readings, (max(o.day) FILTER (WHERE o.readings > 0))::text AS latest_day
           FROM org_days o WHERE o.org_id = $1`,
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
