import pg from 'pg';
import { newPool } from '../load/database';
import { loadFile, type LoadResult } from '../load/loadFile';
import { migrate } from '../load/migrate';
import { isOrgId, LOCAL_ORG } from '../orgs/orgIds';
import { LocalFile } from '../source/localFile';
import { describeIssues, issuesJson } from './format';
import { commandFailureOf, EXIT, type CommandFailure } from './failure';
import { UsageError } from './main';
import { ProgressBar } from './progress';

function databaseUrl(values: Record<string, unknown>): string {
  const url = (values['database-url'] as string | undefined) ?? process.env.DATABASE_URL;
  if (!url) throw new UsageError('no database: pass --database-url URL or set DATABASE_URL');
  return url;
}

export async function migrateCommand(positionals: string[], values: Record<string, unknown>): Promise<number> {
  if (positionals.length > 0) throw new UsageError('migrate takes no arguments');
  const pool = commandPool(databaseUrl(values), 1);
  try {
    const ran = await migrate(pool);
    process.stdout.write(ran.length ? `applied ${ran.join(', ')}\n` : 'database is up to date\n');
    return EXIT.ok;
  } finally {
    await pool.end();
  }
}

export async function loadCommand(positionals: string[], values: Record<string, unknown>): Promise<number> {
  if (positionals.length === 0) throw new UsageError('load needs at least one FILE');
  const org = typeof values.org === 'string' ? values.org : LOCAL_ORG;
  if (!isOrgId(org)) throw new UsageError(`--org "${org}" is not an organisation id (2-128 letters, digits, "_" or "-")`);
  const files = positionals.map((path) => new LocalFile(path));
  const pool = commandPool(databaseUrl(values), 2);
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

/** A small pool for a command: an unreachable server fails within 10 s. */
function commandPool(connectionString: string, max: number): pg.Pool {
  return newPool({ connectionString, max, connectionTimeoutMillis: 10_000, application_name: 'nem12' });
}

function describe(result: LoadResult): string {
  const head = result.ok
    ? `${result.fileName}: loaded ${result.readings} readings: ${result.new} new, ${result.updated} updated, ${result.unchanged} unchanged` +
      `${result.issues.warningCount ? `, ${result.issues.warningCount} warning(s)` : ''}`
    : `${result.fileName}: REJECTED, nothing loaded (${result.issues.errorCount} error(s))`;
  const issues = describeIssues(result.issues);
  return issues ? `${head}\n${issues}` : head;
}
