import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { parseDay } from '../src/explorer/dates';
import { defaultSelection, type NmiEntry, type Selection } from '../src/explorer/explorerModel';
import { SelectionForm } from '../src/explorer/SelectionForm';
import { StatsPanel } from '../src/explorer/StatsPanel';
import { listing, stats } from './explorer.fixtures';

const noop = () => {};
const search = { listing, loading: false, error: null, onSearch: noop, onRetry: noop };

/** The form as the page holds it: each view it asks for becomes the one shown (and is recorded). */
function Held({ entry = listing.nmis[0], start = defaultSelection(listing)!, onChange }: { entry?: NmiEntry; start?: Selection; onChange(selection: Selection): void }) {
  const [selection, setSelection] = useState(start);
  return (
    <SelectionForm
      search={search}
      entry={entry}
      selection={selection}
      onChange={(next) => {
        onChange(next);
        setSelection(next);
      }}
    />
  );
}

describe('days typed', () => {
  it('refuses impossible days at the field and applies nothing', async () => {
    const onChange = vi.fn();
    const user = userEvent.setup();
    render(<Held onChange={onChange} />);
    const from = screen.getByLabelText('From (NEM day)');
    await user.clear(from);
    await user.type(from, '2003-02-30');
    expect(from).toHaveAttribute('aria-invalid', 'true');
    expect(from).toHaveAccessibleDescription('2003-02-30 is not a day: February 2003 has 28 days.');
    await user.clear(from);
    await user.type(from, '2003-13-01');
    expect(from).toHaveAttribute('aria-invalid', 'true');
    expect(from).toHaveAccessibleDescription('There is no month 13: months go from 01 to 12.');
    // Something that is no date at all: said once the field is left.
    await user.clear(from);
    await user.type(from, '2003-1');
    expect(from).not.toHaveAttribute('aria-invalid');
    await user.tab();
    expect(from).toHaveAttribute('aria-invalid', 'true');
    expect(from).toHaveAccessibleDescription('Type the day as YYYY-MM-DD or DD/MM/YYYY.');
    expect(onChange).not.toHaveBeenCalled();
  });

  it('takes DD/MM/YYYY (and D/M/YYYY), applies it as an ISO day and shows it back so', async () => {
    const onChange = vi.fn();
    const user = userEvent.setup();
    render(<Held onChange={onChange} />);
    const from = screen.getByLabelText('From (NEM day)');
    await user.clear(from);
    await user.type(from, '01/12/2003');
    expect(onChange).toHaveBeenLastCalledWith({ nmi: 'NCDE001111', suffix: 'E1', from: '2003-12-01', to: '2003-12-05', granularity: 'day' });
    expect(from).not.toHaveAttribute('aria-invalid');
    await user.tab();
    expect(from).toHaveValue('2003-12-01');
    const to = screen.getByLabelText('To (NEM day)');
    await user.clear(to);
    await user.type(to, '4/12/2003');
    await user.tab();
    expect(to).toHaveValue('2003-12-04');
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ from: '2003-12-01', to: '2003-12-04' }));
    // Every day it was given was a real one, as an ISO day.
    for (const [view] of onChange.mock.calls as [Selection][]) for (const day of [view.from, view.to]) expect(parseDay(day)).toEqual({ day });
  });
});

describe('quick ranges', () => {
  it('show one range pressed, the one chosen, even when several are the same days', async () => {
    // A channel with one day of data: 7 days, 30 days, this month and all are all that one day.
    const oneDay: NmiEntry = { nmi: 'NONEDAY001', channels: [{ ...listing.nmis[0].channels[1], firstDate: '2003-12-05', lastDate: '2003-12-05' }] };
    const start = { nmi: 'NONEDAY001', suffix: 'E1', from: '2003-12-05', to: '2003-12-05', granularity: 'day' as const };
    const user = userEvent.setup();
    render(<Held entry={oneDay} start={start} onChange={noop} />);
    const group = screen.getByRole('group', { name: 'Quick ranges' });
    const pressed = () => within(group).getAllByRole('button', { pressed: true }).map((button) => button.textContent);
    expect(pressed()).toEqual(['30 days']);
    await user.click(within(group).getByRole('button', { name: 'All' }));
    expect(pressed()).toEqual(['All']);
    await user.click(within(group).getByRole('button', { name: '7 days' }));
    expect(pressed()).toEqual(['7 days']);
  });
});

describe('averages', () => {
  it('always show 3 decimals, with the exact figure in a title', () => {
    render(<StatsPanel stats={{ ...stats, average: '0.99981', dailyAverage: '47.99088' }} />);
    const average = screen.getByText('Average per interval').nextElementSibling!;
    expect(average).toHaveTextContent('1.000 kWh');
    expect(average).toHaveAttribute('title', '0.99981 kWh');
    const daily = screen.getByText('Average per day').nextElementSibling!;
    expect(daily).toHaveTextContent('47.991 kWh');
    expect(daily).toHaveAttribute('title', '47.99088 kWh');
  });
});
