import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import { formatCount, qualityFlagName } from '../uploads/format';
import { nemClock, type Reading } from './explorerModel';
import { methodMeaning, reasonMeaning } from './nem12Codes';

export interface ReadingsTableProps {
  rows: readonly Reading[];
  uom: string | null;
  hasMore: boolean;
  loadingMore: boolean;
  error: string | null;
  onLoadMore(): void;
}

const ROW_HEIGHT = 32;
/** Ask for the next page this many rows before the end is reached. */
const PREFETCH_ROWS = 50;

/**
 * The readings of the range with their quality, virtualised: only the rows in view are in the
 * page, however many there are; the next page loads as the end comes into view.
 */
export function ReadingsTable({ rows, uom, hasMore, loadingMore, error, onLoadMore }: ReadingsTableProps) {
  const scroller = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is read in this render only
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
    // Before the scroller is measured (and in tests): a window's worth of rows.
    initialRect: { width: 800, height: 12 * ROW_HEIGHT },
  });
  const items = virtualizer.getVirtualItems();
  // One value column in the stream's unit; a kWh column beside it only when that unit is not kWh.
  const showKwh = (uom ?? '').toLowerCase() !== 'kwh' && rows.some((reading) => reading.kwh !== null);
  const columns = `10.5rem 7.5rem ${showKwh ? '7.5rem ' : ''}4.5rem 4.5rem 4.5rem minmax(10.5rem, 1fr)`;
  const lastShown = items.at(-1)?.index ?? -1;
  useEffect(() => {
    if (hasMore && !loadingMore && error === null && lastShown >= rows.length - PREFETCH_ROWS) onLoadMore();
  }, [hasMore, loadingMore, error, lastShown, rows.length, onLoadMore]);

  return (
    <div className="readings-table" data-testid="readings-table">
      <div role="table" aria-label="Readings" aria-rowcount={rows.length + 1}>
        <div role="rowgroup">
          <div className="readings-row readings-head" role="row" aria-rowindex={1} style={{ gridTemplateColumns: columns }}>
            <span role="columnheader">Interval end (NEM)</span>
            <span role="columnheader" className="number">
              {uom ? uom : 'Value'}
            </span>
            {showKwh && (
              <span role="columnheader" className="number col-kwh">
                kWh
              </span>
            )}
            <span role="columnheader">Quality</span>
            <span role="columnheader" className="number">
              Method
            </span>
            <span role="columnheader" className="number">
              Reason
            </span>
            <span role="columnheader" className="col-updated">
              Updated
            </span>
          </div>
        </div>
        {/* The scrolling body is the table's second row group (a focusable one, so keyboards can scroll it). */}
        <div className="readings-scroll" ref={scroller} tabIndex={0} role="rowgroup" aria-label="Readings, scrollable">
          <div role="presentation" style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {items.map((item) => {
              const reading = rows[item.index];
              return (
                <div
                  key={item.key}
                  className="readings-row"
                  role="row"
                  aria-rowindex={item.index + 2}
                  data-quality={reading.quality}
                  style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${item.start}px)`, gridTemplateColumns: columns }}
                >
                  <span role="cell">{nemClock(reading.intervalEnd)}</span>
                  <span role="cell" className="number">
                    {reading.value}
                  </span>
                  {showKwh && (
                    <span role="cell" className="number col-kwh">
                      {reading.kwh ?? '—'}
                    </span>
                  )}
                  <span role="cell">
                    <abbr title={qualityFlagName(reading.quality)} className={`flag flag-${reading.quality}`}>
                      {reading.quality}
                    </abbr>
                  </span>
                  <span role="cell" className="number">
                    {reading.method === null ? '—' : <abbr title={methodMeaning(reading.method)}>{reading.method}</abbr>}
                  </span>
                  <span role="cell" className="number">
                    {reading.reasonCode === null ? '—' : <abbr title={reasonMeaning(reading.reasonCode)}>{reading.reasonCode}</abbr>}
                  </span>
                  <span role="cell" className="col-updated">
                    {reading.updatedAt ? nemClock(reading.updatedAt) : '—'}
                  </span>
                </div>
              );
            })}
          </div>
        </div>
      </div>
      <p className="hint readings-foot" aria-live="polite">
        {error !== null ? (
          <span className="field-problem">
            More readings could not be loaded: {error}{' '}
            <button type="button" className="link" onClick={onLoadMore}>
              Try again
            </button>
          </span>
        ) : (
          `${formatCount(rows.length)} readings${hasMore ? (loadingMore ? ', loading more…' : ', more as you scroll') : ''}`
        )}
      </p>
    </div>
  );
}
