import { checkCommand } from './check';
import { loadCommand, migrateCommand } from './load';
import { sqlCommand } from './sql';

/**
 * Every command of `nem12` in one table: its arguments, options and texts. The parser, the
 * command's --help and the overview are all made from it, so they cannot disagree.
 */

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** The value's name in help: `--org ORG`. */
  value?: string;
  help: string;
}

export type Values = Record<string, string | boolean | undefined>;

export interface CommandSpec {
  /** As typed after `nem12`: `check`, `org create`. */
  name: string;
  /** Its positional arguments: `FILE`, `FILE...` (one or more), `ORG EMAIL`, or '' (none). */
  args: string;
  /** One line: the overview's and the top of --help. */
  summary: string;
  /** More lines, for --help only. */
  details?: string;
  options: Record<string, OptionSpec>;
  run(positionals: string[], values: Values): Promise<number>;
}

/** A command made of subcommands (`nem12 org create ...`). */
export interface CommandGroup {
  name: string;
  summary: string;
  details?: string;
  subcommands: Record<string, CommandSpec>;
}

/** Every command takes -h/--help (handled before the command runs). */
export const HELP_OPTION: Record<string, OptionSpec> = { help: { type: 'boolean', short: 'h', help: 'Print this help.' } };

const json = (what: string): Record<string, OptionSpec> => ({ json: { type: 'boolean', help: `Print ${what} as JSON on stdout.` } });

/** Where the database is (else the environment), as the functions' params. */
const DATABASE_OPTIONS: Record<string, OptionSpec> = {
  'database-url': { type: 'string', value: 'URL', help: 'The database, postgres://... (else DATABASE_URL).' },
  'cloud-sql-instance': {
    type: 'string',
    value: 'PROJECT:REGION:INSTANCE',
    help: "Connect through Google's Cloud SQL connector (else CLOUD_SQL_INSTANCE); the URL then gives user and database: postgres://USER[:PASSWORD]@cloudsql/DATABASE.",
  },
  'ip-type': { type: 'string', value: 'PUBLIC|PRIVATE|PSC', help: "The instance's address to use (else DB_IP_TYPE; default PUBLIC)." },
  iam: { type: 'boolean', help: 'IAM database authentication: no password, USER is your IAM user (else DB_IAM_AUTH=true).' },
};

const PROJECT_OPTION: Record<string, OptionSpec> = {
  project: {
    type: 'string',
    value: 'ID',
    help: "The Firebase project (else GCLOUD_PROJECT, else .firebaserc's default, else demo-nem12). A demo- project means the local emulators; any other, Google Cloud with Application Default Credentials.",
  },
};

const ORG_OPTION = (help: string): Record<string, OptionSpec> => ({ org: { type: 'string', value: 'ORG', help } });

/** org.ts (and upload.ts) load firebase-admin: imported only when such a command runs. */
const orgRun =
  (name: string): CommandSpec['run'] =>
  async (positionals, values) =>
    (await import('./org.js')).orgCommand(name, positionals, values);

