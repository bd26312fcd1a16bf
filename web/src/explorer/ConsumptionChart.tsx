import { Bar, BarChart, CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatFigure, profilePoints, seriesPoints, type ChannelStats } from './explorerModel';

const HEIGHT = 260;
// Before the container is measured (and in tests, where nothing is): draw at this size.
const INITIAL = { width: 640, height: HEIGHT };
const COLOR = 'var(--accent)';

const describeTotal = (stats: ChannelStats) => `${stats.series.length} points, total ${formatFigure(stats.total, stats.unit)}`;

/** Consumption over the range: a bar per day or month, a line through every interval. */
export function ConsumptionChart({ stats }: { stats: ChannelStats }) {
  const points = seriesPoints(stats);
  const per = { interval: 'interval', day: 'day', month: 'month' }[stats.granularity];
  return (
    <figure className="chart" data-testid="consumption-chart" role="img" aria-label={`Consumption per ${per}: ${describeTotal(stats)}`}>
      <figcaption>
        {stats.energy ? 'Consumption' : 'Values'} per {per} ({stats.unit ?? 'no unit'})
      </figcaption>
      <ResponsiveContainer width="100%" height={HEIGHT} initialDimension={INITIAL}>
        {stats.granularity === 'interval' ? (
          <LineChart data={points} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="label" minTickGap={40} tick={{ fontSize: 12 }} />
            <YAxis tick={{ fontSize: 12 }} width={56} />
            <Tooltip formatter={(value) => formatFigure(String(value), stats.unit)} />
            <Line type="linear" dataKey="total" name="Reading" stroke={COLOR} dot={false} isAnimationActive={false} />
          </LineChart>
        ) : (
          <BarChart data={points} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="label" minTickGap={20} tick={{ fontSize: 12 }} />
            <YAxis tick={{ fontSize: 12 }} width={56} />
            <Tooltip formatter={(value) => formatFigure(String(value), stats.unit)} />
            <Bar dataKey="total" name="Total" fill={COLOR} isAnimationActive={false} />
          </BarChart>
        )}
      </ResponsiveContainer>
    </figure>
  );
}

/** The average day: the mean reading at each time of day (interval ends, NEM time). */
export function LoadProfileChart({ stats }: { stats: ChannelStats }) {
  const points = profilePoints(stats);
  return (
    <figure className="chart" data-testid="profile-chart" role="img" aria-label={`Average daily load profile over ${stats.days} days, ${points.length} times of day`}>
      <figcaption>Average daily load profile ({stats.unit ?? 'no unit'} per interval, by interval end)</figcaption>
      <ResponsiveContainer width="100%" height={HEIGHT} initialDimension={INITIAL}>
        <LineChart data={points} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="time" minTickGap={30} tick={{ fontSize: 12 }} />
          <YAxis tick={{ fontSize: 12 }} width={56} />
          <Tooltip formatter={(value) => formatFigure(String(value), stats.unit)} />
          <Line type="monotone" dataKey="average" name="Average" stroke={COLOR} dot={false} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
