import type { Pool } from 'pg';

/**
 * The last migration the code needs. Deployed functions do not carry `sql/` (firebase deploys
 * `functions/` only), so it is a constant; a test keeps it equal to the newest migration file.
 */
export const SCHEMA_VERSION = '0013';

export class SchemaBehindError extends Error {
  constructor(readonly applied: string | null) {
    super(
      `The database schema is at ${applied === null ? 'no migration' : `migration ${applied}`} but this code needs ${SCHEMA_VERSION}: ` +
        'run `nem12 migrate` against it (README: Production), then the retried tasks go through.',
    );
    this.name = 'SchemaBehindError';
  }
}

/** Refuses to work on a database whose applied migrations are behind the code's. */
export async function checkSchema(pool: Pool): Promise<void> {
  let applied: string | null = null;
  try {
    const result = await pool.query<{ version: string | null }>('SELECT max(version) AS version FROM schema_migrations');
    applied = result.rows[0].version;
  } catch (error) {
    // No schema_migrations table: nothing was ever migrated.
    if ((error as { code?: string }).code !== '42P01') throw error;
  }
  if (applied === null || applied < SCHEMA_VERSION) throw new SchemaBehindError(applied);
}
