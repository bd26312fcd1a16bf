/**
 * A stream's day as it is stored (one row per stream and day) and the revision rule that merges a
 * newer or older revision of it. Pure: the loader reads and writes rows, this decides what they hold.
 *
 * Revision rule. The revision with the newest UpdateDateTime wins the day (missing counts as oldest;
 * on a tie the later upload, then the later line). Per interval, a value is replaced only by one of a
 * newer revision, so an interval the winner leaves empty keeps an older value (and remembers which
 * revision it came from: `older`). A revision with another interval length or unit than the stored
 * day replaces it whole if it wins, and changes nothing if it loses. A value that would not change
 * (same number, quality and UpdateDateTime) is kept as it was.
 */
import { compareDecimal, DecimalSum, KWH_EXPONENT, shiftDecimal, type DayRecord, type KwhFactor, type QualityFlag } from 'nem12';

export interface Revision {
  /** UpdateDateTime as an ISO instant, or null (counts as oldest). */
  updatedAt: string | null;
  uploadId: number;
  line: number;
}

/** Intervals up to `to` (1-based, inclusive, from the previous run's end) share their quality and revision. */
export interface QualityRun {
  to: number;
  flag: QualityFlag;
  method: number | null;
  reasonCode: number | null;
  /** 0: the day's winning revision; k: `older[k - 1]`. */
  revision: number;
}

export interface DayState {
  intervalLength: number;
  uom: string;
  kwhFactor: KwhFactor | null;
  /** Interval i+1's value as written (exact), or null for an empty interval. */
  values: (string | null)[];
  runs: QualityRun[];
  /** The revision that won the day. */
  revision: Revision;
  /** Revisions some intervals still come from. */
  older: Revision[];
  /** Of the winning revision's record: a re-send of it changes nothing. */
  fingerprint: string;
}

/** What a day adds up to, computed once when it is written. */
export interface DayFigures {
  readings: number;
  /** Exact sums, in the unit and in kWh (null when not energy); null without readings. */
  total: string | null;
  kwh: string | null;
  /** The largest value and its interval (the first one with it). */
  peak: string | null;
  peakInterval: number | null;
}

export interface MergeOutcome {
  state: DayState;
  /** False when the stored day stays exactly as it was (nothing to write). */
  changed: boolean;
}

/** UpdateDateTimes as instants, parsed once each: a day's 48 intervals compare the same few of them 48 times. */
const instants = new Map<string, number>();
function time(revision: Revision): number {
  const text = revision.updatedAt;
  if (text === null) return -Infinity;
  let at = instants.get(text);
  if (at === undefined) {
    if (instants.size > 10_000) instants.clear();
    at = Date.parse(text);
    instants.set(text, at);
  }
  return at;
}

export function compareRevisions(a: Revision, b: Revision): number {
  const ta = time(a);
  const tb = time(b);
  if (ta !== tb) return ta < tb ? -1 : 1;
  if (a.uploadId !== b.uploadId) return a.uploadId < b.uploadId ? -1 : 1;
  return a.line - b.line;
}

/** The quality of a parsed day as runs, all of its own revision (adjacent equal ranges joined). */
export function runsOfDay(day: DayRecord): QualityRun[] {
  const runs: QualityRun[] = [];
  for (const range of day.quality) {
    const run: QualityRun = { to: range.to, flag: range.flag, method: range.method, reasonCode: range.reasonCode, revision: 0 };
    const last = runs.at(-1);
    if (last !== undefined && sameAttributes(last, run)) last.to = run.to;
    else runs.push(run);
  }
  return runs;
}

export function figuresOf(values: readonly (string | null)[], kwhFactor: KwhFactor | null): DayFigures {
  const sum = new DecimalSum();
  sum.addAll(values);
  let readings = 0;
  let peak: string | null = null;
  let peakInterval: number | null = null;
  values.forEach((value, i) => {
    if (value === null) return;
    readings++;
    if (peak === null || compareDecimal(value, peak) > 0) {
      peak = value;
      peakInterval = i + 1;
    }
  });
  const total = readings === 0 ? null : sum.toString();
  return { readings, total, kwh: total === null || kwhFactor === null ? null : shiftDecimal(total, KWH_EXPONENT[kwhFactor]), peak, peakInterval };
}

