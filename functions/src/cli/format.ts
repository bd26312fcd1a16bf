import type { ChannelSummary, IssueLog, Nem12Issue } from 'nem12';

/** The `issues` part of JSON output: the first hundred of each kind, and how many there were. */
export function issuesJson(issues: IssueLog) {
  return {
    warnings: issues.warnings.map(plainIssue),
    errors: issues.errors.map(plainIssue),
    warningCount: issues.warningCount,
    errorCount: issues.errorCount,
  };
}

function plainIssue(found: Nem12Issue) {
  return { code: found.code, line: found.line, message: found.message };
}

export function channelJson(channel: ChannelSummary) {
  return {
    nmi: channel.nmi,
    suffix: channel.suffix,
    uom: channel.uom,
    intervalLength: channel.intervalLength,
    days: channel.days,
    readings: channel.readings,
    total: channel.total,
    totalKwh: channel.totalKwh,
    firstDate: channel.firstDate,
    lastDate: channel.lastDate,
    missingDays: channel.missingDays,
    missingDayCount: channel.missingDayCount,
    emptyIntervals: channel.emptyIntervals,
    quality: channel.quality,
  };
}

/**
 * Human text: the issues with their line numbers, errors first, then how many more there were. `max`
 * lists fewer than the log holds (`hint` then says where the rest are).
 */
export function describeIssues(issues: IssueLog, options: { max?: number; hint?: string } = {}): string {
  const listed = [...issues.errors, ...issues.warnings].slice(0, options.max ?? Infinity);
  const lines = listed.map((found) => `  ${found.severity} ${found.code}${found.line > 0 ? ` (line ${found.line})` : ''}: ${found.message}`);
  const hidden = issues.errorCount + issues.warningCount - listed.length;
  const cut = listed.length < issues.errors.length + issues.warnings.length;
  if (hidden > 0) lines.push(`  ... and ${hidden} more${cut && options.hint ? `: ${options.hint}` : ''}`);
  return lines.join('\n');
}

/** Channels as an aligned table; with `gaps`, their missing days and empty intervals too. */
export function channelTable(channels: ChannelSummary[], options: { gaps?: boolean } = {}): string {
  const gaps = (cells: string[]) => (options.gaps ? cells : []);
  const rows = [
    ['NMI', 'suffix', 'unit', 'interval', 'days', 'readings', 'total', 'kWh', ...gaps(['missing days', 'empty intervals'])],
    ...channels.map((c) => [
      c.nmi,
      c.suffix,
      c.uom || '-',
      `${c.intervalLength}m`,
      `${c.days}`,
      `${c.readings}`,
      c.total,
      c.totalKwh ?? '-',
      ...gaps([`${c.missingDayCount}`, `${c.emptyIntervals}`]),
    ]),
  ];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  return rows.map((row) => `  ${row.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd()}`).join('\n');
}
