// The README's production section as data: its ```sh blocks, the gcloud and firebase commands in
// them (as a shell would see them), the variables it exports, the heredocs it writes; and a runner
// that hands a command to the installed tool itself with no credentials, to learn whether the tool
// accepts its syntax. Only the tool's own part of a line runs: never a pipe's other side, a heredoc
// body, `sed`, `npx nem12` or anything else.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export const PRODUCTION_HEADING = '## Production: Cloud Functions + Cloud Tasks + Cloud SQL';

/** The section from its heading up to the next `## ` heading, and the README line it starts on. */
export function productionSection(readme: string): { text: string; firstLine: number } {
  const lines = readme.split('\n');
  const start = lines.findIndex((line) => line.trim() === PRODUCTION_HEADING);
  if (start < 0) throw new Error(`no "${PRODUCTION_HEADING}" in the README`);
  const end = lines.findIndex((line, index) => index > start && line.startsWith('## '));
  return { text: lines.slice(start, end < 0 ? undefined : end).join('\n'), firstLine: start + 1 };
}

export interface ShLine {
  /** Line in the section (1-based) where the statement starts. */
  line: number;
  /** The statement, backslash-continued lines joined, heredoc marker kept. */
  text: string;
  /** The heredoc body this statement feeds, if any. */
  heredoc?: string[];
}

/** The statements of the section's ```sh blocks: continuations joined, heredoc bodies set apart. */
export function shStatements(section: string): ShLine[] {
  const lines = section.split('\n');
  const statements: ShLine[] = [];
  let inBlock = false;
  for (let i = 0; i < lines.length; i++) {
    if (/^```sh\s*$/.test(lines[i])) { inBlock = true; continue; }
    if (inBlock && /^```\s*$/.test(lines[i])) { inBlock = false; continue; }
    if (!inBlock) continue;
    const line = i + 1;
    let text = lines[i];
    while (text.endsWith('\\') && i + 1 < lines.length) text = `${text.slice(0, -1).trimEnd()} ${lines[++i].trim()}`;
    const marker = /<<-?\s*['"]?(\w+)['"]?/.exec(stripComment(text));
    let heredoc: string[] | undefined;
    if (marker) {
      heredoc = [];
      while (i + 1 < lines.length && lines[i + 1].trim() !== marker[1]) heredoc.push(lines[++i]);
      i++; // the terminator
    }
    if (text.trim() !== '') statements.push({ line, text, ...(heredoc ? { heredoc } : {}) });
  }
  return statements;
}

/** Cuts an unquoted `#` comment (at the start or after a blank). */
export function stripComment(text: string): string {
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) { if (c === quote) quote = null; else if (c === '\\' && quote === '"') i++; continue; }
    if (c === '\\') { i++; continue; }
    if (c === "'" || c === '"') quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]))) return text.slice(0, i).trimEnd();
  }
  return text;
}

/**
 * Splits at top-level `;`, `&&`, `||`, `|` (outside quotes, `$( )`, `<( )` and parentheses, as bash
 * reads them); also returns what each outermost `$( )` holds.
 */
export function splitCommands(text: string): { commands: string[]; substitutions: string[] } {
  const commands: string[] = [];
  const substitutions: string[] = [];
  const stack: { kind: 'sq' | 'dq' | 'sub' | 'paren'; start: number }[] = [];
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const top = stack.at(-1)?.kind;
    if (top === 'sq') { if (c === "'") stack.pop(); continue; }
    if (c === '\\') { i++; continue; }
    if (c === '$' && text[i + 1] === '(') { stack.push({ kind: 'sub', start: i + 2 }); i++; continue; }
    if (top === 'dq') { if (c === '"') stack.pop(); continue; }
    if (c === "'") stack.push({ kind: 'sq', start: i });
    else if (c === '"') stack.push({ kind: 'dq', start: i });
    else if (c === '(') stack.push({ kind: 'paren', start: i });
    else if (c === ')' && stack.length > 0) {
      const frame = stack.pop()!;
      if (frame.kind === 'sub' && !stack.some((outer) => outer.kind === 'sub')) substitutions.push(text.slice(frame.start, i));
    } else if (stack.length === 0 && (c === ';' || c === '|' || (c === '&' && text[i + 1] === '&'))) {
      commands.push(text.slice(from, i).trim());
      if ((c === '|' || c === '&') && text[i + 1] === c) i++;
      from = i + 1;
    }
  }
  commands.push(text.slice(from).trim());
  return { commands: commands.filter((command) => command !== ''), substitutions };
}

