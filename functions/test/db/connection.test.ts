import { Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseTarget, poolConfig, type SessionLimits, type SocketConnector } from '../../src/load/connection';
import { PASSWORDLESS_ROLE } from '../../src/dev/embeddedPostgres';
import { newPool } from '../../src/load/database';
import { migrate } from '../../src/load/migrate';
import { checkSchema, SchemaBehindError, SCHEMA_VERSION } from '../../src/load/schemaVersion';
import { freshDatabase, type TestDatabase } from './testDatabase';

const LIMITS: SessionLimits = { connectTimeoutMs: 3_000, statementTimeoutMs: 4_321, lockTimeoutMs: 1_234, idleInTransactionMs: 2_345 };

/**
 * A stand-in for @google-cloud/cloud-sql-connector (these machines reach no Cloud SQL instance, so
 * the connector's own TLS and IAM token exchange are NOT checked here): like it, it hands pg a
 * socket that goes where it decides, whatever host and port pg asks for, and it records what the
 * pool asked of it. Here, the real PostgreSQL of the test.
 */
function standInConnector(server: URL) {
  const asked: Parameters<SocketConnector['getOptions']>[0][] = [];
  const connector: SocketConnector = {
    getOptions: async (options) => {
      asked.push(options);
      return {
        stream: () => {
          const socket = new Socket();
          const connect = socket.connect.bind(socket);
          socket.connect = (() => connect(Number(server.port || 5432), server.hostname)) as Socket['connect'];
          return socket;
        },
      };
    },
  };
  return { connector, asked };
}

let db: TestDatabase;
beforeEach(async () => {
  db = await freshDatabase({ migrate: false });
});
afterEach(() => db.drop());

/** What a session of a pool made from `config` says about itself. */
async function sessionOf(config: Awaited<ReturnType<typeof poolConfig>>) {
  const pool = newPool(config);
  try {
    const [row] = (
      await pool.query<{ user: string; database: string; statement: string; lock: string; idle: string; jit: string }>(
        `SELECT current_user AS user, current_database() AS database, current_setting('statement_timeout') AS statement,
                current_setting('lock_timeout') AS lock, current_setting('idle_in_transaction_session_timeout') AS idle, current_setting('jit') AS jit`,
      )
    ).rows;
    return row;
  } finally {
    await pool.end();
  }
}

const expectedSession = { statement: '4321ms', lock: '1234ms', idle: '2345ms', jit: 'off' };

