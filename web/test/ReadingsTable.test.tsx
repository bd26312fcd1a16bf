import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ReadingsTable } from '../src/explorer/ReadingsTable';
import { readings } from './explorer.fixtures';

const shownRows = () => screen.getAllByRole('row').filter((row) => row.hasAttribute('data-quality'));

describe('the readings table', () => {
  it('keeps only the rows in view in the page, however many there are', () => {
    render(<ReadingsTable rows={readings(5000)} uom="Wh" hasMore={false} loadingMore={false} error={null} onLoadMore={() => {}} />);
    expect(screen.getByRole('table', { name: 'Readings' })).toHaveAttribute('aria-rowcount', '5001');
    expect(shownRows().length).toBeGreaterThan(5);
    expect(shownRows().length).toBeLessThan(60);
    expect(shownRows()[0]).toHaveTextContent('2003-12-04 00:00');
    expect(screen.getByText('5,000 readings')).toBeInTheDocument();
  });

  it('shows each reading with its quality flag, method and unit, and what the codes mean', () => {
    render(<ReadingsTable rows={readings(3)} uom="Wh" hasMore={false} loadingMore={false} error={null} onLoadMore={() => {}} />);
    // A value in Wh and its kWh beside it; numbers right-aligned under right-aligned headers.
    expect(screen.getAllByRole('columnheader').map((cell) => cell.textContent)).toEqual(['Interval end (NEM)', 'Wh', 'kWh', 'Quality', 'Method', 'Reason', 'Updated']);
    expect(screen.getByRole('columnheader', { name: 'Wh' })).toHaveClass('number');
    const [first, second] = shownRows();
    expect(first).toHaveAttribute('data-quality', 'S');
    expect(screen.getAllByTitle('Substitute')).toHaveLength(1);
    expect(screen.getByTitle('Method 14: Like day')).toHaveTextContent('14');
    expect(second).toHaveTextContent('0.001');
  });

  it('has one value column when the stream is in kWh', () => {
    const rows = readings(3).map((reading) => ({ ...reading, kwh: reading.value, method: 99, reasonCode: 43 }));
    render(<ReadingsTable rows={rows} uom="kWh" hasMore={false} loadingMore={false} error={null} onLoadMore={() => {}} />);
    expect(screen.getAllByRole('columnheader').map((cell) => cell.textContent)).toEqual(['Interval end (NEM)', 'kWh', 'Quality', 'Method', 'Reason', 'Updated']);
    expect(screen.getAllByTitle('Reason 43: Power outage')).toHaveLength(3);
    expect(screen.getAllByTitle('Method 99: not a method the NEM12 specification defines')).toHaveLength(3);
  });

  it('asks for the next page as the end comes into view, once', () => {
    const onLoadMore = vi.fn();
    const { rerender } = render(<ReadingsTable rows={readings(500)} uom="Wh" hasMore loadingMore={false} error={null} onLoadMore={onLoadMore} />);
    expect(onLoadMore).not.toHaveBeenCalled();
    const scroller = screen.getByLabelText('Readings, scrollable');
    scroller.scrollTop = 480 * 32;
    fireEvent.scroll(scroller);
    expect(onLoadMore).toHaveBeenCalledOnce();
    expect(shownRows().at(-1)).toHaveTextContent(/^2003-12-04/);
    rerender(<ReadingsTable rows={readings(500)} uom="Wh" hasMore loadingMore error={null} onLoadMore={onLoadMore} />);
    expect(screen.getByText('500 readings, loading more…')).toBeInTheDocument();
    expect(onLoadMore).toHaveBeenCalledOnce();
  });

  it('offers to try again when a page failed', () => {
    const onLoadMore = vi.fn();
    render(<ReadingsTable rows={readings(10)} uom="Wh" hasMore loadingMore={false} error="The readings service cannot be reached" onLoadMore={onLoadMore} />);
    // No automatic retry loop: the user asks.
    expect(onLoadMore).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(onLoadMore).toHaveBeenCalledOnce();
  });
});