export const COMMANDS: Record<string, CommandSpec | CommandGroup> = {
  check: {
    name: 'check',
    args: 'FILE',
    summary: 'Validate a NEM12 file and summarise it.',
    details:
      'Prints the verdict, the days covered and the channels: all of them for up to 20 channels; for more, ' +
      'the totals, the channels by unit and interval, the first 5 and the 5 most incomplete, and the first 10 issues.\n' +
      'Exit status: 0 loadable, 1 rejected, 2 usage error.',
    options: {
      channels: { type: 'boolean', help: 'List every channel, however many there are (and the issues, up to 100 of each kind).' },
      ...json('the summary (every channel, the first 100 warnings and errors)'),
    },
    run: checkCommand,
  },
  sql: {
    name: 'sql',
    args: 'FILE',
    summary: 'Write the Flo meter_readings SQL of a file.',
    details:
      'To stdout, or to OUT. One transaction, runnable with psql -v ON_ERROR_STOP=1 -f OUT; running it twice changes nothing.\n' +
      'A rejected file leaves no OUT (on stdout: SQL that commits nothing) and exits 1.',
    options: {
      output: { type: 'string', short: 'o', value: 'OUT', help: 'Write to OUT (OUT.gz is gzipped), complete or not at all.' },
    },
    run: sqlCommand,
  },
  load: {
    name: 'load',
    args: 'FILE...',
    summary: 'Load files into PostgreSQL (migrating it first).',
    details:
      'Each file is stored whole or not at all; a database failure stops there (the files before it are stored).\n' +
      'Exit status: 0 loaded, 1 a file was rejected, 2 usage error, 3 the database failed, 4 an internal error.',
    options: {
      ...ORG_OPTION('The organisation the readings belong to (default local).'),
      ...json("each file's result (an array for several files)"),
      ...DATABASE_OPTIONS,
    },
    run: loadCommand,
  },
  completeness: {
    name: 'completeness',
    args: '',
    summary: "Did every NMI's day arrive? Per day: streams expected, received, partial, missing; readings by quality.",
    details:
      'A stream is expected on a day when it arrived that day or in the 35 days before, or the register names it (nem12 register).\n' +
      'Then the streams with the most missing days (the first 10; all of them: the API, GET /completeness/streams.csv).',
    options: {
      ...ORG_OPTION('The organisation (default local).'),
      from: { type: 'string', value: 'DATE', help: 'The first NEM day, YYYY-MM-DD (required).' },
      to: { type: 'string', value: 'DATE', help: 'The last NEM day, YYYY-MM-DD (required; at most 366 days in all).' },
      ...json('the summary per day and the worst streams'),
      ...DATABASE_OPTIONS,
    },
    run: async (positionals, values) => (await import('./completeness.js')).completenessCommand(positionals, values),
  },
  register: {
    name: 'register',
    args: 'FILE',
    summary: 'Replace the register of NMIs an organisation is responsible for with a CSV file.',
    details:
      'Lines nmi,suffixes,from,to (a first line nmi,... is a header): NMI0000001,E1 B1,2024-01-01, ... No suffixes: every stream of the NMI; empty dates: open.\n' +
      'Taken whole or not at all: every problem is listed with its line. Exit status: 0 replaced, 1 refused, 2 usage error, 3 the database failed.',
    options: {
      ...ORG_OPTION('The organisation (default local).'),
      ...json('the result, or the problems'),
      ...DATABASE_OPTIONS,
    },
    run: async (positionals, values) => (await import('./completeness.js')).registerCommand(positionals, values),
  },
  migrate: {
    name: 'migrate',
    args: '',
    summary: 'Apply the database migrations.',
    details: 'Waits at most 10 s for a lock (the running pipeline is not held up behind it).',
    options: DATABASE_OPTIONS,
    run: migrateCommand,
  },
  upload: {
    name: 'upload',
    args: 'FILE',
    summary: "Upload FILE to the pipeline's bucket.",
    details: 'The object is uploads/ORG/UID/FILE, where the pipeline picks it up; --wait follows it to the end.\nExit status with --wait: 0 done, 1 failed.',
    options: {
      ...ORG_OPTION('The organisation (default local); it must exist.'),
      uid: { type: 'string', value: 'UID', help: "The uploader's folder (default cli)." },
      wait: { type: 'boolean', help: "Follow the upload's status until done or failed." },
      timeout: { type: 'string', value: 'SECONDS', help: 'How long --wait waits (default 900).' },
      ...json('where the file went, or with --wait its final status,'),
      ...PROJECT_OPTION,
      bucket: { type: 'string', value: 'NAME', help: 'The bucket (else NEM12_BUCKET, else PROJECT.firebasestorage.app; PROJECT.appspot.com on the emulators).' },
    },
    run: async (positionals, values) => (await import('./upload.js')).uploadCommand(positionals, values),
  },
  org: {
    name: 'org',
    summary: 'The organisations and their members, through the Admin SDK.',
    details: 'A refusal (no such organisation, the last admin ...) exits 1 with its code.',
    subcommands: {
      create: {
        name: 'org create',
        args: 'NAME',
        summary: 'Create an organisation; prints its id.',
        options: { id: { type: 'string', value: 'ID', help: 'Its id (default: made from NAME, with a random end).' }, ...json('it'), ...PROJECT_OPTION },
        run: orgRun('create'),
      },
      rename: {
        name: 'org rename',
        args: 'ORG NAME',
        summary: 'Give an organisation a new name (its id stays).',
        options: { ...json('it'), ...PROJECT_OPTION },
        run: orgRun('rename'),
      },
      list: { name: 'org list', args: '', summary: 'The organisations.', options: { ...json('them'), ...PROJECT_OPTION }, run: orgRun('list') },
      members: {
        name: 'org members',
        args: 'ORG',
        summary: "An organisation's members and their roles.",
        options: { ...json('them'), ...PROJECT_OPTION },
        run: orgRun('members'),
      },
      'add-member': {
        name: 'org add-member',
        args: 'ORG EMAIL',
        summary: 'Make EMAIL a member at once (a first admin); creates a missing account.',
        details:
          'Their next sign-in carries the membership. An account created without --password has none: the person opens the page, ' +
          'chooses "Forgot your password?" with EMAIL and sets one from the emailed link.\n' +
          'Everyone else joins by invitation (nem12 org invite, or the Members tab of an admin).',
        options: {
          role: { type: 'string', value: 'admin|member', help: 'Their role (default member).' },
          password: { type: 'string', value: 'P', help: 'The password of an account created here (else they set one with "Forgot your password?" on the page).' },
          ...json('the membership'),
          ...PROJECT_OPTION,
        },
        run: orgRun('add-member'),
      },
      'remove-member': {
        name: 'org remove-member',
        args: 'ORG EMAIL',
        summary: "End a membership; revokes the user's tokens.",
        options: { ...json('the result'), ...PROJECT_OPTION },
        run: orgRun('remove-member'),
      },
      invite: {
        name: 'org invite',
        args: 'ORG EMAIL',
        summary: 'Invite EMAIL to join, for 14 days (as an admin does on the Members tab).',
        details:
          'The person signs in, or creates an account, with EMAIL on the page, verifies the address from the emailed link, and accepts.\n' +
          'Nothing is sent by this command: tell them. Inviting again renews the invitation.',
        options: {
          role: { type: 'string', value: 'admin|member', help: 'Their role (default member).' },
          ...json('the invitation'),
          ...PROJECT_OPTION,
        },
        run: orgRun('invite'),
      },
    },
  },
};

export const isGroup = (command: CommandSpec | CommandGroup): command is CommandGroup => 'subcommands' in command;