describe('connection options for each way to reach PostgreSQL', () => {
  it('DATABASE_URL alone: the URL as is, with the session limits and a connect timeout', async () => {
    const target = databaseTarget({ url: db.url, instance: '' });
    expect(target.cloudSql).toBeUndefined();
    const config = await poolConfig(target, LIMITS, 3, () => {
      throw new Error('no connector without an instance');
    });
    expect(config).toMatchObject({ connectionString: db.url, max: 3, connectionTimeoutMillis: 3_000 });
    expect(await sessionOf(config)).toMatchObject({ ...expectedSession, database: new URL(db.url).pathname.slice(1) });
  });

  it.each([
    ['PUBLIC', 'public IP'],
    ['private', 'private IP (any case)'],
    ['PSC', 'Private Service Connect'],
  ])('connector, %s (%s), password from the secret: every connection through the connector (stand-in)', async (ipType) => {
    const server = new URL(db.url);
    const database = server.pathname.slice(1);
    // The secret's URL says who and which database; its host is never dialled.
    const secret = `postgres://${server.username}:${server.password || 'unused'}@ignored.invalid/${database}`;
    const target = databaseTarget({ url: secret, instance: 'nem12-prod:australia-southeast1:nem12', ipType, iam: false });
    const { connector, asked } = standInConnector(server);
    const config = await poolConfig(target, LIMITS, 2, () => connector);
    expect(asked).toEqual([{ instanceConnectionName: 'nem12-prod:australia-southeast1:nem12', ipType: ipType.toUpperCase(), authType: 'PASSWORD' }]);
    expect(config).toMatchObject({ user: server.username, password: server.password || 'unused', database, max: 2 });
    expect(config.connectionString).toBeUndefined();
    expect(await sessionOf(config)).toMatchObject({ ...expectedSession, user: server.username, database });
  });

  it('connector with IAM database authentication: IAM auth asked of the connector, and no password sent', async (ctx) => {
    const server = new URL(db.url);
    const database = server.pathname.slice(1);
    // Cloud SQL lets the connector's IAM identity in without a password; here a role the test server
    // lets in without one (the embedded server's pg_hba.conf names it; the machine's server trusts all).
    await db.query(`DO $$ BEGIN CREATE ROLE ${PASSWORDLESS_ROLE} LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$`);
    const target = databaseTarget({ url: `postgres://${PASSWORDLESS_ROLE}@cloudsql/${database}`, instance: 'nem12-prod:australia-southeast1:nem12', iam: true });
    const { connector, asked } = standInConnector(server);
    const config = await poolConfig(target, LIMITS, 2, () => connector);
    expect(asked[0]).toMatchObject({ ipType: 'PUBLIC', authType: 'IAM' });
    expect(Object.keys(config)).not.toContain('password');
    const session = await sessionOf(config).catch((error: Error & { code?: string }) => error);
    if (session instanceof Error && /password|28P01|28000/.test(`${session.code} ${session.message}`)) {
      ctx.skip(`the server behind DATABASE_URL asks ${PASSWORDLESS_ROLE} for a password (${session.message}): a login without one cannot be checked there`);
    }
    expect(session).toMatchObject({ user: PASSWORDLESS_ROLE, database });
    // A service account's database user has an @ in it: written %40 in the URL.
    const account = databaseTarget({ url: 'postgres://nem12-runtime%40nem12-prod.iam@cloudsql/nem12', instance: 'nem12-prod:australia-southeast1:nem12', iam: true });
    expect(await poolConfig(account, LIMITS, 1, () => connector)).toMatchObject({ user: 'nem12-runtime@nem12-prod.iam', database: 'nem12' });
  });

  it.each([
    [{ url: '' }, /DATABASE_URL is not set/],
    [{ url: 'mysql://x@y/z' }, /not a postgres:\/\/ URL/],
    [{ url: 'postgres://u@h/d', instance: 'not-an-instance' }, /not an instance connection name/],
    [{ url: 'postgres://u@h/d', instance: 'p:r:i', ipType: 'VPN' }, /DB_IP_TYPE VPN/],
    [{ url: 'postgres://h/d', instance: 'p:r:i' }, /names no user/],
    [{ url: 'postgres://u:secret@h/d', instance: 'p:r:i', iam: true }, /has a password but DB_IAM_AUTH/],
  ])('refuses settings that cannot work: %j', (settings, message) => {
    expect(() => databaseTarget(settings)).toThrow(message);
  });
});

describe('the functions refuse a schema behind the code', () => {
  it('no migrations, an older one, then migrated: behind, behind, ready', async () => {
    await expect(checkSchema(db.pool)).rejects.toThrow(SchemaBehindError);
    await expect(checkSchema(db.pool)).rejects.toThrow(/no migration but this code needs/);
    await db.query(`CREATE TABLE schema_migrations (version text PRIMARY KEY, name text NOT NULL, checksum text NOT NULL)`);
    await db.query(`INSERT INTO schema_migrations VALUES ('0005', 'older', 'x')`);
    await expect(checkSchema(db.pool)).rejects.toThrow(`at migration 0005 but this code needs ${SCHEMA_VERSION}`);
    await db.query('DROP TABLE schema_migrations');
    await migrate(db.pool);
    await expect(checkSchema(db.pool)).resolves.toBeUndefined();
  });
});
