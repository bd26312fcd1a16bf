import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { plural } from '../uploads/format';
import type { NmiEntry, NmiListing } from './explorerModel';

/** What the search has found so far: the latest answer (the previous one while the next loads). */
export interface NmiSearch {
  listing: NmiListing | null;
  loading: boolean;
  error: string | null;
  onSearch(text: string): void;
  onRetry(): void;
}

export interface NmiComboboxProps {
  search: NmiSearch;
  /** The NMI of the view: what the box shows while nothing is typed. */
  selected: string;
  onPick(entry: NmiEntry): void;
}

/** NMIs are letters and digits, at most 10 (what the API's search takes). */
const cleaned = (text: string) => text.replace(/[^A-Za-z0-9]/g, '').slice(0, 10);

/**
 * The NMI picker: a WAI-ARIA 1.2 combobox (an editable input with a listbox popup, list
 * autocomplete, manual selection). Typing filters through the API as you type; arrows move, Enter
 * picks, Escape closes (then restores the NMI shown); the NMIs loaded most recently come first. The
 * input is never unmounted while results load, so focus and the typed text stay.
 */
export function NmiCombobox({ search, selected, onPick }: NmiComboboxProps) {
  const id = useId();
  const justFocused = useRef(false);
  // What the user is typing; null: nothing since the last pick (the box shows the selected NMI).
  const [typed, setTyped] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState<string | null>(null);

  const { listing, loading, error } = search;
  const recent = listing?.recent ?? [];
  const others = (listing?.nmis ?? []).filter((entry) => !recent.some((shown) => shown.nmi === entry.nmi));
  const options = [...recent, ...others];
  const expanded = open && options.length > 0;
  const activeIndex = options.findIndex((entry) => entry.nmi === active);
  const optionId = (nmi: string) => `${id}-option-${nmi}`;

  useEffect(() => {
    if (expanded && active !== null) document.getElementById(optionId(active))?.scrollIntoView?.({ block: 'nearest' });
    // optionId derives from the stable id
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [expanded, active]);

  const type = (text: string | null) => {
    setTyped(text);
    setActive(null);
    search.onSearch(text ?? '');
  };
  const close = () => {
    setOpen(false);
    setActive(null);
  };
  const pick = (entry: NmiEntry) => {
    close();
    type(null);
    if (entry.nmi !== selected) onPick(entry);
  };
  const move = (down: boolean) => {
    if (!expanded) {
      setOpen(true);
      // Opening starts on the NMI shown, else at the top (or the bottom, going up).
      const start = options.some((entry) => entry.nmi === selected) ? selected : (down ? options[0] : options.at(-1))?.nmi;
      setActive(start ?? null);
      return;
    }
    const next = activeIndex < 0 ? (down ? 0 : options.length - 1) : (activeIndex + (down ? 1 : options.length - 1)) % options.length;
    setActive(options[next].nmi);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      move(event.key === 'ArrowDown');
    } else if (event.key === 'Enter') {
      // Enter never submits the form: it picks the active option, or the NMI typed in full.
      event.preventDefault();
      const exact = typed === null ? undefined : options.find((entry) => entry.nmi.toLowerCase() === typed.toLowerCase());
      const only = !loading && typed !== null && options.length === 1 ? options[0] : undefined;
      const chosen = (expanded && activeIndex >= 0 ? options[activeIndex] : undefined) ?? exact ?? only;
      if (chosen) pick(chosen);
    } else if (event.key === 'Escape') {
      if (expanded) close();
      else if (typed !== null) type(null);
      else return;
      event.preventDefault();
    }
  };

  const query = typed ?? '';
  const engaged = open || typed !== null;
  const status = error
    ? `Your NMIs cannot be searched: ${error}`
    : loading
      ? 'Searching your NMIs…'
      : listing === null
        ? ''
        : options.length === 0
          ? query === ''
            ? 'No NMIs yet.'
            : `None of your NMIs contains “${query}”.`
          : listing.nextCursor !== null
            ? `The first ${plural(options.length, 'NMI')}${query === '' ? '' : ` containing “${query}”`}: type more of one to narrow them.`
            : `${plural(options.length, 'NMI')}${query === '' ? '' : ` containing “${query}”`}.`;

  const renderOption = (entry: NmiEntry) => (
    <li
      key={entry.nmi}
      id={optionId(entry.nmi)}
      role="option"
      aria-selected={entry.nmi === selected}
      className={entry.nmi === active ? 'combobox-option active' : 'combobox-option'}
      // Keeps focus in the input: a click picks without a blur first.
      onMouseDown={(event) => event.preventDefault()}
      onClick={() => pick(entry)}
    >
      <span className="option-nmi">{entry.nmi}</span> <span className="option-meta">{entry.channels.map((channel) => channel.suffix).join(' ')}</span>
    </li>
  );

  return (
    <div className="field combobox">
      <label htmlFor={`${id}-input`}>NMI</label>
      <div className="combobox-box">
        <input
          id={`${id}-input`}
          type="text"
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={expanded}
          aria-controls={`${id}-listbox`}
          aria-activedescendant={expanded && activeIndex >= 0 ? optionId(options[activeIndex].nmi) : undefined}
          aria-describedby={`${id}-hint`}
          autoComplete="off"
          spellCheck={false}
          value={typed ?? selected}
          onChange={(event) => {
            type(cleaned(event.target.value));
            setOpen(true);
          }}
          onKeyDown={onKeyDown}
          onFocus={(event) => {
            // The whole NMI selected: typing replaces it with a search.
            event.target.select();
            justFocused.current = true;
          }}
          onMouseUp={(event) => {
            // A click that focused keeps the selection the focus made.
            if (justFocused.current) event.preventDefault();
            justFocused.current = false;
          }}
          onClick={() => setOpen(true)}
          onBlur={() => {
            // Leaving picks nothing: the box shows the view's NMI again.
            close();
            if (typed !== null) type(null);
          }}
        />
        {/* Under the input, above the list: what was found, said as you type (the hint gives way to it). */}
        <span className="hint" id={`${id}-hint`} hidden={engaged && status !== ''}>
          Type any part of it, in any case
        </span>
        <p className="hint combobox-status" role="status">
          {engaged || error ? status : ''}
          {error && (
            <>
              {' '}
              <button type="button" className="link" onMouseDown={(event) => event.preventDefault()} onClick={search.onRetry}>
                Try again
              </button>
            </>
          )}
        </p>
        <div id={`${id}-listbox`} role="listbox" aria-label="NMIs" className="combobox-list" hidden={!expanded}>
          {recent.length > 0 && (
            <ul role="group" aria-labelledby={`${id}-recent`}>
              <li role="presentation" id={`${id}-recent`} className="combobox-group">
                Loaded most recently
              </li>
              {recent.map(renderOption)}
            </ul>
          )}
          {others.length > 0 && (
            <ul role="group" aria-labelledby={`${id}-others`}>
              <li role="presentation" id={`${id}-others`} className="combobox-group">
                {query === '' ? 'All NMIs' : `Containing “${query}”`}
              </li>
              {others.map(renderOption)}
            </ul>
          )}
        </div>
      </div>
    </div>
  );
}
