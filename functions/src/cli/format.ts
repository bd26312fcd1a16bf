import type { ChannelSummary, IssueLog, Nem12Issue } from '../nem12';

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

/** Human text: a table of channels, then issues with their line numbers. */
export function describeIssues(issues: IssueLog): string {
  const lines: string[] = [];
  for (const found of [...issues.errors, ...issues.warnings]) {
    lines.push(`  ${found.severity} ${found.code}${found.line > 0 ? ` (line ${found.line})` : ''}: ${found.message}`);
  }
  const hidden = issues.errorCount - issues.errors.length + (issues.warningCount - issues.warnings.length);
  if (hidden > 0) lines.push(`  ... and ${hidden} more`);
  return lines.join('\n');
}

export function channelTable(channels: ChannelSummary[]): string {
  const rows = [
    ['NMI', 'suffix', 'unit', 'interval', 'days', 'readings', 'total', 'kWh'],
    ...channels.map((c) => [c.nmi, c.suffix, c.uom || '-', `${c.intervalLength}m`, `${c.days}`, `${c.readings}`, c.total, c.totalKwh ?? '-']),
  ];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  return rows.map((row) => `  ${row.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd()}`).join('\n');
}
