import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import type { ApiGet } from '../src/apiClient';
import { Explorer, type ExplorerProps } from '../src/explorer/Explorer';
import { defaultSelection, type NmiEntry, type NmiListing, type Selection } from '../src/explorer/explorerModel';
import { useNmiList } from '../src/explorer/useReadingsApi';
import { listing, readings, stats } from './explorer.fixtures';

const noop = () => {};
const [ncde, nddd] = listing.nmis;
const channels = ncde.channels;

/** 100,000 NMIs, as an organisation with a large portfolio has: NMI00000 ... NMI99999, and the fixture's two. */
const MANY = [ncde.nmi, nddd.nmi, ...Array.from({ length: 100_000 }, (_, i) => `NMI${String(i).padStart(5, '0')}`)];

/** The API's /nmis over MANY: any part, any case, the first `limit` in natural order; every call recorded. */
function fakeNmis(delayMs = 5, universe = MANY) {
  const calls: Record<string, string | number | undefined>[] = [];
  const get = (async (path: string, params: Record<string, string | number | undefined>) => {
    calls.push(params);
    expect(path).toBe('/nmis');
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    const needle = String(params.search ?? '').toLowerCase();
    const limit = Number(params.limit ?? 200);
    const found = universe.filter((nmi) => nmi.toLowerCase().includes(needle)).sort((a, b) => a.length - b.length || (a < b ? -1 : 1));
    const entry = (nmi: string): NmiEntry => ({ nmi, channels: nmi === nddd.nmi ? nddd.channels : channels });
    const answer: NmiListing = { nmis: found.slice(0, limit).map(entry), nextCursor: found.length > limit ? 'more' : null, recent: found.includes(nddd.nmi) ? [entry(nddd.nmi)] : [] };
    return answer;
  }) as ApiGet;
  return { get, calls };
}

/** The explorer with the real search hook (debounced, keyed requests) over the fake API. */
function Wired({ get, onSelect }: { get: ApiGet; onSelect?: (selection: Selection, entry?: NmiEntry) => void }) {
  const [search, setSearch] = useState('');
  const nmis = useNmiList(get, search, 0, 20);
  const [selection, setSelection] = useState<Selection | null>(defaultSelection(listing));
  const props: ExplorerProps = {
    nmis,
    onSearch: setSearch,
    entry: ncde,
    selection,
    onSelect: (next, entry) => {
      onSelect?.(next, entry);
      setSelection(next);
    },
    stats: { state: 'ready', data: stats, retry: noop },
    readings: { state: 'ready', rows: readings(3), error: null, hasMore: false, loadingMore: false, loadMore: noop, retry: noop },
    downloadReadings: async () => {},
  };
  return <Explorer {...props} />;
}

const combobox = () => screen.getByRole('combobox', { name: 'NMI' });
const optionNames = () => within(screen.getByRole('listbox', { hidden: true })).queryAllByRole('option').map((option) => option.querySelector('.option-nmi')?.textContent);

