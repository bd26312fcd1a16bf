import type { Pool } from 'pg';
import type { RegisterEntry } from '../completeness/registerCsv';
import { inTransaction } from './migrate';

/**
 * The organisation's register of NMIs (nmi_register; completeness/registerCsv.ts reads the file):
 * replaced whole, in one transaction, and the organisation's data version moves with it (the
 * completeness answers cached under the old one are not served again). org_data is taken first,
 * as publishes take it.
 */
export async function replaceRegister(pool: Pool, org: string, entries: readonly RegisterEntry[]): Promise<{ lines: number; nmis: number }> {
  const rows = { nmi: [] as string[], suffix: [] as string[], from: [] as string[], to: [] as string[], line: [] as number[] };
  for (const entry of entries) {
    for (const suffix of entry.suffixes.length === 0 ? [''] : entry.suffixes) {
      rows.nmi.push(entry.nmi);
      rows.suffix.push(suffix);
      rows.from.push(entry.from ?? '-infinity');
      rows.to.push(entry.to ?? 'infinity');
      rows.line.push(entry.line);
    }
  }
  const client = await pool.connect();
  try {
    await inTransaction(client, async () => {
      await client.query(
        `INSERT INTO org_data (org_id, version) VALUES ($1, nextval('data_version'))
         ON CONFLICT (org_id) DO UPDATE SET version = EXCLUDED.version`,
        [org],
      );
      await client.query('DELETE FROM nmi_register WHERE org_id = $1', [org]);
      await client.query(
        `INSERT INTO nmi_register (org_id, nmi, suffix, from_day, to_day, line)
         SELECT $1, * FROM unnest($2::text[], $3::text[], $4::date[], $5::date[], $6::integer[])`,
        [org, rows.nmi, rows.suffix, rows.from, rows.to, rows.line],
      );
    });
  } finally {
    client.release();
  }
  return { lines: entries.length, nmis: new Set(entries.map((entry) => entry.nmi)).size };
}

export async function registerSummary(pool: Pool, org: string): Promise<{ lines: number; nmis: number }> {
  const [row] = (
    await pool.query<{ lines: number; nmis: number }>('SELECT count(DISTINCT line)::integer AS lines, count(DISTINCT nmi)::integer AS nmis FROM nmi_register WHERE org_id = $1', [org])
  ).rows;
  return row;
}
