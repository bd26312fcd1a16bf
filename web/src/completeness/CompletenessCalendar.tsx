import { useId, useRef, useState, type KeyboardEvent } from 'react';
import { addDays } from '../explorer/explorerModel';
import { BANDS, calendarMonths, calendarSummary, dayLabel, formatPercent, shareBand, shareComplete, WEEKDAY_NAMES, type CompletenessDay, type CompletenessSummary } from './completenessModel';

/** What the arrow keys do on a day: a day, a week, or to the ends of the range. */
const MOVES: Record<string, (day: string, range: { from: string; to: string }) => string> = {
  ArrowLeft: (day) => addDays(day, -1),
  ArrowRight: (day) => addDays(day, 1),
  ArrowUp: (day) => addDays(day, -7),
  ArrowDown: (day) => addDays(day, 7),
  Home: (_day, range) => range.from,
  End: (_day, range) => range.to,
};

/**
 * The range month by month, each day coloured by the share of its expected streams received
 * complete, its figures in a readout under the calendar for the day pointed at or focused (never
 * on hover alone), and in the day's own name for screen readers. One tab stop: the arrow keys move
 * between days (a grid with a roving tabindex), starting on the last day, the one people ask about.
 */
export function CompletenessCalendar({ summary }: { summary: CompletenessSummary }) {
  const id = useId();
  const box = useRef<HTMLDivElement>(null);
  const [focused, setFocused] = useState<string | null>(null);
  const [pointed, setPointed] = useState<string | null>(null);
  const months = calendarMonths(summary);
  const days = new Map(
    months
      .flatMap((month) => month.weeks.flat())
      .filter((day) => day !== null)
      .map((day) => [day.day, day]),
  );
  // The tab stop: the day last focused while it is in the range, else the last day.
  const current = focused !== null && days.has(focused) ? focused : summary.to;
  const readout = days.get(pointed ?? '') ?? days.get(focused ?? '');

  const onKeyDown = (event: KeyboardEvent, day: string) => {
    const move = MOVES[event.key];
    if (move === undefined) return;
    event.preventDefault();
    const next = move(day, summary);
    if (days.has(next)) box.current?.querySelector<HTMLElement>(`[data-day="${next}"]`)?.focus();
  };
  const cell = (day: CompletenessDay | null, index: number) => {
    if (day === null) return <td key={index} className="outside" />;
    const share = shareComplete(day);
    return (
      <td
        key={day.day}
        role="gridcell"
        className={`day band-${shareBand(share)}`}
        data-day={day.day}
        data-band={shareBand(share)}
        tabIndex={day.day === current ? 0 : -1}
        onFocus={() => setFocused(day.day)}
        onBlur={() => setFocused((was) => (was === day.day ? null : was))}
        onMouseEnter={() => setPointed(day.day)}
        onMouseLeave={() => setPointed((was) => (was === day.day ? null : was))}
        onKeyDown={(event) => onKeyDown(event, day.day)}
      >
        {/* Its name is the sentence (from its content, not aria-label: no visible text left out of it). */}
        <span className="day-number" aria-hidden="true">
          {Number(day.day.slice(8, 10))}
        </span>
        <span className="day-share" aria-hidden="true">
          {share === null ? '–' : formatPercent(share)}
        </span>
        <span className="visually-hidden">{dayLabel(day)}</span>
      </td>
    );
  };
  return (
    <div className="calendar" data-testid="completeness-calendar">
      <p>{calendarSummary(summary.days)}</p>
      <div className="calendar-months" ref={box}>
        {months.map((month) => (
          <table key={month.label} role="grid" className="calendar-month" aria-labelledby={`${id}-${month.label.replace(' ', '-')}`}>
            <caption id={`${id}-${month.label.replace(' ', '-')}`}>{month.label}</caption>
            <thead>
              <tr>
                {WEEKDAY_NAMES.map((weekday) => (
                  <th key={weekday.name} scope="col">
                    <abbr title={weekday.name}>{weekday.short}</abbr>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {month.weeks.map((week) => (
                <tr key={week.find((day) => day !== null)!.day}>{week.map(cell)}</tr>
              ))}
            </tbody>
          </table>
        ))}
      </div>
      {/* The pointed or focused day in words, for everyone: colour and percent repeat it. */}
      <p className="calendar-readout" data-testid="calendar-readout">
        {readout ? dayLabel(readout) : 'Point at a day, or move to it with the arrow keys, for its counts.'}
      </p>
      <ul className="calendar-legend" aria-label="Colours: share of the expected streams received complete">
        {BANDS.map(({ band, label }) => (
          <li key={band}>
            <span className={`swatch band-${band}`} aria-hidden="true" /> {label}
          </li>
        ))}
      </ul>
    </div>
  );
}
