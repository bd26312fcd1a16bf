import { COMMANDS, HELP_OPTION, isGroup, type CommandGroup, type CommandSpec, type OptionSpec } from './commands';

/** The help texts, all made from the command table (commands.ts). */

const WIDTH = 80;

const NOTES = [
  'Files may be plain, gzipped or a zip holding one file, with any extension: the content decides.',
  'load and migrate: the database is --database-url, else DATABASE_URL.',
  'upload and org: a demo- project (the default) means the local emulators.',
  'Exit status: 0 success, 1 a file was rejected, 2 usage error, 3 the database failed (the file being loaded ' +
    'is not stored), 4 an internal error (nothing of that file is stored).',
];

/** `nem12 --help`: every command in a line. */
export function overview(): string {
  const rows: [string, string][] = [];
  for (const command of Object.values(COMMANDS)) {
    for (const one of isGroup(command) ? Object.values(command.subcommands) : [command]) rows.push([synopsis(one), one.summary]);
  }
  return [
    'Usage: nem12 <command> [options]',
    '',
    'Commands:',
    ...columns(rows),
    '',
    'nem12 <command> --help (or nem12 help <command>) prints its options.',
    '',
    ...NOTES.flatMap((note) => wrap(note, WIDTH)),
  ].join('\n');
}

/** `nem12 check --help`. */
export function commandHelp(command: CommandSpec): string {
  const options = Object.entries({ ...command.options, ...HELP_OPTION });
  return [
    usageLine(command),
    '',
    ...wrap(command.summary, WIDTH),
    ...(command.details ? command.details.split('\n').flatMap((line) => wrap(line, WIDTH)) : []),
    '',
    'Options:',
    ...columns(options.map(([name, option]) => [flags(name, option), option.help])),
  ].join('\n');
}

/** `nem12 org --help`: its subcommands. */
export function groupHelp(group: CommandGroup): string {
  return [
    `Usage: nem12 ${group.name} <subcommand> [options]`,
    '',
    ...wrap(group.summary, WIDTH),
    ...(group.details ? wrap(group.details, WIDTH) : []),
    '',
    'Subcommands:',
    ...columns(Object.values(group.subcommands).map((sub) => [synopsis(sub), sub.summary])),
    '',
    `nem12 ${group.name} <subcommand> --help prints its options.`,
  ].join('\n');
}

export function usageLine(command: CommandSpec): string {
  return `Usage: nem12 ${synopsis(command)} [options]`;
}

function synopsis(command: CommandSpec): string {
  return command.args ? `${command.name} ${command.args}` : command.name;
}

function flags(name: string, option: OptionSpec): string {
  return `${option.short ? `-${option.short}, ` : '    '}--${name}${option.value ? ` ${option.value}` : ''}`;
}

/** Two columns, the second wrapped under itself; a first cell too wide for the column gets a line of its own. */
function columns(rows: [string, string][]): string[] {
  const left = Math.min(28, Math.max(...rows.map(([first]) => first.length)));
  const indent = ' '.repeat(left + 4);
  const lines: string[] = [];
  for (const [first, second] of rows) {
    const text = wrap(second, WIDTH - indent.length);
    if (first.length > left) lines.push(`  ${first}`, ...text.map((line) => indent + line));
    else lines.push(`  ${first.padEnd(left)}  ${text[0]}`, ...text.slice(1).map((line) => indent + line));
  }
  return lines;
}

/** Words into lines of at most `width` characters (a longer word gets a line of its own). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line];
}
