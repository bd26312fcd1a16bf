import { useId, useState } from 'react';
import { channelLabel, fitGranularity, rangeProblem, selectionFor, type Granularity, type NmiListing, type Selection } from './explorerModel';

export interface SelectionFormProps {
  nmis: NmiListing['nmis'];
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
 * days; dates apply as soon as they make a valid range (else the problem is said beside them).
 */
export function SelectionForm({ nmis, selection, onChange, search, onSearch, hasMoreNmis, loadingMoreNmis, onMoreNmis }: SelectionFormProps) {
  const id = useId();
  const [draft, setDraft] = useState({ from: selection.from, to: selection.to, for: selection });
  // A selection made elsewhere (another NMI or channel) resets the dates being typed.
  if (draft.for !== selection) setDraft({ from: selection.from, to: selection.to, for: selection });
  const problem = rangeProblem(draft.from, draft.to, selection.granularity);
  const channels = nmis.find((entry) => entry.nmi === selection.nmi)?.channels ?? [];
  const channel = channels.find((entry) => entry.suffix === selection.suffix);

  const pickNmi = (nmi: string) => {
    const entry = nmis.find((candidate) => candidate.nmi === nmi);
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
    if (rangeProblem(next.from, next.to, selection.granularity) === null) {
      const applied = { ...selection, from: next.from, to: next.to };
      setDraft({ ...next, for: applied });
      onChange(applied);
    }
  };

  return (
    <form className="panel selection" aria-label="What to show" onSubmit={(event) => event.preventDefault()}>
      <div className="selection-grid">
        <div className="field">
          <label htmlFor={`${id}-search`}>Find an NMI</label>
          <input id={`${id}-search`} type="search" inputMode="text" placeholder="Starts with…" value={search} maxLength={10} onChange={(event) => onSearch(event.target.value.replace(/[^A-Za-z0-9]/g, ''))} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-nmi`}>NMI</label>
          <select id={`${id}-nmi`} value={selection.nmi} onChange={(event) => pickNmi(event.target.value)}>
            {!nmis.some((entry) => entry.nmi === selection.nmi) && <option value={selection.nmi}>{selection.nmi}</option>}
            {nmis.map((entry) => (
              <option key={entry.nmi} value={entry.nmi}>
                {entry.nmi}
              </option>
            ))}
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
            {channels.map((entry) => (
              <option key={entry.suffix} value={entry.suffix}>
                {channelLabel(entry)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-from`}>From (NEM day)</label>
          <input id={`${id}-from`} type="date" value={draft.from} min={channel?.firstDate ?? undefined} max={channel?.lastDate ?? undefined} onChange={(event) => editDate('from', event.target.value)} aria-describedby={problem ? `${id}-problem` : undefined} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-to`}>To (NEM day)</label>
          <input id={`${id}-to`} type="date" value={draft.to} min={channel?.firstDate ?? undefined} max={channel?.lastDate ?? undefined} onChange={(event) => editDate('to', event.target.value)} aria-describedby={problem ? `${id}-problem` : undefined} />
        </div>
        <fieldset className="field granularity">
          <legend>Chart by</legend>
          {GRANULARITIES.map((option) => (
            <label key={option.value}>
              <input
                type="radio"
                name={`${id}-granularity`}
                value={option.value}
                checked={selection.granularity === option.value}
                onChange={() => onChange(fitGranularity({ ...selection, granularity: option.value }) )}
                disabled={option.value === 'interval' && rangeProblem(selection.from, selection.to, 'interval') !== null}
              />
              {option.label}
            </label>
          ))}
        </fieldset>
      </div>
      {problem && draft.for === selection && (draft.from !== selection.from || draft.to !== selection.to) && (
        <p className="field-problem" id={`${id}-problem`} role="alert">
          {problem}
        </p>
      )}
      {channel?.firstDate && (
        <p className="hint">
          {selection.nmi} {selection.suffix} has readings from {channel.firstDate} to {channel.lastDate}. Days are NEM days (UTC+10); each reading is shown at the end of its interval.
        </p>
      )}
    </form>
  );
}
