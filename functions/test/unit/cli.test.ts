import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, closeSync, constants, existsSync, mkdtempSync, openSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wideFile, wideNmi } from './wideFiles';

// The CLI as users run it: the built bin (`npm run build` first), in child processes. Nothing here
// needs a database or the emulators: every case ends before either is reached.
const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'nem12.js');
const work = mkdtempSync(join(tmpdir(), 'nem12-cli-unit-'));
const oneDay = { date: '20240101', version: 1, updatedAt: '20240102030000' };

function nem12(...args: string[]) {
  const run = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, DATABASE_URL: '' }, maxBuffer: 64 << 20 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const lines = (text: string) => text.split('\n').filter((line) => line !== '');

beforeAll(() => {
  // A stale build would test yesterday's CLI: every source of src/cli must be built, and not newer than its build.
  for (const source of readdirSync(join(ROOT, 'src', 'cli'))) {
    const built = join(ROOT, 'lib', 'cli', source.replace(/\.ts$/, '.js'));
    expect(existsSync(built), `${built} is missing: run npm run build`).toBe(true);
    expect(statSync(built).mtimeMs, `${built} is older than its source: run npm run build`).toBeGreaterThanOrEqual(statSync(join(ROOT, 'src', 'cli', source)).mtimeMs);
  }
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('--help', () => {
  // Each command, its usage and every option it takes (besides -h, --help).
  const COMMANDS: [string, string, string[]][] = [
    ['check', 'check FILE', ['--json', '--channels']],
    ['sql', 'sql FILE', ['--output', '-o']],
    ['load', 'load FILE...', ['--org', '--json', '--database-url', '--cloud-sql-instance', '--ip-type', '--iam']],
    ['migrate', 'migrate', ['--database-url', '--cloud-sql-instance', '--ip-type', '--iam']],
    ['upload', 'upload FILE', ['--org', '--uid', '--wait', '--timeout', '--json', '--project', '--bucket']],
    ['org create', 'org create NAME', ['--id', '--json', '--project']],
    ['org list', 'org list', ['--json', '--project']],
    ['org members', 'org members ORG', ['--json', '--project']],
    ['org add-member', 'org add-member ORG EMAIL', ['--role', '--password', '--json', '--project']],
    ['org remove-member', 'org remove-member ORG EMAIL', ['--json', '--project']],
    ['org invite', 'org invite ORG EMAIL', ['--role', '--json', '--project']],
    ['org rename', 'org rename ORG NAME', ['--json', '--project']],
  ];

  it.each(COMMANDS)('nem12 %s --help: its usage and options on stdout, exit 0', (name, usage, options) => {
    const command = name.split(' ');
    const run = nem12(...command, '--help');
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain(`Usage: nem12 ${usage} [options]`);
    for (const option of options) expect(run.stdout).toMatch(new RegExp(`(^|[ ,])${option}\\b`, 'm'));
    expect(run.stdout).not.toMatch(/Commands:/); // its own help, not the overview
    expect(nem12(...command, '-h').stdout).toBe(run.stdout);
    expect(nem12('help', ...command).stdout).toBe(run.stdout);
  });

  it.each(COMMANDS)('nem12 %s: its help lists exactly the options its parser takes', (name, _usage, options) => {
    const command = name.split(' ');
    const help = nem12(...command, '--help').stdout.split('Options:')[1];
    const listed = [...help.matchAll(/^ {2}(?:-\w, | {4})--([\w-]+)( \S+)?/gm)].map(([, name, value]) => ({ name, value: value !== undefined }));
    expect(listed.map(({ name }) => `--${name}`).sort()).toEqual([...options.filter((o) => o.startsWith('--')), '--help'].sort());
    // All of them at once (a value to those that take one): the parser takes them and --help answers.
    const all = listed.filter(({ name }) => name !== 'help').map(({ name, value }) => (value ? `--${name}=x` : `--${name}`));
    const run = nem12(...command, ...all, '--help');
    expect(run.status, run.stderr).toBe(0);
    expect(nem12(...command, '--bogus', '--help').status).toBe(2);
  });

  it('nem12 --help, -h and help: the overview with every command, exit 0', () => {
    const run = nem12('--help');
    expect(run.status).toBe(0);
    for (const [, usage] of COMMANDS) expect(run.stdout).toContain(`  ${usage} `);
    expect(run.stdout).toMatch(/Exit status: 0 success, 1 .*2 usage error/s);
    expect(nem12('-h').stdout).toBe(run.stdout);
    expect(nem12('help').stdout).toBe(run.stdout);
  });

  it('nem12 org --help lists its subcommands; nem12 org alone is a usage error', () => {
    const run = nem12('org', '--help');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Usage: nem12 org <subcommand>');
    for (const sub of ['create NAME', 'rename ORG NAME', 'list', 'members ORG', 'add-member ORG EMAIL', 'remove-member ORG EMAIL', 'invite ORG EMAIL']) expect(run.stdout).toContain(`org ${sub}`);
    const bare = nem12('org');
    expect(bare.status).toBe(2);
    expect(bare.stdout).toBe('');
  });
});

describe('usage errors: one line on stderr, exit 2', () => {
  it.each([
    ['check --bogus', /^nem12 check: unknown option '--bogus' \(see nem12 check --help\)$/],
    ['org create Acme --bogus', /^nem12 org create: unknown option '--bogus' \(see nem12 org create --help\)$/],
    ['sql x.csv -o', /^nem12 sql: .*--output.* \(see nem12 sql --help\)$/],
    ['check', /^nem12 check: missing FILE \(see nem12 check --help\)$/],
    ['check a b', /^nem12 check: unexpected argument "b"/],
    ['frobnicate', /^nem12: unknown command "frobnicate" \(see nem12 --help\)$/],
    ['org frobnicate', /^nem12 org: unknown subcommand "frobnicate" \(see nem12 org --help\)$/],
  ])('nem12 %s', (args, message) => {
    const run = nem12(...args.split(' '));
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(lines(run.stderr)).toHaveLength(1);
    expect(run.stderr.trim()).toMatch(message);
  });

  it.each(['check', 'sql', 'load', 'upload'])('nem12 %s of a missing file or a folder names it, without the usage', (command) => {
    const missing = join(work, 'no-such.csv');
    const run = nem12(command, missing);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`nem12 ${command}: no such file: ${missing}\n`);
    const folder = nem12(command, work);
    expect(folder.status).toBe(2);
    expect(folder.stderr).toBe(`nem12 ${command}: is a directory: ${work}\n`);
  });

  it.skipIf(process.getuid?.() === 0)('an unreadable file (not testable as root, who reads anything)', () => {
    const locked = join(work, 'locked.csv');
    writeFileSync(locked, wideFile({ nmis: 1, ...oneDay }));
    chmodSync(locked, 0);
    const run = nem12('check', locked);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`nem12 check: permission denied: ${locked}\n`);
  });

  it('a second FILE of load that is missing: nothing starts (the database is not even asked)', () => {
    const good = join(work, 'good.csv');
    writeFileSync(good, wideFile({ nmis: 1, ...oneDay }));
    const run = nem12('load', good, join(work, 'gone.csv'), '--database-url', 'postgres://nobody@127.0.0.1:1/none');
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`nem12 load: no such file: ${join(work, 'gone.csv')}\n`);
  });
});