/** Merges `incoming` into what is stored (null: nothing yet), by the revision rule. */
export function mergeDay(current: DayState | null, incoming: DayState): MergeOutcome {
  if (current === null) return { state: incoming, changed: true };
  const same = { state: current, changed: false };
  // A re-send of what is stored changes nothing, not even which upload it is attributed to.
  if (current.fingerprint === incoming.fingerprint) return same;
  const incomingWins = compareRevisions(incoming.revision, current.revision) > 0;
  if (current.intervalLength !== incoming.intervalLength || current.uom !== incoming.uom) return incomingWins ? { state: incoming, changed: true } : same;

  const count = current.values.length;
  const currentAt = perInterval(current);
  const incomingAt = perInterval(incoming);
  const values: (string | null)[] = new Array(count);
  const cells: Cell[] = new Array(count);
  let taken = 0;
  for (let i = 0; i < count; i++) {
    const value = incoming.values[i];
    const held = current.values[i];
    const take =
      value !== null && (held === null || (compareRevisions(incoming.revision, currentAt[i].revision) > 0 && !sameReading(value, incomingAt[i], held, currentAt[i])));
    if (take) taken++;
    // An empty interval takes its quality from the winner's record: it holds no reading either way.
    const fromIncoming = take || (held === null && value === null && incomingWins);
    values[i] = fromIncoming ? value : held;
    cells[i] = fromIncoming ? incomingAt[i] : currentAt[i];
  }
  const winner = incomingWins ? incoming : current;
  const { runs, older } = compress(cells, winner.revision);
  return { state: { ...winner, values, runs, older }, changed: incomingWins || taken > 0 };
}

/**
 * What an upload did to a day, from the day before and after it (whatever its revisions of the day
 * and their order): readings of that upload stored where there was none, readings of it that
 * replaced one. Every other reading of the upload changed nothing (identical, or superseded).
 */
export function countChanges(before: DayState | null, after: DayState, uploadId: number): { new: number; updated: number } {
  const afterAt = perInterval(after);
  // A day replaced whole (another interval length or unit): every reading of it replaced what was there.
  const replaced = before !== null && (before.intervalLength !== after.intervalLength || before.uom !== after.uom);
  const beforeAt = before === null || replaced ? null : perInterval(before);
  let added = 0;
  let updated = 0;
  after.values.forEach((value, i) => {
    if (value === null || afterAt[i].revision.uploadId !== uploadId) return;
    if (replaced) updated++;
    else if (before === null || before.values[i] === null) added++;
    else if (compareRevisions(beforeAt![i].revision, afterAt[i].revision) !== 0) updated++;
  });
  return { new: added, updated };
}

/** One interval's quality and the revision its value comes from. */
interface Cell {
  flag: QualityFlag;
  method: number | null;
  reasonCode: number | null;
  revision: Revision;
}

function perInterval(state: DayState): Cell[] {
  const cells: Cell[] = [];
  for (const run of state.runs) {
    const revision = run.revision === 0 ? state.revision : state.older[run.revision - 1];
    const cell: Cell = { flag: run.flag, method: run.method, reasonCode: run.reasonCode, revision };
    while (cells.length < run.to) cells.push(cell);
  }
  return cells;
}

/** Runs of equal cells; revisions other than the winner numbered in the order they first appear. */
function compress(cells: Cell[], winner: Revision): { runs: QualityRun[]; older: Revision[] } {
  const older: Revision[] = [];
  const runs: QualityRun[] = [];
  cells.forEach((cell, i) => {
    let revision = 0;
    if (compareRevisions(cell.revision, winner) !== 0) {
      revision = older.findIndex((known) => compareRevisions(known, cell.revision) === 0) + 1;
      if (revision === 0) revision = older.push(cell.revision);
    }
    const run: QualityRun = { to: i + 1, flag: cell.flag, method: cell.method, reasonCode: cell.reasonCode, revision };
    const last = runs.at(-1);
    if (last !== undefined && sameAttributes(last, run)) last.to = run.to;
    else runs.push(run);
  });
  return { runs, older };
}

function sameAttributes(a: QualityRun, b: QualityRun): boolean {
  return a.flag === b.flag && a.method === b.method && a.reasonCode === b.reasonCode && a.revision === b.revision;
}

function sameReading(value: string, cell: Cell, held: string, heldCell: Cell): boolean {
  return (
    compareDecimal(value, held) === 0 &&
    cell.flag === heldCell.flag &&
    cell.method === heldCell.method &&
    cell.reasonCode === heldCell.reasonCode &&
    time(cell.revision) === time(heldCell.revision)
  );
}
