import type { ChannelSummary } from 'nem12';
import type { Inspection } from '../source/inspect';
import { channelTable, describeIssues } from './format';

/** Up to this many channels, `check` lists them all; a wider file (a daily delivery) gets a summary. */
export const FULL_TABLE_CHANNELS = 20;
/** How many channels the summary shows in each of its blocks (the first, the most incomplete). */
const SHOWN = 5;
/** How many issues the summary lists (a daily delivery can warn about every NMI). */
const SHOWN_ISSUES = 10;

/** `nem12 check` for people: the verdict, the days, the channels (all, or a summary that fits a screen), the issues. */
export function checkText(fileName: string, result: Inspection, allChannels: boolean): string {
  const { summary, issues } = result;
  const verdict = result.ok ? 'loadable' : 'REJECTED';
  const counts = `${issues.errorCount} error(s), ${issues.warningCount} warning(s)`;
  const lines = [`${fileName}: ${verdict}, ${summary.readings} readings in ${summary.channelCount} channel(s), ${counts}`];
  if (summary.firstDate) lines.push(`  days ${summary.firstDate} to ${summary.lastDate}`);
  const full = allChannels || summary.channelCount <= FULL_TABLE_CHANNELS;
  if (!full) lines.push(...wideSummary(result));
  else if (summary.channels.length > 0) lines.push(channelTable(summary.channels));
  const described = describeIssues(issues, full ? {} : { max: SHOWN_ISSUES, hint: '--channels or --json lists them' });
  if (described) lines.push(described);
  return `${lines.join('\n')}\n`;
}

/** Many channels: totals, counts by unit and interval, the first few and the most incomplete few. */
function wideSummary({ summary }: Inspection): string[] {
  const { channels } = summary;
  const nmis = new Set(channels.map((c) => c.nmi)).size;
  const quality = Object.entries(summary.quality).map(([flag, count]) => `${flag} ${count}`).join(', ');
  const lines = [
    `  ${nmis} NMIs, ${summary.channelCount} channels, ${summary.missingDayCount} missing day(s), ${summary.emptyIntervals} empty interval(s)` +
      `${quality ? `; readings by quality: ${quality}` : ''}`,
    `  channels by unit and interval: ${byUnitAndInterval(channels)}`,
  ];
  const first = channels.slice(0, SHOWN);
  lines.push(`  the first ${first.length}:`, channelTable(first));
  const worst = mostIncomplete(channels);
  if (worst.length > 0) lines.push(`  the most incomplete (missing days, then empty intervals):`, channelTable(worst, { gaps: true }));
  const more = summary.channelCount - new Set([...first, ...worst]).size;
  if (more > 0) lines.push(`  ... and ${more} more channel(s): --channels lists every channel, --json gives all their figures`);
  return lines;
}

/** `kWh 30m: 2990, kWh 5m: 10`, the largest group first. */
function byUnitAndInterval(channels: ChannelSummary[]): string {
  const groups = new Map<string, number>();
  for (const c of channels) {
    const key = `${c.uom || '-'} ${c.intervalLength}m`;
    groups.set(key, (groups.get(key) ?? 0) + 1);
  }
  return [...groups].sort((a, b) => b[1] - a[1]).map(([key, count]) => `${key}: ${count}`).join(', ');
}

/** The channels with the most missing days, then the most empty intervals; none when all are complete. */
function mostIncomplete(channels: ChannelSummary[]): ChannelSummary[] {
  return channels
    .filter((c) => c.missingDayCount > 0 || c.emptyIntervals > 0)
    .sort((a, b) => b.missingDayCount - a.missingDayCount || b.emptyIntervals - a.emptyIntervals)
    .slice(0, SHOWN);
}