describe('a closed stdout (nem12 ... | head)', () => {
  let wide: string;
  beforeAll(() => {
    wide = join(work, 'closed-pipe.csv');
    writeFileSync(wide, wideFile({ nmis: 3000, ...oneDay }));
  });

  /**
   * Runs the CLI into a real pipe (a FIFO: `spawn`'s own stdio is a socket pair, whose large buffer
   * can swallow a whole output), reads its first chunk and closes the pipe, as `| head -c` does.
   */
  function closeAfterFirstChunk(args: string[]): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string; received: number }> {
    const fifo = join(work, `pipe-${Date.now()}-${Math.random()}`);
    execFileSync('mkfifo', [fifo]);
    // The reader first, without waiting for a writer; then the writer end, for the child only.
    const reader = new Socket({ fd: openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK), readable: true, writable: false });
    const writer = openSync(fifo, constants.O_WRONLY);
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', writer, 'pipe'] });
    closeSync(writer);
    let stderr = '';
    let received = 0;
    child.stderr!.on('data', (chunk) => (stderr += chunk)); // piped: never null
    reader.once('data', (chunk: Buffer) => {
      received = chunk.length;
      reader.destroy();
    });
    return new Promise((done) => child.on('close', (code, signal) => done({ code, signal, stderr, received })));
  }

  it.each([
    ['sql FILE', 4_000_000],
    ['check FILE --channels', 150_000],
    ['check FILE --json', 500_000],
  ])('nem12 %s | head ends quietly: no stack trace, no EPIPE, exit 0 (or SIGPIPE)', async (args, atLeast) => {
    const argv = args.split(' ').map((arg) => (arg === 'FILE' ? wide : arg));
    // The whole output is more than a pipe holds (64 KiB): the CLI must meet the closed pipe.
    expect(nem12(...argv).stdout.length).toBeGreaterThan(atLeast);
    const run = await closeAfterFirstChunk(argv);
    expect(run.received).toBeGreaterThan(0);
    expect(run.received).toBeLessThan(atLeast);
    expect(run.stderr).toBe('');
    expect(run.code === 0 || run.signal === 'SIGPIPE', `exit ${run.code}, signal ${run.signal}`).toBe(true);
  }, 60_000);
});