describe('the NMI combobox', () => {
  it('keeps focus and every key typed while results load, and shows results as you type (asking for 20 at most)', async () => {
    const { get, calls } = fakeNmis();
    const user = userEvent.setup();
    render(<Wired get={get} />);
    const input = combobox();
    await user.click(input);
    let typed = '';
    for (const key of 'nmi42') {
      await user.keyboard(key);
      typed += key;
      // The same input, still focused, with everything typed so far (the form is never swapped for a spinner).
      expect(combobox()).toBe(input);
      expect(input).toHaveFocus();
      expect(input).toHaveValue(typed);
      // A little while between keys, as a person types: requests go out and come back meanwhile.
      await act(() => new Promise((resolve) => setTimeout(resolve, 40)));
    }
    await waitFor(() => expect(optionNames()).toEqual(Array.from({ length: 20 }, (_, i) => `NMI420${String(i).padStart(2, '0')}`)));
    expect(screen.getByText('The first 20 NMIs containing “nmi42”: type more of one to narrow them.')).toHaveAttribute('role', 'status');
    expect(input).toHaveAttribute('aria-expanded', 'true');
    // Results came as the text grew, never the whole organisation.
    expect(calls.map((call) => call.search)).toContain('nmi4');
    expect(calls.at(-1)).toEqual({ search: 'nmi42', limit: 20 });
    expect(calls.every((call) => call.limit === 20)).toBe(true);
  });

  it('moves with the arrow keys and picks with Enter', async () => {
    const { get } = fakeNmis();
    const onSelect = vi.fn();
    const user = userEvent.setup();
    render(<Wired get={get} onSelect={onSelect} />);
    const input = combobox();
    await user.click(input);
    await user.keyboard('NMI0000');
    await waitFor(() => expect(optionNames()).toHaveLength(10));
    await user.keyboard('{ArrowDown}');
    const listbox = screen.getByRole('listbox');
    const active = () => document.getElementById(input.getAttribute('aria-activedescendant') ?? '');
    expect(within(listbox).getAllByRole('option')).toContain(active());
    expect(active()).toHaveTextContent('NMI00000');
    await user.keyboard('{ArrowDown}{ArrowDown}{ArrowUp}');
    expect(active()).toHaveTextContent('NMI00001');
    await user.keyboard('{Enter}');
    expect(onSelect).toHaveBeenCalledOnce();
    expect(onSelect.mock.lastCall![0]).toEqual({ nmi: 'NMI00001', suffix: 'E1', from: '2003-11-06', to: '2003-12-05', granularity: 'day' });
    expect(onSelect.mock.lastCall![1]).toMatchObject({ nmi: 'NMI00001' });
    // Picked: closed, showing the NMI, focus still there.
    expect(input).toHaveValue('NMI00001');
    expect(input).toHaveAttribute('aria-expanded', 'false');
    expect(input).not.toHaveAttribute('aria-activedescendant');
    expect(input).toHaveFocus();
  });

  it('has the ARIA of a combobox with a listbox: controls, groups (most recent first), one selected option', async () => {
    const { get } = fakeNmis(5, [ncde.nmi, nddd.nmi]);
    const user = userEvent.setup();
    render(<Wired get={get} />);
    const input = combobox();
    expect(input).toHaveAttribute('aria-autocomplete', 'list');
    expect(input).toHaveAttribute('aria-expanded', 'false');
    expect(input).toHaveValue(ncde.nmi);
    await user.click(input);
    await user.keyboard('n');
    await waitFor(() => expect(optionNames()).toEqual([nddd.nmi, ncde.nmi]));
    // Closed (the text kept), then opened again with the arrow: it starts on the NMI shown.
    await user.keyboard('{Escape}');
    expect(input).toHaveAttribute('aria-expanded', 'false');
    expect(input).toHaveValue('n');
    await user.keyboard('{ArrowDown}');
    const listbox = screen.getByRole('listbox', { name: 'NMIs' });
    expect(input).toHaveAttribute('aria-controls', listbox.id);
    expect(input).toHaveAttribute('aria-expanded', 'true');
    const groups = within(listbox).getAllByRole('group');
    expect(groups.map((group) => document.getElementById(group.getAttribute('aria-labelledby')!)?.textContent)).toEqual(['Loaded most recently', 'Containing “n”']);
    expect(within(groups[0]).getAllByRole('option').map((option) => option.querySelector('.option-nmi')?.textContent)).toEqual([nddd.nmi]);
    // The selected NMI: once, marked selected, where the arrows start.
    const selected = within(listbox).getAllByRole('option', { selected: true });
    expect(selected).toHaveLength(1);
    expect(selected[0]).toHaveTextContent(ncde.nmi);
    expect(input).toHaveAttribute('aria-activedescendant', selected[0].id);
    // NDDD001888 is both recent and listed: shown once.
    expect(optionNames().filter((nmi) => nmi === nddd.nmi)).toHaveLength(1);
    // Escape closes, keeping the text; a second one gives the NMI shown back.
    await user.keyboard('{Escape}');
    expect(input).toHaveAttribute('aria-expanded', 'false');
    expect(input).toHaveValue('n');
    await user.keyboard('{Escape}');
    expect(input).toHaveValue(ncde.nmi);
  });

  it('says when nothing matches, and while it searches keeps the previous results', async () => {
    const { get } = fakeNmis(60);
    const user = userEvent.setup();
    render(<Wired get={get} />);
    const input = combobox();
    await user.click(input);
    await user.keyboard('NDDD');
    await waitFor(() => expect(optionNames()).toEqual([nddd.nmi]));
    await user.keyboard('z');
    // Searching: said, and the previous option is still there to pick.
    expect(screen.getByText('Searching your NMIs…')).toHaveAttribute('role', 'status');
    expect(optionNames()).toEqual([nddd.nmi]);
    await screen.findByText('None of your NMIs contains “NDDDz”.');
    expect(input).toHaveAttribute('aria-expanded', 'false');
    expect(input).toHaveValue('NDDDz');
  });
});

describe('the selected NMI', () => {
  const only = (nmis: NmiEntry[], recent: NmiEntry[] = []) => ({ state: 'ready' as const, data: { nmis, nextCursor: null, recent }, retry: noop });
  const base = (overrides: Partial<ExplorerProps>): ExplorerProps => ({
    nmis: only(listing.nmis),
    onSearch: noop,
    entry: ncde,
    selection: defaultSelection(listing),
    onSelect: noop,
    stats: { state: 'ready', data: stats, retry: noop },
    readings: { state: 'ready', rows: [], error: null, hasMore: false, loadingMore: false, loadMore: noop, retry: noop },
    downloadReadings: async () => {},
    ...overrides,
  });

  it('keeps its channels, comparisons, quick ranges and days when the search leaves it out', async () => {
    const user = userEvent.setup();
    render(<Explorer {...base({ nmis: only([nddd]) })} />);
    expect(screen.getByLabelText('Channel')).toHaveDisplayValue('E1 · Wh · 15 min');
    expect(within(screen.getByLabelText('Compare with')).getAllByRole('option').map((option) => option.textContent)).toEqual(['No other channel', 'B1 · Wh · 15 min']);
    expect(screen.getByRole('group', { name: 'Quick ranges' })).toBeInTheDocument();
    expect(screen.getByText(/NCDE001111 E1 has readings from 2003-11-01 to 2003-12-05/)).toBeInTheDocument();
    await user.click(combobox());
    await user.keyboard('{ArrowDown}');
    // The search's one result, not selected (the view's NMI is not among the results).
    expect(within(screen.getByRole('listbox')).getAllByRole('option').map((option) => [option.querySelector('.option-nmi')?.textContent, option.getAttribute('aria-selected')])).toEqual([[nddd.nmi, 'false']]);
  });

  it('shows as selected once when the search finds it, recent or not', async () => {
    const user = userEvent.setup();
    render(<Explorer {...base({ nmis: only([ncde, nddd], [ncde]) })} />);
    await user.click(combobox());
    await user.keyboard('{ArrowDown}');
    const options = within(screen.getByRole('listbox')).getAllByRole('option');
    expect(options.map((option) => option.querySelector('.option-nmi')?.textContent)).toEqual([ncde.nmi, nddd.nmi]);
    expect(options.map((option) => option.getAttribute('aria-selected'))).toEqual(['true', 'false']);
  });
});