export type Tool = 'gcloud' | 'firebase';

export interface ToolCommand {
  tool: Tool;
  /** The tool's part only, leading `VAR=value` assignments removed; `npx firebase` as written. */
  command: string;
  /** Section line it comes from. */
  line: number;
  /** Values of the enclosing `for` loops' variables. */
  loop: Record<string, string>;
}

const ASSIGNMENT = /^(?:[A-Za-z_]\w*=(?:"(?:[^"\\]|\\.)*"|'[^']*'|[^\s'"])*\s+)+/;

/**
 * Every gcloud and `npx firebase` command of the statements. A `for X in ITEMS` loop is run for
 * its first item, or for every file a glob item matches (each file it applies must pass).
 */
export function toolCommands(statements: ShLine[], repoRoot: string): ToolCommand[] {
  const found: ToolCommand[] = [];
  const loops: { name: string; values: string[] }[] = [];
  const visit = (raw: string, line: number, envs: Record<string, string>[]) => {
    const { commands, substitutions } = splitCommands(raw);
    for (const inner of substitutions) visit(inner, line, envs);
    for (let command of commands) {
      if (/^for\s/.test(command)) {
        const loop = /^for\s+(\w+)\s+in\s+(.+)$/.exec(command);
        if (!loop) throw new Error(`line ${line}: cannot read the loop "${command}"`);
        loops.push({ name: loop[1], values: loopValues(loop[2].trim().split(/\s+/), repoRoot) });
        continue;
      }
      if (command === 'done') { loops.pop(); continue; }
      command = command.replace(/^do\s+/, '').replace(ASSIGNMENT, '');
      if (command === 'do') continue;
      const tool: Tool | null = /^gcloud(\s|$)/.test(command) ? 'gcloud' : /^npx\s+firebase(\s|$)/.test(command) ? 'firebase' : null;
      if (tool) for (const loop of envs.length ? envs : [{}]) found.push({ tool, command, line, loop });
    }
  };
  for (const statement of statements) {
    const text = stripComment(statement.text).replace(/<<-?\s*['"]?\w+['"]?/, '');
    // The loops open before this statement apply to it (a loop opened on this line: to its body).
    const { commands } = splitCommands(text);
    const opensHere = commands.some((command) => /^for\s/.test(command));
    if (!opensHere) { visit(text, statement.line, loopEnvs(loops)); continue; }
    // for ...; do BODY; done on one line: open the loop, then visit the body with it.
    const forIndex = commands.findIndex((command) => /^for\s/.test(command));
    visit(commands.slice(0, forIndex + 1).join('; '), statement.line, loopEnvs(loops));
    visit(commands.slice(forIndex + 1).join('; '), statement.line, loopEnvs(loops));
  }
  if (loops.length > 0) throw new Error(`a loop is not closed (for ${loops.map((loop) => loop.name).join(', ')})`);
  return found;
}

function loopEnvs(loops: { name: string; values: string[] }[]): Record<string, string>[] {
  let envs: Record<string, string>[] = [{}];
  for (const loop of loops) envs = envs.flatMap((env) => loop.values.map((value) => ({ ...env, [loop.name]: value })));
  return loops.length ? envs : [];
}

/** A loop's values to try: every file of a `dir/*.ext` item, else the first item. */
function loopValues(items: string[], repoRoot: string): string[] {
  const globs = items.filter((item) => item.includes('*'));
  if (globs.length === 0) return items.slice(0, 1);
  return globs.flatMap((glob) => {
    const slash = glob.lastIndexOf('/');
    const dir = glob.slice(0, slash);
    const pattern = new RegExp(`^${glob.slice(slash + 1).replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
    if (!existsSync(join(repoRoot, dir))) return [glob]; // left as is: the command then fails on it
    const files = readdirSync(join(repoRoot, dir)).filter((file) => pattern.test(file)).sort();
    return files.length ? files.map((file) => `${dir}/${file}`) : [glob];
  });
}

/** Names the section's `export` statements define. */
export function exportedNames(statements: ShLine[]): string[] {
  const names = new Set<string>();
  for (const statement of statements) {
    for (const command of splitCommands(stripComment(statement.text)).commands) {
      if (!command.startsWith('export ')) continue;
      for (const match of command.slice(7).matchAll(/(?:^|\s)([A-Za-z_]\w*)=/g)) names.add(match[1]);
    }
  }
  return [...names].sort();
}

export interface RunResult {
  code: number | null;
  output: string;
}

/** Runs `command` with bash (`set -u`: an unknown variable fails it) and the given environment. */
export function runTool(command: string, options: { env: Record<string, string>; cwd: string; firebaseBin: string; node: string; timeoutMs?: number }): Promise<RunResult> {
  // A login is interactive: it must not open a browser on the machine running the tests (an added
  // valid flag cannot make a wrong one pass).
  const noBrowser = /^gcloud\s+auth\s+(application-default\s+)?login\b/.test(command) ? ' --no-launch-browser' : '';
  const script = `set -u\n${command.replace(/^npx\s+firebase\b/, '"$NEM12_NODE" "$NEM12_FIREBASE_BIN"')}${noBrowser}`;
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', script], {
      cwd: options.cwd,
      env: { ...options.env, NEM12_FIREBASE_BIN: options.firebaseBin, NEM12_NODE: options.node },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: options.timeoutMs ?? 45_000,
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (code) => resolve({ code, output }));
    child.on('error', (error) => resolve({ code: null, output: `${output}\n${error.message}` }));
  });
}

// What a tool says once it has accepted the command line and then needs what is missing here.
const ACCEPTED: Record<Tool, RegExp[]> = {
  gcloud: [
    /You do not currently have an active account selected/,
    /Application default credentials have not been set up/,
    /enter the verification code provided in your browser/, // an interactive login, stdin closed
  ],
  firebase: [/Failed to authenticate, have you run firebase login\?/, /Cannot run login in non-interactive mode/],
};
// What a tool says when it rejects the command line.
const REJECTED = [
  /unrecognized arguments/,
  /Invalid choice/,
  /argument [^\n]*: expected/,
  /\(gcloud[.\w-]*\) argument [^\n]*:/, // gcloud's flag parser: a bad value, choice or format
  /must be specified/,
  /error: unknown (option|command)/,
  /is not a Firebase command/,
  /too many arguments/,
  /missing required argument/,
  /unbound variable/,
];

/** Accepted: it succeeded (local commands) or failed only for lack of credentials. */
export function verdict(tool: Tool, result: RunResult): { accepted: boolean; why: string } {
  const rejected = REJECTED.find((pattern) => pattern.test(result.output));
  if (rejected) return { accepted: false, why: `rejected (${rejected.source}): ${result.output.trim()}` };
  // gcloud's argument parser exits 2; nothing else does before the credentials are asked for.
  if (tool === 'gcloud' && result.code === 2) return { accepted: false, why: `rejected (exit 2): ${result.output.trim()}` };
  if (result.code === 0) return { accepted: true, why: 'ran (local)' };
  const accepted = ACCEPTED[tool].find((pattern) => pattern.test(result.output));
  return accepted ? { accepted: true, why: `parsed, then: ${accepted.source}` } : { accepted: false, why: `failed otherwise (exit ${result.code}): ${result.output.trim()}` };
}
