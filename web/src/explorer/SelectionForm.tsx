import { useId, useState } from 'react';
import { DayRangeInputs } from './DayField';
import {
  channelLabel,
  fitGranularity,
  granularityProblem,
  overlayChoices,
  pressedQuickRange,
  QUICK_RANGES,
  quickRange,
  rangeProblem,
  selectionFor,
  type Granularity,
  type NmiEntry,
  type QuickRange,
  type Selection,
} from './explorerModel';
import { NmiCombobox, type NmiSearch } from './NmiCombobox';
import { useDayRange } from './useDayRange';

export interface SelectionFormProps {
  search: NmiSearch;
  /** The selected NMI's entry (its channels), known whatever the search shows; null until known. */
  entry: NmiEntry | null;
  selection: Selection;
  /** A new view; `entry` when it is another NMI, picked from the search. */
  onChange(selection: Selection, entry?: NmiEntry): void;
}

const GRANULARITIES: { value: Granularity; label: string }[] = [
  { value: 'interval', label: 'Interval' },
  { value: 'day', label: 'Day' },
  { value: 'month', label: 'Month' },
];

/**
 * Which NMI, channel, days and granularity to show. A new NMI or channel starts on its latest 30
 * days; days apply as soon as they make a valid range (typed as YYYY-MM-DD or DD/MM/YYYY, shown
 * back as YYYY-MM-DD), else what is wrong is said at the field and nothing is sent; a new
 * granularity keeps the days typed when they fit it.
 */
export function SelectionForm({ search, entry, selection, onChange }: SelectionFormProps) {
  const id = useId();
  const [quick, setQuick] = useState<QuickRange | null>(null);
  const channels = entry?.channels ?? [];
  const channel = channels.find((candidate) => candidate.suffix === selection.suffix);
  const range = useDayRange(selection, (from, to) => rangeProblem(from, to, selection.granularity), onChange);
  // The range the granularity applies to: the one typed when it is a range at all, else the shown one.
  const typed = range.days !== null && rangeProblem(range.days.from, range.days.to, 'day') === null ? range.days : selection;

  const pickNmi = (picked: NmiEntry) => {
    const next = picked.channels.find((c) => c.suffix === selection.suffix) ?? picked.channels[0];
    const view = next && selectionFor(picked.nmi, next, selection.granularity);
    setQuick(null);
    if (view) onChange(view, picked);
  };
  const pickChannel = (suffix: string) => {
    const next = channels.find((candidate) => candidate.suffix === suffix);
    const view = next && selectionFor(selection.nmi, next, selection.granularity);
    setQuick(null);
    if (view) onChange(view);
  };
  const pickGranularity = (granularity: Granularity) => range.apply(fitGranularity({ ...selection, from: typed.from, to: typed.to, granularity }));
  const choices = overlayChoices(channels, channel);
  const pickOverlay = (suffix: string) => {
    const { overlay: _previous, ...rest } = selection;
    onChange(suffix === '' ? rest : { ...rest, overlay: suffix });
  };
  const pressed = channel ? pressedQuickRange(channel, selection, quick) : null;

  return (
    <form className="panel selection" aria-label="What to show" onSubmit={(event) => event.preventDefault()}>
      <div className="selection-grid">
        <NmiCombobox search={search} selected={selection.nmi} onPick={pickNmi} />
        <div className="field">
          <label htmlFor={`${id}-channel`}>Channel</label>
          <select id={`${id}-channel`} value={selection.suffix} onChange={(event) => pickChannel(event.target.value)}>
            {channels.length === 0 && <option value={selection.suffix}>{selection.suffix}</option>}
            {channels.map((option) => (
              <option key={option.suffix} value={option.suffix}>
                {channelLabel(option)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-overlay`}>Compare with</label>
          <select
            id={`${id}-overlay`}
            value={selection.overlay ?? ''}
            onChange={(event) => pickOverlay(event.target.value)}
            disabled={choices.length === 0}
            aria-describedby={choices.length === 0 ? `${id}-overlay-why` : undefined}
          >
            <option value="">No other channel</option>
            {choices.map((option) => (
              <option key={option.suffix} value={option.suffix}>
                {channelLabel(option)}
              </option>
            ))}
          </select>
          {choices.length === 0 && (
            <span className="hint" id={`${id}-overlay-why`}>
              {channel === undefined ? 'Finding the channels of this NMI…' : channel.energy ? 'The NMI has no other energy channel.' : 'Only energy channels (in kWh) are drawn together.'}
            </span>
          )}
        </div>
        <DayRangeInputs id={id} range={range} />
        <fieldset className="field granularity">
          <legend>Chart by</legend>
          {GRANULARITIES.map((option) => {
            const unavailable = granularityProblem(typed.from, typed.to, option.value);
            return (
              <label key={option.value} title={unavailable ?? undefined}>
                <input
                  type="radio"
                  name={`${id}-granularity`}
                  value={option.value}
                  checked={selection.granularity === option.value}
                  onChange={() => pickGranularity(option.value)}
                  disabled={unavailable !== null}
                  aria-describedby={unavailable ? `${id}-why` : undefined}
                />
                {option.label}
              </label>
            );
          })}
          {/* Only intervals have a shorter limit than the range itself (31 days). */}
          {granularityProblem(typed.from, typed.to, 'interval') && (
            <p className="hint" id={`${id}-why`}>
              {granularityProblem(typed.from, typed.to, 'interval')}
            </p>
          )}
        </fieldset>
      </div>
      {channel && (
        <div className="quick-ranges" role="group" aria-label="Quick ranges">
          {QUICK_RANGES.map((option) => {
            const days = quickRange(option.id, channel);
            return (
              <button
                key={option.id}
                type="button"
                aria-pressed={pressed === option.id}
                disabled={days === null}
                onClick={() => {
                  if (days === null) return;
                  setQuick(option.id);
                  range.apply(fitGranularity({ ...selection, ...days }));
                }}
              >
                {option.label}
              </button>
            );
          })}
        </div>
      )}
      {range.problem !== null && (
        <p className="field-problem" id={`${id}-problem`} role="alert">
          {range.problem}
        </p>
      )}
      {channel?.firstDate && (
        <p className="hint">
          {selection.nmi} {selection.suffix} has readings from {channel.firstDate} to {channel.lastDate}. Days are NEM days (UTC+10), typed as YYYY-MM-DD or DD/MM/YYYY; each reading is shown at the end of its interval; quick ranges end on its latest day.
        </p>
      )}
    </form>
  );
}
