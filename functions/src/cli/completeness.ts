import { readFileSync } from 'node:fs';
import type { CompletenessSummary, GapStream } from '../api/apiTypes';
import { completenessOf, completenessSummary, gapStreams, rankedStreams } from '../api/completenessQueries';
import { withSnapshot } from '../api/snapshot';
import { parseRegister } from '../completeness/registerCsv';
import { migrate } from '../load/migrate';
import { checkSchema } from '../load/schemaVersion';
import { replaceRegister } from '../load/register';
import { isOrgId, LOCAL_ORG } from '../orgs/orgIds';
import { EXIT, UsageError } from './failure';
import { commandPool } from './load';

/** `nem12 completeness` and `nem12 register`: the completeness report and the register, straight from the database. */

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const WORST = 10;

function orgOf(values: Record<string, unknown>): string {
  const org = typeof values.org === 'string' ? values.org : LOCAL_ORG;
  if (!isOrgId(org)) throw new UsageError(`--org "${org}" is not an organisation id (2-128 letters, digits, "_" or "-")`);
  return org;
}

function dateOf(values: Record<string, unknown>, name: 'from' | 'to'): string {
  const text = values[name];
  if (typeof text !== 'string' || !DATE.test(text) || Number.isNaN(Date.parse(text)) || new Date(text).toISOString().slice(0, 10) !== text) {
    throw new UsageError(`--${name} DATE is required: a NEM day, YYYY-MM-DD`);
  }
  return text;
}

export async function completenessCommand(_positionals: string[], values: Record<string, unknown>): Promise<number> {
  const org = orgOf(values);
  const from = dateOf(values, 'from');
  const to = dateOf(values, 'to');
  const days = (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
  if (days < 1 || days > 366) throw new UsageError(`--from ${from} --to ${to}: a range of 1 to 366 days`);
  const pool = await commandPool(values, 1, 0);
  try {
    await checkSchema(pool);
    const { summary, worst } = await withSnapshot(pool, async (db) => {
      const found = await completenessOf(db, org, from, to);
      return { summary: await completenessSummary(db, org, found), worst: await gapStreams(db, org, found, rankedStreams(found, 'missing', null, WORST).streams) };
    });
    process.stdout.write(values.json ? `${JSON.stringify({ ...summary, worstMissing: worst })}\n` : summaryText(summary, worst));
  } finally {
    await pool.end();
  }
  return EXIT.ok;
}

function summaryText(summary: CompletenessSummary, worst: GapStream[]): string {
  const percent = (part: number, whole: number) => (whole === 0 ? '-' : `${((100 * part) / whole).toFixed(1)}%`);
  const rows = [
    ['day', 'expected', 'received', 'complete', 'partial', 'missing', 'readings', 'actual', 'estimated', 'substituted'],
    ...summary.days.map((d) => [d.day, d.expected, d.received, d.complete, d.partial, d.missing, d.readings, percent(d.actual, d.readings), percent(d.estimated, d.readings), percent(d.substituted, d.readings)].map(String)),
  ];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  const table = rows.map((row) => `  ${row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ')}`).join('\n');
  const lines = [
    `${summary.from} to ${summary.to}: a stream is expected on a day when it arrived that day or in the ${summary.windowDays} before${summary.registered ? `, or one of ${summary.registered} register lines names it` : ''}.`,
    table,
    `streams with missing days: ${summary.streams.missing}, with empty intervals: ${summary.streams.partial}, with estimated or substituted readings: ${summary.streams.estimated}`,
  ];
  if (worst.length > 0) {
    lines.push(`most days missing${summary.streams.missing > worst.length ? ` (the first ${worst.length}; all: GET /completeness/streams.csv)` : ''}:`);
    for (const s of worst) {
      const runs = s.missing.map((run) => (run.from === run.to ? run.from : `${run.from}..${run.to}`)).join(' ');
      lines.push(`  ${s.nmi} ${s.suffix ?? '(any)'}  ${s.missingDays} days: ${runs}  last received ${s.lastReceived ?? 'never'}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export async function registerCommand(positionals: string[], values: Record<string, unknown>): Promise<number> {
  const org = orgOf(values);
  const [path] = positionals;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  const parsed = parseRegister(text);
  if (parsed.errorCount > 0) {
    if (values.json) process.stdout.write(`${JSON.stringify({ ok: false, errors: parsed.errors, errorCount: parsed.errorCount })}\n`);
    else {
      process.stderr.write(`${path}: REFUSED, the register is unchanged (${parsed.errorCount} problem${parsed.errorCount === 1 ? '' : 's'})\n`);
      for (const error of parsed.errors) process.stderr.write(`  line ${error.line}: ${error.code}: ${error.message}\n`);
      if (parsed.errorCount > parsed.errors.length) process.stderr.write(`  ... and ${parsed.errorCount - parsed.errors.length} more\n`);
    }
    return EXIT.rejected;
  }
  const pool = await commandPool(values, 1, 0);
  try {
    await migrate(pool);
    const stored = await replaceRegister(pool, org, parsed.entries);
    process.stdout.write(values.json ? `${JSON.stringify({ ok: true, ...stored })}\n` : `${path}: the register of ${org} is now ${stored.lines} line${stored.lines === 1 ? '' : 's'}, ${stored.nmis} NMI${stored.nmis === 1 ? '' : 's'}\n`);
  } finally {
    await pool.end();
  }
  return EXIT.ok;
}
