import { parseArgs } from 'node:util';
import { COMMANDS, HELP_OPTION, isGroup, type CommandSpec, type Values } from './commands';
import { EXIT, reportFailure, UsageError } from './failure';
import { commandHelp, groupHelp, overview } from './help';
import { reasonOf } from './inputFile';

/** `nem12 ...`: finds the command, answers --help, parses the options and maps every outcome to an exit code. */
export async function main(argv: string[]): Promise<number> {
  endQuietlyWhenOutputCloses();
  const [name, ...rest] = argv;
  if (name === undefined) return usageError(overview());
  if (name === '--help' || name === '-h') return printHelp(overview());
  // `nem12 help org create` is `nem12 org create --help`.
  if (name === 'help') return main(rest.length ? [...rest, '--help'] : ['--help']);
  const entry = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (entry === undefined) return usageError(`nem12: unknown command "${name}" (see nem12 --help)`);
  if (!isGroup(entry)) return runCommand(entry, rest);

  const [subName, ...subRest] = rest;
  if (subName === undefined) return usageError(groupHelp(entry));
  if (subName === '--help' || subName === '-h') return printHelp(groupHelp(entry));
  const sub = Object.hasOwn(entry.subcommands, subName) ? entry.subcommands[subName] : undefined;
  if (sub === undefined) return usageError(`nem12 ${name}: unknown subcommand "${subName}" (see nem12 ${name} --help)`);
  return runCommand(sub, subRest);
}

async function runCommand(command: CommandSpec, args: string[]): Promise<number> {
  let json = false;
  try {
    const { positionals, values } = parseCommandLine(command, args);
    if (values.help) return printHelp(commandHelp(command));
    checkArguments(command, positionals);
    json = values.json === true;
    return await command.run(positionals, values);
  } catch (error) {
    if (error instanceof UsageError) {
      return usageError(`nem12 ${command.name}: ${error.message}${error.hint ? ` (see nem12 ${command.name} --help)` : ''}`);
    }
    const { code, syscall, path } = error as NodeJS.ErrnoException;
    // A FILE that went away after its check, or an output that cannot be made; not a database socket.
    if (path && syscall !== 'connect' && ['ENOENT', 'ENOTDIR', 'EISDIR', 'EACCES', 'EPERM'].includes(code ?? '')) {
      return usageError(`nem12 ${command.name}: ${reasonOf(error)}: ${path}`);
    }
    return reportFailure(error, json);
  }
}

function parseCommandLine(command: CommandSpec, args: string[]): { positionals: string[]; values: Values } {
  const specs = { ...command.options, ...HELP_OPTION };
  const options = Object.fromEntries(Object.entries(specs).map(([name, { type, short }]) => [name, short ? { type, short } : { type }]));
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true }) as { positionals: string[]; values: Values };
  } catch (error) {
    const { code, message } = error as { code?: string; message: string };
    if (!code?.startsWith('ERR_PARSE_ARGS')) throw error;
    // Node's message goes on about `--`: its first sentence names the option and the fault.
    const first = message.split(/\.(?:\s|$)/)[0];
    throw new UsageError(first.charAt(0).toLowerCase() + first.slice(1));
  }
}

/** The positionals against the command's `args`: `FILE` is one, `FILE...` one or more, '' none. */
function checkArguments(command: CommandSpec, positionals: string[]): void {
  const names = command.args ? command.args.split(' ') : [];
  const variadic = names.at(-1)?.endsWith('...') ?? false;
  if (positionals.length < names.length) throw new UsageError(`missing ${names.slice(positionals.length).join(' ').replace('...', '')}`);
  if (positionals.length > names.length && !variadic) throw new UsageError(`unexpected argument "${positionals[names.length]}"`);
}

function printHelp(text: string): number {
  process.stdout.write(`${text}\n`);
  return EXIT.ok;
}

function usageError(text: string): number {
  process.stderr.write(`${text}\n`);
  return EXIT.usage;
}

let guarded = false;

/**
 * `nem12 check FILE | head`: once the reader of the output is gone, end at once and quietly, as a
 * Unix tool killed by SIGPIPE does (Node ignores SIGPIPE and raises EPIPE instead, which would
 * crash with a stack trace, or pass for a database failure). Exit 0: the reader had what it wanted.
 * Any other write error (a full disk) is one line and exit 4.
 */
function endQuietlyWhenOutputCloses(): void {
  if (guarded) return;
  guarded = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(EXIT.ok);
      if (stream === process.stdout) process.stderr.write(`nem12: cannot write the output: ${error.message}\n`);
      process.exit(EXIT.internal);
    });
  }
}
