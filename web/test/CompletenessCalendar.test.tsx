import { fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { CompletenessCalendar } from '../src/completeness/CompletenessCalendar';
import { summaryOf } from './completeness.fixtures';

// 26 February to 10 March 2024: two months; one day with a stream missing and one partial, one
// with most streams missing, one with none expected.
const summary = summaryOf('2024-02-26', '2024-03-10', {
  '2024-03-05': { complete: 8, received: 9, partial: 1, missing: 1, readings: 429, actual: 400, estimated: 29 },
  '2024-03-06': { complete: 4, received: 4, missing: 6, readings: 192, actual: 192 },
  '2024-03-09': { expected: 0, received: 0, complete: 0, readings: 0, actual: 0 },
});

const dayCell = (date: string) => document.querySelector<HTMLElement>(`[data-day="${date}"]`)!;

describe('the completeness calendar', () => {
  it('shows each month as a grid of weeks, each day coloured by its share of streams complete and labelled with its counts', () => {
    render(<CompletenessCalendar summary={summary} />);
    const grids = [screen.getByRole('grid', { name: 'February 2024' }), screen.getByRole('grid', { name: 'March 2024' })];
    expect(screen.getAllByRole('grid')).toEqual(grids);
    expect(within(grids[0]).getAllByRole('columnheader').map((header) => header.textContent)).toEqual(['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']);
    // Every day of the range, once, in its weekday's column (26 February 2024 is a Monday).
    const cells = screen.getAllByRole('gridcell').filter((cell) => cell.dataset.day);
    expect(cells).toHaveLength(14);
    expect(within(grids[0]).getAllByRole('row')[1].querySelectorAll('td')[0]).toHaveAttribute('data-day', '2024-02-26');
    expect(Object.fromEntries(['2024-03-04', '2024-03-05', '2024-03-06', '2024-03-09'].map((date) => [date, dayCell(date).dataset.band]))).toEqual({
      '2024-03-04': 'all',
      '2024-03-05': 'some',
      '2024-03-06': 'few',
      '2024-03-09': 'none',
    });
    expect(dayCell('2024-03-05')).toHaveClass('band-some');
    // The share in the cell too: the colour is never the only sign.
    expect(['.day-number', '.day-share'].map((part) => dayCell('2024-03-05').querySelector(part)!.textContent)).toEqual(['5', '80%']);
    expect(screen.getByRole('gridcell', { name: 'Tuesday 5 March 2024: 8 of 10 expected streams complete (80%), 1 partial, 1 missing; 429 readings: 400 actual, 29 estimated.' })).toBe(dayCell('2024-03-05'));
    expect(dayCell('2024-03-09')).toHaveAccessibleName('Saturday 9 March 2024: no stream expected.');
    expect(screen.getByText('Every expected stream arrived complete on 11 of 13 days with streams expected.')).toBeInTheDocument();
    // The colours explained in words.
    expect(within(screen.getByRole('list', { name: /Colours/ })).getAllByRole('listitem').map((item) => item.textContent?.trim())).toEqual([
      'Every stream complete',
      '90% or more',
      '50% to 90%',
      'Under 50%',
      'No stream expected',
    ]);
  });

  it('gives the counts of the day pointed at, and of the day focused: not on hover alone', async () => {
    render(<CompletenessCalendar summary={summary} />);
    const readout = screen.getByTestId('calendar-readout');
    expect(readout).toHaveTextContent('Point at a day');
    fireEvent.mouseEnter(dayCell('2024-03-06'));
    expect(readout).toHaveTextContent('Wednesday 6 March 2024: 4 of 10 expected streams complete (40%), 0 partial, 6 missing; 192 readings: 192 actual.');
    fireEvent.mouseLeave(dayCell('2024-03-06'));
    expect(readout).toHaveTextContent('Point at a day');
    // One tab stop, on the last day; the arrows move by day and by week.
    const user = userEvent.setup();
    await user.tab();
    expect(dayCell('2024-03-10')).toHaveFocus();
    expect(readout).toHaveTextContent('Sunday 10 March 2024: 10 of 10 expected streams complete (100%)');
    await user.keyboard('{ArrowUp}');
    expect(dayCell('2024-03-03')).toHaveFocus();
    await user.keyboard('{ArrowLeft}{ArrowLeft}{ArrowLeft}{ArrowLeft}');
    expect(dayCell('2024-02-28')).toHaveFocus();
    expect(readout).toHaveTextContent('Wednesday 28 February 2024');
    // Not past the range's ends; Home and End go to them.
    await user.keyboard('{ArrowUp}');
    expect(dayCell('2024-02-28')).toHaveFocus();
    await user.keyboard('{End}');
    expect(dayCell('2024-03-10')).toHaveFocus();
    await user.keyboard('{Home}');
    expect(dayCell('2024-02-26')).toHaveFocus();
    expect(screen.getAllByRole('gridcell').filter((cell) => cell.tabIndex === 0)).toEqual([dayCell('2024-02-26')]);
  });
});
