import { parseArgs, type ParseArgsConfig } from 'node:util';
import { checkCommand } from './check';
import { DATABASE_OPTIONS, loadCommand, migrateCommand } from './load';
import { EXIT, reportFailure } from './failure';
import { sqlCommand } from './sql';


export const USAGE = `Usage: nem12 <command> [options]

Commands:
  check FILE [--json]                      Validate a NEM12 file (plain, .zip or .gz) and summarise it.
  sql FILE [-o OUT]                        Write the Flo meter_readings SQL (to stdout, or OUT; OUT.gz compresses).
  load FILE... [--org ORG] [--database-url URL] [--json]
                                           Load files into PostgreSQL (applies migrations first), into
                                           organisation ORG (default local).
  migrate [--database-url URL]             Apply the database migrations (waiting at most 10 s for a lock).
  upload FILE [--org ORG] [--uid UID] [--wait] [--json] [--project ID] [--bucket NAME] [--timeout SECONDS]
                                           Put FILE in the pipeline's bucket (uploads/ORG/UID/FILE; ORG
                                           default local, UID default cli); with --wait, follow its
                                           status to the end (exit 0 done, 1 failed).
  org create NAME [--id ID] [--json]       Create an organisation; prints its id.
  org list [--json]                        The organisations.
  org members ORG [--json]                 Its members and their roles.
  org add-member ORG EMAIL [--role admin|member] [--password P]
                                           Make EMAIL a member (the account is created if missing).
  org remove-member ORG EMAIL              End a membership (the user's tokens are revoked).
                                           upload and org: a demo- project (the default) means the
                                           local emulators.

The database is --database-url, else the DATABASE_URL environment variable. For Cloud SQL through
Google's connector (load, migrate): --cloud-sql-instance PROJECT:REGION:INSTANCE [--ip-type PUBLIC|PRIVATE|PSC]
[--iam] (else CLOUD_SQL_INSTANCE, DB_IP_TYPE, DB_IAM_AUTH=true), with the URL giving user and database
(postgres://USER[:PASSWORD]@cloudsql/DATABASE; with --iam no password, USER your IAM user).
Exit status: 0 success, 1 a file was rejected, 2 usage error, 3 the database failed (the file
being loaded is not stored), 4 an internal error (nothing of that file is stored).`;

export class UsageError extends Error {}

interface Command {
  options: ParseArgsConfig['options'];
  run(positionals: string[], values: Record<string, string | boolean | undefined>): Promise<number>;
}

const COMMANDS: Record<string, Command> = {
  check: { options: { json: { type: 'boolean' } }, run: checkCommand },
  sql: { options: { output: { type: 'string', short: 'o' } }, run: sqlCommand },
  load: { options: { json: { type: 'boolean' }, org: { type: 'string' }, ...DATABASE_OPTIONS }, run: loadCommand },
  migrate: { options: { ...DATABASE_OPTIONS }, run: migrateCommand },
  upload: {
    options: {
      wait: { type: 'boolean' },
      json: { type: 'boolean' },
      org: { type: 'string' },
      uid: { type: 'string' },
      project: { type: 'string' },
      bucket: { type: 'string' },
      timeout: { type: 'string' },
    },
    // Loaded on use: firebase-admin is only needed here and in org.
    run: async (positionals, values) => (await import('./upload.js')).uploadCommand(positionals, values),
  },
  org: {
    options: {
      json: { type: 'boolean' },
      id: { type: 'string' },
      role: { type: 'string' },
      password: { type: 'string' },
      project: { type: 'string' },
    },
    run: async (positionals, values) => (await import('./org.js')).orgCommand(positionals, values),
  },
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? process.stderr : process.stdout).write(`${USAGE}\n`);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const command = COMMANDS[name];
  if (command === undefined) return usage(`unknown command "${name}"`);
  let json = false;
  try {
    const { positionals, values } = parseArgs({ args: rest, options: command.options, allowPositionals: true, strict: true });
    json = (values as Record<string, unknown>).json === true;
    return await command.run(positionals, values as Record<string, string | boolean | undefined>);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      return usage((error as Error).message);
    }
    const { code, syscall } = error as NodeJS.ErrnoException;
    // A FILE argument that is missing or a folder; not a database socket that is missing.
    if ((code === 'ENOENT' || code === 'EISDIR') && syscall !== 'connect') return usage((error as Error).message);
    return reportFailure(error, json);
  }
}

function usage(message: string): number {
  process.stderr.write(`nem12: ${message}\n\n${USAGE}\n`);
  return EXIT.usage;
}
