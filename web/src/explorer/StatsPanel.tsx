import { formatCount, qualityFlagName } from '../uploads/format';
import { formatAverage, formatFigure, nemClock, type ChannelStats } from './explorerModel';

/** The exact figure the API gave (6 decimals for averages), for a title: what is shown is rounded. */
const exact = (value: string | null, unit: string | null) => (value === null ? undefined : `${value} ${unit ?? ''}`.trim());

/** The figures of a range: total, averages, peak, and the breakdown by quality flag. */
export function StatsPanel({ stats }: { stats: ChannelStats }) {
  const unit = stats.unit;
  if (stats.readings === 0) {
    return (
      <div className="empty" data-testid="stats">
        <p className="empty-title">No readings in this range</p>
        <p className="hint">Pick other days: the hint above says which days this channel has.</p>
      </div>
    );
  }
  return (
    <div className="stats" data-testid="stats">
      <dl className="figures">
        <div>
          <dt>Total{stats.energy ? '' : ` (${unit ?? 'no unit'}: not energy)`}</dt>
          <dd data-testid="stats-total">{formatFigure(stats.total, unit)}</dd>
        </div>
        <div>
          <dt>Readings</dt>
          <dd>
            {formatCount(stats.readings)} over {formatCount(stats.days)} {stats.days === 1 ? 'day' : 'days'}
          </dd>
        </div>
        <div>
          <dt>Average per interval</dt>
          <dd title={exact(stats.average, unit)}>{formatAverage(stats.average, unit)}</dd>
        </div>
        <div>
          <dt>Average per day</dt>
          <dd title={exact(stats.dailyAverage, unit)}>{formatAverage(stats.dailyAverage, unit)}</dd>
        </div>
        <div>
          <dt>Peak interval</dt>
          <dd data-testid="stats-peak">{stats.peak ? `${formatFigure(stats.peak.value, unit)} ending ${nemClock(stats.peak.intervalEnd)}` : '—'}</dd>
        </div>
      </dl>
      <table className="quality-table">
        <caption>By quality flag</caption>
        <thead>
          <tr>
            <th scope="col">Quality</th>
            <th scope="col">Readings</th>
            <th scope="col">Total</th>
          </tr>
        </thead>
        <tbody>
          {stats.quality.map((row) => (
            <tr key={row.flag}>
              <th scope="row">
                <abbr title={qualityFlagName(row.flag)}>{row.flag}</abbr> {qualityFlagName(row.flag)}
              </th>
              <td>{formatCount(row.readings)}</td>
              <td>{formatFigure(row.total, unit)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
