import { useId, useState } from 'react';
import {
  channelLabel,
  fitGranularity,
  granularityProblem,
  overlayChoices,
  QUICK_RANGES,
  quickRange,
  rangeProblem,
  selectionFor,
  type Granularity,
  type NmiListing,
  type Selection,
} from './explorerModel';

export interface SelectionFormProps {
  nmis: NmiListing['nmis'];
  /** The most recently loaded NMIs that match the search (listed first). */
  recent: NmiListing['nmis'];
  selection: Selection;
  onChange(selection: Selection): void;
  search: string;
  onSearch(search: string): void;
  hasMoreNmis: boolean;
  loadingMoreNmis: boolean;
  onMoreNmis(): void;
}

const GRANULARITIES: { value: Granularity; label: string }[] = [
  { value: 'interval', label: 'Interval' },
  { value: 'day', label: 'Day' },
  { value: 'month', label: 'Month' },
];

/**
 * Which NMI, channel, days and granularity to show. A new NMI or channel starts on its latest 30
 * days; dates (typed as YYYY-MM-DD) apply as soon as they make a valid range, else the problem is
 * said beside them; a new granularity keeps the dates typed when they fit it.
 */
export function SelectionForm({ nmis, recent, selection, onChange, search, onSearch, hasMoreNmis, loadingMoreNmis, onMoreNmis }: SelectionFormProps) {
  const id = useId();
  const [draft, setDraft] = useState({ from: selection.from, to: selection.to, for: selection });
  // A selection made elsewhere (another NMI or channel) resets the dates being typed.
  if (draft.for !== selection) setDraft({ from: selection.from, to: selection.to, for: selection });
  const problem = rangeProblem(draft.from, draft.to, selection.granularity);
  const known = [...recent, ...nmis];
  const channels = known.find((entry) => entry.nmi === selection.nmi)?.channels ?? [];
  const channel = channels.find((entry) => entry.suffix === selection.suffix);
  // The range the granularity applies to: the one typed when it is a range at all, else the shown one.
  const typed = rangeProblem(draft.from, draft.to, 'day') === null ? draft : selection;

  const apply = (next: Selection) => {
    setDraft({ from: next.from, to: next.to, for: next });
    onChange(next);
  };
  const pickNmi = (nmi: string) => {
    const entry = known.find((candidate) => candidate.nmi === nmi);
    const next = entry && (entry.channels.find((c) => c.suffix === selection.suffix) ?? entry.channels[0]);
    const picked = next && selectionFor(nmi, next, selection.granularity);
    if (picked) onChange(picked);
  };
  const pickChannel = (suffix: string) => {
    const next = channels.find((candidate) => candidate.suffix === suffix);
    const picked = next && selectionFor(selection.nmi, next, selection.granularity);
    if (picked) onChange(picked);
  };
  const editDate = (edge: 'from' | 'to', value: string) => {
    const next = { ...draft, [edge]: value };
    setDraft(next);
    if (rangeProblem(next.from, next.to, selection.granularity) === null) apply({ ...selection, from: next.from, to: next.to });
  };
  const pickGranularity = (granularity: Granularity) => apply(fitGranularity({ ...selection, from: typed.from, to: typed.to, granularity }));
  const matches = nmis.length + recent.length > 0;
  const choices = overlayChoices(channels, channel);
  const pickOverlay = (suffix: string) => {
    const { overlay: _previous, ...rest } = selection;
    onChange(suffix === '' ? rest : { ...rest, overlay: suffix });
  };

  return (
    <form className="panel selection" aria-label="What to show" onSubmit={(event) => event.preventDefault()}>
      <div className="selection-grid">
        <div className="field">
          <label htmlFor={`${id}-search`}>Find an NMI</label>
          <input
            id={`${id}-search`}
            type="search"
            placeholder="Any part, any case"
            value={search}
            maxLength={10}
            aria-describedby={matches ? undefined : `${id}-nomatch`}
            onChange={(event) => onSearch(event.target.value.replace(/[^A-Za-z0-9]/g, ''))}
          />
          {!matches && (
            <p className="field-problem" id={`${id}-nomatch`} role="status">
              None of your NMIs contains “{search}”.{' '}
              <button type="button" className="link" onClick={() => onSearch('')}>
                Show all NMIs
              </button>
            </p>
          )}
        </div>
        <div className="field">
          <label htmlFor={`${id}-nmi`}>NMI</label>
          <select id={`${id}-nmi`} value={selection.nmi} onChange={(event) => pickNmi(event.target.value)}>
            {!known.some((entry) => entry.nmi === selection.nmi) && <option value={selection.nmi}>{selection.nmi}</option>}
            {recent.length > 0 && (
              <optgroup label="Loaded most recently">
                {recent.map((entry) => (
                  <option key={entry.nmi} value={entry.nmi}>
                    {entry.nmi}
                  </option>
                ))}
              </optgroup>
            )}
            <optgroup label={search === '' ? 'All NMIs' : `NMIs containing ${search}`}>
              {nmis.map((entry) => (
                <option key={entry.nmi} value={entry.nmi}>
                  {entry.nmi}
                </option>
              ))}
            </optgroup>
          </select>
          {hasMoreNmis && (
            <button type="button" className="link" onClick={onMoreNmis} disabled={loadingMoreNmis}>
              {loadingMoreNmis ? 'Loading more NMIs…' : 'More NMIs'}
            </button>
          )}
        </div>
        <div className="field">
          <label htmlFor={`${id}-channel`}>Channel</label>
          <select id={`${id}-channel`} value={selection.suffix} onChange={(event) => pickChannel(event.target.value)}>
            {channels.length === 0 && <option value={selection.suffix}>{selection.suffix}</option>}
            {channels.map((entry) => (
              <option key={entry.suffix} value={entry.suffix}>
                {channelLabel(entry)}
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
            {choices.map((entry) => (
              <option key={entry.suffix} value={entry.suffix}>
                {channelLabel(entry)}
              </option>
            ))}
          </select>
          {choices.length === 0 && (
            <span className="hint" id={`${id}-overlay-why`}>
              {channel?.energy ? 'The NMI has no other energy channel.' : 'Only energy channels (in kWh) are drawn together.'}
            </span>
          )}
        </div>
        {(['from', 'to'] as const).map((edge) => (
          <div className="field" key={edge}>
            <label htmlFor={`${id}-${edge}`}>{edge === 'from' ? 'From (NEM day)' : 'To (NEM day)'}</label>
            <input
              id={`${id}-${edge}`}
              type="text"
              inputMode="numeric"
              placeholder="YYYY-MM-DD"
              autoComplete="off"
              spellCheck={false}
              maxLength={10}
              value={draft[edge]}
              onChange={(event) => editDate(edge, event.target.value.trim())}
              aria-describedby={problem ? `${id}-problem` : undefined}
            />
          </div>
        ))}
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
            const range = quickRange(option.id, channel);
            const active = range !== null && range.from === selection.from && range.to === selection.to;
            return (
              <button
                key={option.id}
                type="button"
                aria-pressed={active}
                disabled={range === null}
                onClick={() => range && apply(fitGranularity({ ...selection, ...range }))}
              >
                {option.label}
              </button>
            );
          })}
        </div>
      )}
      {problem && draft.for === selection && (draft.from !== selection.from || draft.to !== selection.to) && (
        <p className="field-problem" id={`${id}-problem`} role="alert">
          {problem}
        </p>
      )}
      {channel?.firstDate && (
        <p className="hint">
          {selection.nmi} {selection.suffix} has readings from {channel.firstDate} to {channel.lastDate}. Days are NEM days (UTC+10); each reading is shown at the end of its interval; quick ranges end on its latest day.
        </p>
      )}
    </form>
  );
}
