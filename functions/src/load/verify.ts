import type { PoolClient } from 'pg';
import type { LoadPlan } from './planLoad';
import { LoadVerificationError } from './loadErrors';
import { dayRowText, digestColumns, digestOf, digestOfRow, sameDigest, type RowDigest } from './rowDigest';

/**
 * The checks a load makes before it commits, on the temporary table load_plan (publish.ts): what is
 * staged is what was rendered and what validation found, and what is stored is what was staged or
 * rendered, in the days validation planned. Each compares digests (rowDigest.ts) or columns; a
 * failure throws LoadVerificationError and the transaction rolls back.
 */

/**
 * The last block of each month of `days` the plan inserts into, and this transaction's id: rows
 * written from now on fill those blocks and new ones, unless free space elsewhere is reused.
 */
export async function writeMark(client: PoolClient): Promise<WriteMark> {
  const result = await client.query<{ partition: string; block: string; xid: string }>(
    `SELECT p.partition, greatest(pg_relation_size(p.partition::regclass) / current_setting('block_size')::integer - 1, 0) AS block,
            (txid_current() % 4294967296)::text AS xid
     FROM (SELECT day_partition(month) AS partition FROM (SELECT DISTINCT date_trunc('month', day)::date AS month FROM load_plan WHERE action = 'insert') m) p`,
  );
  const xid = result.rows[0]?.xid ?? '0';
  return { blocks: result.rows.map((row) => ({ partition: row.partition, block: Number(row.block) })), xid };
}

export interface WriteMark {
  /** Per month partition (`days_y2024m03`, from day_partition()), its last block before the load wrote. */
  blocks: { partition: string; block: number }[];
  /** As xmin prints it (32 bits). */
  xid: string;
}

/**
 * Before anything is written from them: the staged rows are the rows rendered (`rendered`: their
 * digest), and the staged row of every day that loads is the day validated (line, fingerprint,
 * readings). Catches a second pass that read other bytes than the first, or a staging table that
 * lost or changed rows.
 */
export async function verifyStaged(client: PoolClient, stagedRows: string, rendered: RowDigest): Promise<void> {
  const bad = await client.query<{ line: number; readings: number; staged: number | null }>(
    // Materialized: with the LIMIT pushed into it, the planner bets on an early mismatch and joins
    // by nested loop, 73,000 x 73,000 when there is none (the usual case).
    `WITH bad AS MATERIALIZED (
       SELECT p.line, p.readings, s.readings AS staged
       FROM load_plan p LEFT JOIN ${stagedRows} s ON s.line = p.line AND s.channel_id = p.channel_id AND s.day = p.day
       WHERE p.action <> 'skip' AND (s.line IS NULL OR s.readings <> p.readings OR s.fingerprint <> p.fingerprint)
     )
     SELECT * FROM bad ORDER BY line LIMIT 1`,
  );
  if (bad.rows.length > 0) {
    const row = bad.rows[0];
    throw new LoadVerificationError(`the day at line ${row.line} was validated with ${row.readings} readings but ${row.staged ?? 'none'} were staged`);
  }
  const staged = await digestOf(client, dayRowText('s'), `FROM ${stagedRows} s`);
  if (!sameDigest(staged, rendered)) {
    throw new LoadVerificationError(`${rendered.rows} day rows were rendered but the ${staged.rows} staged ones hold other values or qualities`);
  }
}

/** The digest of the staged rows of the days new to the database (after verifyStaged: as rendered). */
export function stagedInserts(client: PoolClient, stagedRows: string): Promise<RowDigest> {
  return digestOf(client, dayRowText('s'), `FROM ${stagedRows} s JOIN load_plan p ON p.line = s.line WHERE p.action = 'insert'`);
}

/** What identifies a validated day, as SQL over a row `a` of load_plan or of `days`. */
const plannedText = (a: string) => `concat_ws('|', ${a}.channel_id, ${a}.day, ${a}.line, ${a}.fingerprint, ${a}.readings)`;
/** A 64-bit XOR over rows: both sides computed by PostgreSQL, so its own hash function will do. */
const plannedHash = (a: string) => `coalesce(bit_xor(hashtextextended(${plannedText(a)}, 0)), 0)::text`;

/**
 * After the new days are written (before any merge): they are the days planned and validated, and
 * stored as `expected` (the digest of the rows rendered or staged). The rows written land in their
 * month's last block and new ones after it unless free space elsewhere was reused, so the fast
 * check reads just those blocks (a TID range scan of each month written); when it does not find them all, every new day
 * is looked up by key instead.
 */
export async function verifyInserted(client: PoolClient, plan: LoadPlan, expected: RowDigest, mark: WriteMark): Promise<void> {
  const planned = await client.query<{ n: string; keys: string }>(`SELECT count(*) AS n, ${plannedHash('p')} AS keys FROM load_plan p WHERE p.action = 'insert'`);
  // The blocks each month's partition grew by (names from day_partition(): `days_yYYYYmMM`).
  const written = mark.blocks
    .filter(({ partition }) => /^days_y\d{4}m\d{2}$/.test(partition))
    .map(({ partition, block }) => `SELECT * FROM ${partition} WHERE ctid >= '(${Math.trunc(block)},0)'::tid AND xmin::text = $1`);
  const fresh = await client.query<{ n: string; xor: string | null; keys: string }>(
    `SELECT ${digestColumns(dayRowText('d'))}, ${plannedHash('d')} AS keys
     FROM (${written.length > 0 ? written.join(' UNION ALL ') : 'SELECT * FROM days WHERE $1::text IS NULL AND false'}) d`,
    [mark.xid],
  );
  if (fresh.rows[0].keys === planned.rows[0].keys && fresh.rows[0].n === planned.rows[0].n && sameDigest(digestOfRow(fresh.rows[0]), expected)) return;
  const stored = await digestOf(
    client,
    dayRowText('d'),
    `FROM load_plan p CROSS JOIN LATERAL (SELECT * FROM days d WHERE d.channel_id = p.channel_id AND d.day = p.day OFFSET 0) d
     WHERE p.action = 'insert' AND d.line = p.line AND d.fingerprint = p.fingerprint AND d.readings = p.readings`,
  );
  if (stored.rows !== plan.days.insert) {
    throw new LoadVerificationError(`${plan.days.insert} new days were validated but ${stored.rows} are stored as validated`);
  }
  if (!sameDigest(stored, expected)) throw new LoadVerificationError(`the ${stored.rows} new days are not stored with the values and qualities rendered`);
}

/** After the merges: every merged day is stored as the merge computed it (merged_days, publish.ts). */
export async function verifyMerged(client: PoolClient): Promise<void> {
  const [{ wrong }] = (
    await client.query<{ wrong: string }>(
      `SELECT count(*) AS wrong FROM merged_days m LEFT JOIN days d ON d.channel_id = m.channel_id AND d.day = m.day
       WHERE d.channel_id IS NULL OR (d.intervals, d.quality, d.fingerprint, d.upload_id, d.line, d.readings, d.older)
             IS DISTINCT FROM (m.intervals, m.quality, m.fingerprint, m.upload_id, m.line, m.readings, m.older)`,
    )
  ).rows;
  if (Number(wrong) !== 0) throw new LoadVerificationError(`${wrong} merged days are not stored as the merge computed them`);
}
