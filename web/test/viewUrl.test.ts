import { describe, expect, it } from 'vitest';
import { quickRange } from '../src/explorer/explorerModel';
import { viewHash, viewOfHash } from '../src/explorer/viewUrl';

describe('the explorer view in the URL', () => {
  const view = { nmi: 'NCDE001111', suffix: 'E1', from: '2003-11-06', to: '2003-12-05', granularity: 'interval' as const };

  it('round-trips', () => {
    expect(viewHash(view)).toBe('#/explorer?nmi=NCDE001111&channel=E1&from=2003-11-06&to=2003-12-05&by=interval');
    expect(viewOfHash(viewHash(view))).toEqual(view);
    expect(viewOfHash(viewHash({ ...view, granularity: 'month' }))).toEqual({ ...view, granularity: 'month' });
    // With a channel compared: kept; the channel itself or a malformed one: dropped.
    expect(viewOfHash(viewHash({ ...view, overlay: 'B1' }))).toEqual({ ...view, overlay: 'B1' });
    expect(viewOfHash(`${viewHash(view)}&with=E1`)).toEqual(view);
    expect(viewOfHash(`${viewHash(view)}&with=B%271`)).toEqual(view);
  });

  it('ignores what a link cannot mean, and fits a range too long for intervals', () => {
    expect(viewOfHash('#/explorer')).toBeNull();
    expect(viewOfHash('#/uploads?nmi=NCDE001111')).toBeNull();
    for (const bad of ['nmi=NC%27DE&channel=E1', 'nmi=NCDE001111&channel=E', 'by=week', 'from=2003-02-30', 'from=2003-12-06', 'to=2003-13-01']) {
      const params = new URLSearchParams(viewHash(view).split('?')[1]);
      for (const [key, value] of new URLSearchParams(bad)) params.set(key, value);
      expect(viewOfHash(`#/explorer?${params.toString()}`), bad).toBeNull();
    }
    expect(viewOfHash(viewHash({ ...view, from: '2003-10-01' }))).toEqual({ ...view, from: '2003-10-01', granularity: 'day' });
  });
});

describe('quick ranges', () => {
  const channel = { firstDate: '2003-11-10', lastDate: '2004-01-05' };
  it('end on the last day of data and stay within the data', () => {
    expect(quickRange('week', channel)).toEqual({ from: '2003-12-30', to: '2004-01-05' });
    expect(quickRange('days30', channel)).toEqual({ from: '2003-12-07', to: '2004-01-05' });
    expect(quickRange('thisMonth', channel)).toEqual({ from: '2004-01-01', to: '2004-01-05' });
    expect(quickRange('lastMonth', channel)).toEqual({ from: '2003-12-01', to: '2003-12-31' });
    expect(quickRange('all', channel)).toEqual({ from: '2003-11-10', to: '2004-01-05' });
    // Before the first day: clipped; nothing there: none.
    expect(quickRange('lastMonth', { firstDate: '2003-12-20', lastDate: '2004-01-05' })).toEqual({ from: '2003-12-20', to: '2003-12-31' });
    expect(quickRange('lastMonth', { firstDate: '2004-01-02', lastDate: '2004-01-05' })).toBeNull();
    expect(quickRange('all', { firstDate: null, lastDate: null })).toBeNull();
  });

  it('"All" is at most the 1,096 days a chart covers, ending on the last day', () => {
    expect(quickRange('all', { firstDate: '2000-01-01', lastDate: '2009-12-31' })).toEqual({ from: '2007-01-01', to: '2009-12-31' });
  });
});
