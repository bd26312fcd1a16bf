import type pg from 'pg';
import { databaseTarget, openPool, type SessionLimits } from '../load/connection';
import { loadFile, type LoadResult } from '../ingest/loadFile';
import { migrate } from '../load/migrate';
import { isOrgId, LOCAL_ORG } from '../orgs/orgIds';
import { describeIssues, issuesJson } from './format';
import { commandFailureOf, EXIT, UsageError, type CommandFailure } from './failure';
import { inputFile } from './inputFile';
import { ProgressBar } from './progress';

/**
 * A small pool for a command: an unreachable server fails within 10 s. No statement timeout (a
 * load takes as long as its file); migrations wait at most 10 s for a lock, and fail rather than
 * queue every query of the running pipeline behind them.
 */
export async function commandPool(values: Record<string, unknown>, max: number, lockTimeoutMs: number): Promise<pg.Pool> {
  const url = (values['database-url'] as string | undefined) ?? process.env.DATABASE_URL;
  if (!url) throw new UsageError('no database: pass --database-url URL or set DATABASE_URL');
  let target;
  try {
    target = databaseTarget({
      url,
      instance: (values['cloud-sql-instance'] as string | undefined) ?? process.env.CLOUD_SQL_INSTANCE,
      ipType: (values['ip-type'] as string | undefined) ?? process.env.DB_IP_TYPE,
      iam: (values.iam as boolean | undefined) ?? process.env.DB_IAM_AUTH === 'true',
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const limits: SessionLimits = { connectTimeoutMs: 10_000, statementTimeoutMs: 0, lockTimeoutMs, idleInTransactionMs: 0 };
  return openPool(target, limits, max, { application_name: 'nem12' });
}

export async function migrateCommand(_positionals: string[], values: Record<string, unknown>): Promise<number> {
  const pool = await commandPool(values, 1, 10_000);
  try {
    const ran = await migrate(pool);
    process.stdout.write(ran.length ? `applied ${ran.join(', ')}\n` : 'database is up to date\n');
    return EXIT.ok;
  } finally {
    await pool.end();
  }
}

export async function loadCommand(positionals: string[], values: Record<string, unknown>): Promise<number> {
  const org = typeof values.org === 'string' ? values.org : LOCAL_ORG;
  if (!isOrgId(org)) throw new UsageError(`--org "${org}" is not an organisation id (2-128 letters, digits, "_" or "-")`);
  const files = positionals.map(inputFile);
  const pool = await commandPool(values, 2, 0);
  const results: (LoadResult | { fileName: string; failure: CommandFailure })[] = [];
  try {
    await migrate(pool);
    for (const file of files) {
      const progress = new ProgressBar(`loading ${file.name}`);
      try {
        const result = await loadFile(pool, { open: file.open, fileName: file.name, org, bytes: file.size }, {
          onProgress: (info, pass) => progress.update(file.bytesRead, file.size, pass === 1 ? 'checking' : `${info.readings} readings`),
        });
        results.push(result);
        if (!values.json) process.stdout.write(`${describe(result)}\n`);
      } catch (error) {
        // The file's transaction rolled back: say so, and load nothing more (the files before it are stored).
        const failure = commandFailureOf(error);
        results.push({ fileName: file.name, failure });
        if (!values.json) process.stderr.write(`${file.name}: NOT LOADED, nothing of it is stored: ${failure.code}: ${failure.message}\n`);
        break;
      } finally {
        progress.done();
      }
    }
  } finally {
    await pool.end();
  }
  if (values.json) {
    const json = results.map((result) =>
      'failure' in result
        ? { file: result.fileName, ok: false, error: { code: result.failure.code, message: result.failure.message } }
        : {
            file: result.fileName,
            ok: result.ok,
            uploadId: result.uploadId,
            readings: result.readings,
            new: result.new,
            updated: result.updated,
            unchanged: result.unchanged,
            days: result.days,
            ...issuesJson(result.issues),
          },
    );
    process.stdout.write(`${JSON.stringify(json.length === 1 ? json[0] : json)}\n`);
  }
  const failed = results.find((result) => 'failure' in result);
  if (failed) return failed.failure.exit;
  return results.every((result) => 'ok' in result && result.ok) ? EXIT.ok : EXIT.rejected;
}

function describe(result: LoadResult): string {
  const head = result.ok
    ? `${result.fileName}: loaded ${result.readings} readings: ${result.new} new, ${result.updated} updated, ${result.unchanged} unchanged` +
      `${result.issues.warningCount ? `, ${result.issues.warningCount} warning(s)` : ''}`
    : `${result.fileName}: REJECTED, nothing loaded (${result.issues.errorCount} error(s))`;
  const issues = describeIssues(result.issues);
  return issues ? `${head}\n${issues}` : head;
}
