import { Bar, BarChart, Brush, CartesianGrid, Legend, Line, LineChart, ReferenceDot, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatFigure, peakPoint, profilePoints, seriesPoints, timeTicks, type ChannelStats } from './explorerModel';

const HEIGHT = 280;
// Before the container is measured (and in tests, where nothing is): draw at this size.
const INITIAL = { width: 640, height: HEIGHT };
const COLOR = 'var(--accent)';
const PEAK = 'var(--error)';
const OVERLAY = 'var(--warning)';
/** More daily bars than this are a comb in a narrow chart: a step line instead. */
const MAX_BARS = 62;

const describeTotal = (stats: ChannelStats) => `${stats.series.length} points, total ${formatFigure(stats.total, stats.unit)}`;

/**
 * Consumption over the range: bars per day or month, a step line through every interval (each
 * reading holds for its interval, which ends at the point), the peak marked, a brush to zoom, and
 * tooltips that say the unit and, for intervals, that the time is the interval's end.
 */
export function ConsumptionChart({ stats, overlay = null }: { stats: ChannelStats; overlay?: ChannelStats | null }) {
  // Another channel, by period (both in kWh); a period only one of them has is a gap in the other.
  const other = overlay === null ? null : new Map(seriesPoints(overlay).map((point) => [point.period, point.total]));
  const points = seriesPoints(stats).map((point) => (other === null ? point : { ...point, other: other.get(point.period) ?? null }));
  const per = { interval: 'interval', day: 'day', month: 'month' }[stats.granularity];
  const ticks = timeTicks(
    points.map((point) => point.label),
    stats.granularity,
  );
  const peak = peakPoint(points);
  const bars = stats.granularity !== 'interval' && points.length <= MAX_BARS;
  const tooltip = (
    <Tooltip
      formatter={(value, name) => [formatFigure(String(value), stats.unit), String(name)]}
      labelFormatter={(label) => (stats.granularity === 'interval' ? `Interval ending ${String(label)} (NEM time)` : String(label))}
    />
  );
  const axes = (
    <>
      <CartesianGrid strokeDasharray="3 3" />
      <XAxis dataKey="label" ticks={ticks} interval="preserveStartEnd" tick={{ fontSize: 12 }} />
      <YAxis tick={{ fontSize: 12 }} width={56} />
      {tooltip}
      {peak && peak.total > 0 && <ReferenceDot x={peak.label} y={peak.total} r={5} fill={PEAK} stroke="none" label={{ value: `peak ${formatFigure(String(peak.total), stats.unit)}`, position: 'top', fontSize: 12 }} />}
      {points.length > 20 && <Brush dataKey="label" height={22} travellerWidth={8} stroke={COLOR} />}
    </>
  );
  return (
    <figure className="chart" data-testid="consumption-chart" aria-label={`Consumption per ${per}: ${describeTotal(stats)}${peak ? `, peak ${formatFigure(String(peak.total), stats.unit)} at ${peak.label}` : ''}${overlay ? `; with ${overlay.suffix}: total ${formatFigure(overlay.total, overlay.unit)}` : ''}`}>
      <figcaption>
        {stats.energy ? 'Consumption' : 'Values'} per {per} ({stats.unit ?? 'no unit'})
      </figcaption>
      <ResponsiveContainer width="100%" height={HEIGHT} initialDimension={INITIAL}>
        {bars ? (
          <BarChart data={points} margin={{ top: 20, right: 16, bottom: 8, left: 8 }}>
            {axes}
            <Bar dataKey="total" name={stats.suffix} fill={COLOR} isAnimationActive={false} />
            {overlay && <Bar dataKey="other" name={overlay.suffix} fill={OVERLAY} isAnimationActive={false} />}
            {overlay && <Legend />}
          </BarChart>
        ) : (
          <LineChart data={points} margin={{ top: 20, right: 16, bottom: 8, left: 8 }}>
            {axes}
            <Line type="stepBefore" dataKey="total" name={stats.suffix} stroke={COLOR} dot={false} isAnimationActive={false} />
            {overlay && <Line type="stepBefore" dataKey="other" name={overlay.suffix} stroke={OVERLAY} dot={false} isAnimationActive={false} />}
            {overlay && <Legend />}
          </LineChart>
        )}
      </ResponsiveContainer>
    </figure>
  );
}

/** The average day: the mean reading at each time of day (interval ends, NEM time), as steps. */
export function LoadProfileChart({ stats }: { stats: ChannelStats }) {
  const points = profilePoints(stats);
  return (
    <figure className="chart" data-testid="profile-chart" role="img" aria-label={`Average daily load profile over ${stats.days} days, ${points.length} times of day`}>
      <figcaption>Average daily load profile ({stats.unit ?? 'no unit'} per interval, by interval end)</figcaption>
      <ResponsiveContainer width="100%" height={HEIGHT} initialDimension={INITIAL}>
        <LineChart data={points} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="time" ticks={points.map((point) => point.time).filter((time) => /^(00|03|06|09|12|15|18|21|24):00$/.test(time))} tick={{ fontSize: 12 }} />
          <YAxis tick={{ fontSize: 12 }} width={56} />
          <Tooltip formatter={(value) => [formatFigure(String(value), stats.unit), 'Average']} labelFormatter={(label) => `Intervals ending ${String(label)} (NEM time)`} />
          <Line type="stepBefore" dataKey="average" name="Average" stroke={COLOR} dot={false} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
