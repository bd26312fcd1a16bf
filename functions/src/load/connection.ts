import type { Duplex } from 'node:stream';
import type pg from 'pg';
import { newPool } from './database';

/** How Cloud SQL is reached through the connector: the instance's public or private IP, or Private Service Connect. */
export const IP_TYPES = ['PUBLIC', 'PRIVATE', 'PSC'] as const;
export type IpType = (typeof IP_TYPES)[number];

/**
 * Where a process finds PostgreSQL. `url` alone: a server it reaches itself (local, self-managed,
 * the emulators). With `cloudSql`, the connector opens each connection to that instance (TLS and
 * authorisation come with it), and the URL only says who connects to which database: user,
 * password (none with IAM database authentication) and database name; its host is not used.
 */
export interface DatabaseTarget {
  url: string;
  cloudSql?: { instance: string; ipType: IpType; iam: boolean };
}

/**
 * Limits on every session, each below the timeout of the function that opens it: a statement, a
 * wait for a lock or an idle open transaction never outlives the request that started it (a
 * timed-out instance does not keep its transaction running while the task is retried).
 */
export interface SessionLimits {
  connectTimeoutMs: number;
  statementTimeoutMs: number;
  lockTimeoutMs: number;
  idleInTransactionMs: number;
}

/** The part of `@google-cloud/cloud-sql-connector`'s Connector the pool needs. */
export interface SocketConnector {
  getOptions(options: { instanceConnectionName: string; ipType: IpType; authType: 'IAM' | 'PASSWORD' }): Promise<{ stream: () => Duplex }>;
  close?(): void;
}

/** Google's connector (it refreshes the instance's certificates in the background until closed). */
export function cloudSqlConnector(): SocketConnector {
  // Loaded only when an instance is configured: nothing of it runs locally.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Connector } = require('@google-cloud/cloud-sql-connector') as typeof import('@google-cloud/cloud-sql-connector');
  return new Connector() as unknown as SocketConnector;
}

/** Checks a target's settings as read from params or flags; throws naming what is wrong. */
export function databaseTarget(settings: { url: string; instance?: string; ipType?: string; iam?: boolean }): DatabaseTarget {
  if (!settings.url) throw new Error('DATABASE_URL is not set');
  let url: URL;
  try {
    url = new URL(settings.url);
  } catch {
    throw new Error('DATABASE_URL is not a postgres:// URL');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') throw new Error('DATABASE_URL is not a postgres:// URL');
  if (!settings.instance) return { url: settings.url };
  if (!/^[a-z][-a-z0-9.:]*:[a-z0-9-]+:[a-z][-a-z0-9]*$/.test(settings.instance)) {
    throw new Error(`CLOUD_SQL_INSTANCE ${settings.instance} is not an instance connection name (PROJECT:REGION:INSTANCE)`);
  }
  const ipType = (settings.ipType ?? 'PUBLIC').toUpperCase();
  if (!(IP_TYPES as readonly string[]).includes(ipType)) throw new Error(`DB_IP_TYPE ${settings.ipType} is not one of ${IP_TYPES.join(', ')}`);
  if (!url.username) throw new Error('DATABASE_URL names no user (postgres://USER[:PASSWORD]@/DATABASE)');
  if (settings.iam && url.password) throw new Error('DATABASE_URL has a password but DB_IAM_AUTH is on: IAM database authentication uses none');
  return { url: settings.url, cloudSql: { instance: settings.instance, ipType: ipType as IpType, iam: settings.iam ?? false } };
}

/** The session settings every connection starts with (PostgreSQL's startup `options`); 0 is no limit. */
export function sessionOptions(limits: SessionLimits): string {
  return [
    // JIT compiles queries whose cost estimate is high, as a join over a just-loaded table often is,
    // and spends hundreds of milliseconds on queries that run in tens.
    '-c jit=off',
    `-c statement_timeout=${limits.statementTimeoutMs}`,
    `-c lock_timeout=${limits.lockTimeoutMs}`,
    `-c idle_in_transaction_session_timeout=${limits.idleInTransactionMs}`,
  ].join(' ');
}

/** A pool's configuration for the target: the connector's sockets for Cloud SQL, else the URL. */
export async function poolConfig(target: DatabaseTarget, limits: SessionLimits, max: number, connector: () => SocketConnector): Promise<pg.PoolConfig> {
  return (await poolParts(target, limits, max, connector)).config;
}

/** A pool for the target; ending it also closes the connector it opened. */
export async function openPool(target: DatabaseTarget, limits: SessionLimits, max: number, extra: pg.PoolConfig = {}, connector = cloudSqlConnector): Promise<pg.Pool> {
  const parts = await poolParts(target, limits, max, connector);
  const pool = newPool({ ...parts.config, ...extra });
  const end = pool.end.bind(pool);
  pool.end = (async () => {
    try {
      await end();
    } finally {
      parts.connector?.close?.();
    }
  }) as pg.Pool['end'];
  return pool;
}

async function poolParts(target: DatabaseTarget, limits: SessionLimits, max: number, connect: () => SocketConnector) {
  const common = { max, connectionTimeoutMillis: limits.connectTimeoutMs, idleTimeoutMillis: 30_000, options: sessionOptions(limits) };
  if (!target.cloudSql) return { config: { ...common, connectionString: target.url } as pg.PoolConfig, connector: null };
  const url = new URL(target.url);
  const connector = connect();
  const { stream } = await connector.getOptions({
    instanceConnectionName: target.cloudSql.instance,
    ipType: target.cloudSql.ipType,
    authType: target.cloudSql.iam ? 'IAM' : 'PASSWORD',
  });
  const config: pg.PoolConfig = {
    ...common,
    stream,
    user: decodeURIComponent(url.username),
    ...(target.cloudSql.iam ? {} : { password: decodeURIComponent(url.password) }),
    database: decodeURIComponent(url.pathname.slice(1)) || 'postgres',
  };
  return { config, connector };
}
