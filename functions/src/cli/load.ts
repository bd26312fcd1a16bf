import pg from 'pg';
import { loadFile, type LoadResult } from '../load/loadFile';
import { migrate } from '../load/migrate';
import { LocalFile } from '../source/localFile';
import { describeIssues, issuesJson } from './format';
import { EXIT, UsageError } from './main';
import { ProgressBar } from './progress';

function databaseUrl(values: Record<string, unknown>): string {
  const url = (values['database-url'] as string | undefined) ?? process.env.DATABASE_URL;
  if (!url) throw new UsageError('no database: pass --database-url URL or set DATABASE_URL');
  return url;
}

export async function migrateCommand(positionals: string[], values: Record<string, unknown>): Promise<number> {
  if (positionals.length > 0) throw new UsageError('migrate takes no arguments');
  const pool = new pg.Pool({ connectionString: databaseUrl(values), max: 1 });
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
  const files = positionals.map((path) => new LocalFile(path));
  const pool = new pg.Pool({ connectionString: databaseUrl(values), max: 2 });
  const results: LoadResult[] = [];
  try {
    await migrate(pool);
    for (const file of files) {
      const progress = new ProgressBar(`loading ${file.name}`);
      const result = await loadFile(pool, { open: file.open, fileName: file.name }, {
        onProgress: (info, pass) => progress.update(file.bytesRead, file.size, pass === 1 ? 'checking' : `${info.readings} readings`),
      });
      progress.done();
      results.push(result);
      if (!values.json) process.stdout.write(`${describe(result)}\n`);
    }
  } finally {
    await pool.end();
  }
  if (values.json) {
    const json = results.map((result) => ({
      file: result.fileName,
      ok: result.ok,
      uploadId: result.uploadId,
      readings: result.readings,
      new: result.new,
      updated: result.updated,
      unchanged: result.unchanged,
      days: result.days,
      ...issuesJson(result.issues),
    }));
    process.stdout.write(`${JSON.stringify(json.length === 1 ? json[0] : json)}\n`);
  }
  return results.every((result) => result.ok) ? EXIT.ok : EXIT.rejected;
}

function describe(result: LoadResult): string {
  const head = result.ok
    ? `${result.fileName}: loaded ${result.readings} readings: ${result.new} new, ${result.updated} updated, ${result.unchanged} unchanged` +
      `${result.issues.warningCount ? `, ${result.issues.warningCount} warning(s)` : ''}`
    : `${result.fileName}: REJECTED, nothing loaded (${result.issues.errorCount} error(s))`;
  const issues = describeIssues(result.issues);
  return issues ? `${head}\n${issues}` : head;
}