describe('nem12 check of a wide file (a daily delivery)', () => {
  let wide: string;
  beforeAll(() => {
    wide = join(work, 'daily-3000.csv');
    writeFileSync(wide, wideFile({ nmis: 3000, ...oneDay }));
  });

  it('fits a screen: verdict, totals, channels by unit and interval, the first 5, how many more', () => {
    const run = nem12('check', wide);
    expect(run.status, run.stderr).toBe(0);
    const out = lines(run.stdout);
    expect(out.length).toBeLessThanOrEqual(30);
    expect(out[0]).toBe('daily-3000.csv: loadable, 144000 readings in 3000 channel(s), 0 error(s), 0 warning(s)');
    expect(run.stdout).toContain('3000 NMIs, 3000 channels, 0 missing day(s), 0 empty interval(s)');
    expect(run.stdout).toContain('channels by unit and interval: kWh 30m: 3000');
    const rows = out.filter((line) => /^ {2}W\d{9} /.test(line));
    expect(rows.map((row) => row.trim().split(/\s+/)[0])).toEqual([0, 1, 2, 3, 4].map(wideNmi));
    expect(run.stdout).not.toContain('most incomplete'); // every channel is complete
    expect(out.at(-1)).toMatch(/2995 more channel\(s\): --channels lists every channel/);
  });

  it('--channels lists every channel; --json still lists them all, in the same shape', () => {
    const all = nem12('check', wide, '--channels');
    expect(all.status).toBe(0);
    expect(lines(all.stdout).length).toBeGreaterThanOrEqual(3000);
    expect(lines(all.stdout).filter((line) => /^ {2}W\d{9} /.test(line))).toHaveLength(3000);
    expect(all.stdout).not.toMatch(/more channel/);
    const json = JSON.parse(nem12('check', wide, '--json').stdout);
    expect(Object.keys(json)).toEqual(['ok', 'file', 'readings', 'firstDate', 'lastDate', 'quality', 'channels', 'warnings', 'errors', 'warningCount', 'errorCount']);
    expect(json.channels).toHaveLength(3000);
    expect(json.channels[2999]).toMatchObject({ nmi: wideNmi(2999), suffix: 'E1', uom: 'kWh', intervalLength: 30, days: 1, readings: 48 });
  });

  it('lists the most incomplete channels: most missing days first, then most empty intervals', () => {
    const text = wideFile({ nmis: 30, ...oneDay }).toString().split('\r\n');
    // W000000012: days 1 and 4, so 2 missing; W000000007: 3 empty intervals on its day.
    const at = text.findIndex((line) => line.startsWith(`200,${wideNmi(12)},`)) + 1;
    text.splice(at + 1, 0, text[at].replace('300,20240101,', '300,20240104,'));
    const seven = text.findIndex((line) => line.startsWith(`200,${wideNmi(7)},`)) + 1;
    text[seven] = text[seven].replace('300,20240101,7.1,7.1,7.1,', '300,20240101,,,,');
    const path = join(work, 'gaps.csv');
    writeFileSync(path, text.join('\r\n'));
    const run = nem12('check', path);
    expect(run.status, run.stdout).toBe(0);
    expect(run.stdout).toContain('30 NMIs, 30 channels, 2 missing day(s), 3 empty interval(s)');
    const worst = run.stdout.split('most incomplete')[1];
    const rows = lines(worst).filter((line) => /^ {2}W\d{9} /.test(line));
    expect(rows.map((row) => row.trim().split(/\s+/))).toEqual([
      [wideNmi(12), 'E1', 'kWh', '30m', '2', '96', expect.any(String), expect.any(String), '2', '0'],
      [wideNmi(7), 'E1', 'kWh', '30m', '1', '45', expect.any(String), expect.any(String), '0', '3'],
    ]);
    // 30 channels, 7 of them shown (the first 5, W..12 and W..7).
    expect(run.stdout).toContain('... and 23 more channel(s)');
  });

  it('up to 20 channels: the full table, as always', () => {
    const path = join(work, 'daily-20.csv');
    writeFileSync(path, wideFile({ nmis: 20, ...oneDay }));
    const run = nem12('check', path);
    expect(lines(run.stdout).filter((line) => /^ {2}W\d{9} /.test(line))).toHaveLength(20);
    expect(run.stdout).not.toMatch(/more channel|NMIs, /);
    writeFileSync(path, wideFile({ nmis: 21, ...oneDay }));
    expect(nem12('check', path).stdout).toContain('... and 16 more channel(s)');
  });
});
