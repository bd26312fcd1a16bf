import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { Explorer, type ExplorerProps } from '../src/explorer/Explorer';
import { defaultSelection } from '../src/explorer/explorerModel';
import type { ReadingRows } from '../src/explorer/useReadingsApi';
import { listing, readings, stats } from './explorer.fixtures';

const noop = () => {};
const rows = (overrides: Partial<ReadingRows> = {}): ReadingRows => ({
  state: 'ready',
  rows: readings(20),
  error: null,
  hasMore: false,
  loadingMore: false,
  loadMore: noop,
  retry: noop,
  ...overrides,
});

function props(overrides: Partial<ExplorerProps> = {}): ExplorerProps {
  return {
    nmis: { state: 'ready', data: listing, retry: noop },
    onSearch: noop,
    entry: listing.nmis[0],
    selection: defaultSelection(listing),
    onSelect: noop,
    stats: { state: 'ready', data: stats, retry: noop },
    readings: rows(),
    downloadReadings: async () => {},
    ...overrides,
  };
}

describe('the readings explorer', () => {
  it('shows the figures, both charts and the readings of the selection', () => {
    render(<Explorer {...props()} />);
    expect(screen.getByTestId('stats-total')).toHaveTextContent('1,921.5 kWh');
    expect(screen.getByTestId('stats-peak')).toHaveTextContent('0.25 kWh ending 2003-12-05 18:30');
    const quality = screen.getByRole('table', { name: 'By quality flag' });
    expect(within(quality).getAllByRole('row').map((row) => row.textContent)).toEqual(['QualityReadingsTotal', 'A Actual1901,921 kWh', 'S Substitute20.5 kWh']);
    expect(screen.getByRole('figure', { name: /Consumption per day: 2 points, total 1,921.5 kWh, peak 961.5 kWh at 2003-12-05/ })).toBeInTheDocument();
    expect(screen.getByRole('img', { name: /load profile/ })).toBeInTheDocument();
    // (jsdom has no layout, so the charts draw nothing here: the browser tests count their bars.)
    expect(screen.getByRole('table', { name: 'Readings' })).toHaveAttribute('aria-rowcount', '21');
  });

  it('says when there is nothing to explore yet, and links to the uploads', () => {
    render(<Explorer {...props({ nmis: { state: 'ready', data: { nmis: [], nextCursor: null, recent: [] }, retry: noop }, entry: null, selection: null })} />);
    expect(screen.getByText('No readings to explore yet')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'uploaded' })).toHaveAttribute('href', '#/');
  });

  it('shows loading states, and errors with a way to try again', async () => {
    const { rerender } = render(<Explorer {...props({ nmis: { state: 'loading', retry: noop }, entry: null, selection: null })} />);
    expect(screen.getByRole('status')).toHaveTextContent('Loading your NMIs…');
    const retry = vi.fn();
    rerender(<Explorer {...props({ stats: { state: 'error', error: 'The database is unavailable or too busy; try again shortly.', retry } })} />);
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('The figures cannot be shown: The database is unavailable');
    await userEvent.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(retry).toHaveBeenCalledOnce();
  });

  it('a new channel starts on its own latest days; dates apply once they make a range', async () => {
    const onSelect = vi.fn();
    const { rerender } = render(<Explorer {...props({ onSelect })} />);
    await userEvent.selectOptions(screen.getByLabelText('Channel'), 'Q1');
    expect(onSelect).toHaveBeenLastCalledWith({ nmi: 'NCDE001111', suffix: 'Q1', from: '2003-12-04', to: '2003-12-05', granularity: 'day' });

    onSelect.mockClear();
    const from = screen.getByLabelText('From (NEM day)');
    await userEvent.clear(from);
    await userEvent.type(from, '2003-12-09');
    expect(screen.getByRole('alert')).toHaveTextContent('The first day must not be after the last.');
    expect(onSelect).not.toHaveBeenCalled();
    await userEvent.clear(from);
    await userEvent.type(from, '2003-12-01');
    expect(onSelect).toHaveBeenLastCalledWith(expect.objectContaining({ from: '2003-12-01', to: '2003-12-05' }));
    rerender(<Explorer {...props({ onSelect, selection: onSelect.mock.lastCall![0] })} />);
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('offers interval charts only for ranges of up to 31 days', async () => {
    const onSelect = vi.fn();
    render(<Explorer {...props({ onSelect })} />);
    // The default range is 30 days: intervals are allowed.
    await userEvent.click(screen.getByLabelText('Interval'));
    expect(onSelect).toHaveBeenLastCalledWith(expect.objectContaining({ granularity: 'interval' }));
    const long = { ...defaultSelection(listing)!, from: '2003-11-01', to: '2003-12-05' };
    render(<Explorer {...props({ onSelect, selection: long })} />);
    const interval = screen.getAllByLabelText('Interval').at(-1)!;
    expect(interval).toBeDisabled();
    // ...and says why, to everyone.
    expect(interval).toHaveAccessibleDescription('Interval charts cover at most 31 days; this range has 35.');
  });

  it('a new granularity keeps the dates typed when they fit it', async () => {
    const onSelect = vi.fn();
    render(<Explorer {...props({ onSelect, selection: { ...defaultSelection(listing)!, granularity: 'interval' } })} />);
    const from = screen.getByLabelText('From (NEM day)');
    await userEvent.clear(from);
    await userEvent.type(from, '2003-11-01');
    // 35 days: too long for intervals, said, not applied...
    expect(screen.getByRole('alert')).toHaveTextContent('Interval charts cover at most 31 days; this range has 35.');
    expect(onSelect).not.toHaveBeenCalled();
    // ...and Day takes the typed range instead of throwing it away.
    await userEvent.click(screen.getByLabelText('Day'));
    expect(onSelect).toHaveBeenLastCalledWith({ nmi: 'NCDE001111', suffix: 'E1', from: '2003-11-01', to: '2003-12-05', granularity: 'day' });
  });

  it("quick ranges end on the channel's latest day and say which one is shown", async () => {
    const onSelect = vi.fn();
    render(<Explorer {...props({ onSelect })} />);
    const group = screen.getByRole('group', { name: 'Quick ranges' });
    expect(within(group).getByRole('button', { name: '30 days' })).toHaveAttribute('aria-pressed', 'true');
    await userEvent.click(within(group).getByRole('button', { name: '7 days' }));
    expect(onSelect).toHaveBeenLastCalledWith(expect.objectContaining({ from: '2003-11-29', to: '2003-12-05' }));
    await userEvent.click(within(group).getByRole('button', { name: 'Last month' }));
    expect(onSelect).toHaveBeenLastCalledWith(expect.objectContaining({ from: '2003-11-01', to: '2003-11-30', granularity: 'day' }));
    await userEvent.click(within(group).getByRole('button', { name: 'All' }));
    expect(onSelect).toHaveBeenLastCalledWith(expect.objectContaining({ from: '2003-11-01', to: '2003-12-05' }));
  });

  it('keeps the previous figures and rows, dimmed, while the next ones load', () => {
    render(<Explorer {...props({ stats: { state: 'loading', previous: stats, retry: noop }, readings: rows({ state: 'loading' }) })} />);
    expect(screen.getByText('Updating…')).toHaveAttribute('role', 'status');
    const total = screen.getByTestId('stats-total');
    expect(total).toHaveTextContent('1,921.5 kWh');
    expect(total.closest('.stale')).not.toBeNull();
    expect(screen.getByRole('table', { name: 'Readings', hidden: true }).closest('.stale')).not.toBeNull();
  });

  it('downloads the readings through the API, and says why it cannot', async () => {
    let fail = false;
    const downloadReadings = vi.fn(async () => {
      if (fail) throw new Error('The service cannot be reached: check your connection and try again.');
    });
    render(<Explorer {...props({ downloadReadings })} />);
    await userEvent.click(screen.getByRole('button', { name: 'Download the readings (CSV)' }));
    expect(downloadReadings).toHaveBeenCalledOnce();
    fail = true;
    await userEvent.click(screen.getByRole('button', { name: 'Download the readings (CSV)' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('The CSV cannot be downloaded: The service cannot be reached');
  });

  it('draws another energy channel of the NMI with it, and says why a channel cannot be', async () => {
    const onSelect = vi.fn();
    const { rerender } = render(<Explorer {...props({ onSelect })} />);
    const compare = screen.getByLabelText('Compare with');
    // E1 in kWh: B1 (kWh) can be drawn with it, Q1 (VArh) cannot.
    expect(within(compare).getAllByRole('option').map((option) => option.textContent)).toEqual(['No other channel', 'B1 · Wh · 15 min']);
    await userEvent.selectOptions(compare, 'B1');
    expect(onSelect).toHaveBeenLastCalledWith({ ...defaultSelection(listing), overlay: 'B1' });
    rerender(<Explorer {...props({ onSelect, selection: { ...defaultSelection(listing)!, overlay: 'B1' }, overlay: { ...stats, suffix: 'B1', total: '12.5' } })} />);
    expect(screen.getByRole('figure', { name: /Consumption per day: .*; with B1: total 12.5 kWh/ })).toBeInTheDocument();
    await userEvent.selectOptions(screen.getByLabelText('Compare with'), '');
    expect(onSelect).toHaveBeenLastCalledWith(defaultSelection(listing));
    rerender(<Explorer {...props({ onSelect, selection: { ...defaultSelection(listing)!, suffix: 'Q1' } })} />);
    expect(screen.getByLabelText('Compare with')).toBeDisabled();
    expect(screen.getByLabelText('Compare with')).toHaveAccessibleDescription('Only energy channels (in kWh) are drawn together.');
  });
});
