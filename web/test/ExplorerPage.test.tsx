import { act, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { User } from 'firebase/auth';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { NmiListing } from '../src/explorer/explorerModel';
import type { Upload } from '../src/uploads/model';
import { listing, readings, stats } from './explorer.fixtures';
import { feed } from './uploadFeed.fixtures';
import { makeUpload } from './uploads.fixtures';

vi.mock('../src/uploads/useUploadList', () => import('./uploadFeed.fixtures'));

const { default: ExplorerPage } = await import('../src/explorer/ExplorerPage');

/** The readings API over `nmis`, as fetch sees it; every URL asked for recorded. */
let nmis: NmiListing['nmis'] = [];
let asked: URL[] = [];
const user = { getIdToken: async () => 'token' } as unknown as User;

function answer(url: URL): unknown {
  const search = (url.searchParams.get('search') ?? '').toLowerCase();
  switch (url.pathname) {
    case '/api/nmis': {
      const found = nmis.filter((entry) => entry.nmi.toLowerCase().includes(search)).slice(0, Number(url.searchParams.get('limit') ?? 200));
      return { nmis: found, nextCursor: null, recent: [] };
    }
    case '/api/overview':
      return { filesLoaded: nmis.length === 0 ? 0 : 1, readings: 0, nmis: nmis.length, latestDay: null, inFlight: 0, failedLast7Days: 0 };
    case '/api/stats':
      return stats;
    case '/api/readings':
      return { nmi: 'NCDE001111', suffix: 'E1', uom: 'Wh', intervalLength: 15, readings: readings(3), nextCursor: null };
  }
  throw new Error(`unexpected ${url.pathname}`);
}

beforeEach(() => {
  nmis = [];
  asked = [];
  feed.current = { ...feed.current, uploads: [] };
  window.history.replaceState(null, '', '#/explorer');
  vi.stubGlobal('fetch', async (input: string) => {
    const url = new URL(input, 'http://page.test');
    asked.push(url);
    return new Response(JSON.stringify(answer(url)), { status: 200 });
  });
});
afterEach(() => vi.unstubAllGlobals());

const count = (path: string) => asked.filter((url) => url.pathname === path).length;
/** A done upload's summary: its days, and its channels (the first ones only when channelCount is larger). */
const summary = (nmi: string, firstDate: string, lastDate: string, channelCount = 1): Upload['summary'] => ({
  readings: 96,
  quality: {},
  firstDate,
  lastDate,
  channelCount,
  channels: [{ nmi, suffix: 'E1', uom: 'Wh', intervalLength: 15, days: 1, readings: 96, total: '1000', totalKwh: '1', missingDays: [], missingDayCount: 0, emptyIntervals: 0, firstDate, lastDate, quality: {} }],
  missingDays: 0,
  emptyIntervals: 0,
});

describe('the explorer page', () => {
  it('shows the NMIs of an upload once it is done, without a reload', async () => {
    feed.set([makeUpload({ id: 'u1', status: 'loading' })]);
    render(<ExplorerPage user={user} org="acme" />);
    await screen.findByText('No readings to explore yet');
    const overviews = count('/api/overview');
    // The upload is published: the API has its NMIs, and its status document says done.
    nmis = listing.nmis;
    act(() => feed.set([makeUpload({ id: 'u1', status: 'done', summary: summary('NCDE001111', '2003-11-01', '2003-12-05') })]));
    expect(await screen.findByRole('combobox', { name: 'NMI' })).toHaveValue('NCDE001111');
    await screen.findByTestId('stats-total');
    expect(screen.queryByText('No readings to explore yet')).not.toBeInTheDocument();
    expect(count('/api/overview')).toBeGreaterThan(overviews);
    expect(window.location.hash).toBe('#/explorer?nmi=NCDE001111&channel=E1&from=2003-11-06&to=2003-12-05&by=day');
  });

  it('asks again for the view only when an upload reaching done may have changed it', async () => {
    nmis = listing.nmis;
    // Already done when the page opens: nothing to refresh for it.
    feed.set([makeUpload({ id: 'old', status: 'done', summary: summary('NCDE001111', '2003-11-01', '2003-12-05') })]);
    render(<ExplorerPage user={user} org="acme" />);
    await screen.findByTestId('stats-total');
    await waitFor(() => expect(count('/api/readings')).toBe(1));
    const settled = { nmis: count('/api/nmis'), stats: count('/api/stats') };
    expect(settled.stats).toBe(1);
    const done = (id: string, nmi: string, from: string, to: string, channelCount?: number) =>
      makeUpload({ id, status: 'done', summary: summary(nmi, from, to, channelCount) });

    // Another NMI's days: the NMIs are asked for again, the view's figures are not.
    act(() => feed.set([done('u2', 'NDDD001888', '2003-12-04', '2003-12-05'), ...feed.current.uploads]));
    await waitFor(() => expect(count('/api/nmis')).toBeGreaterThan(settled.nmis));
    // The view's NMI, but days after the view's: its figures stay.
    act(() => feed.set([done('u3', 'NCDE001111', '2003-12-06', '2003-12-07'), ...feed.current.uploads]));
    await act(() => new Promise((resolve) => setTimeout(resolve, 50)));
    expect(count('/api/stats')).toBe(1);
    expect(count('/api/readings')).toBe(1);
    // A file too wide for its status to list every channel (cut at its first ones), over the view's days: it may hold the NMI.
    act(() => feed.set([done('u4', 'NZZZ000001', '2003-12-01', '2003-12-01', 5000), ...feed.current.uploads]));
    await waitFor(() => expect(count('/api/stats')).toBe(2));
    await waitFor(() => expect(count('/api/readings')).toBe(2));
    // A status that moves to something else than done changes nothing.
    act(() => feed.set([makeUpload({ id: 'u5', status: 'loading' }), ...feed.current.uploads]));
    await act(() => new Promise((resolve) => setTimeout(resolve, 50)));
    expect(count('/api/stats')).toBe(2);
  });

  it('never sends an impossible day to the URL or the API', async () => {
    nmis = listing.nmis;
    const typist = userEvent.setup();
    render(<ExplorerPage user={user} org="acme" />);
    await screen.findByTestId('stats-total');
    const from = screen.getByLabelText('From (NEM day)');
    for (const impossible of ['2003-02-30', '2003-13-01']) {
      await typist.clear(from);
      await typist.type(from, impossible);
      expect(from).toHaveAttribute('aria-invalid', 'true');
    }
    await typist.clear(from);
    await typist.type(from, '01/12/2003');
    await waitFor(() => expect(window.location.hash).toContain('from=2003-12-01'));
    await waitFor(() => expect(asked.some((url) => url.pathname === '/api/stats' && url.searchParams.get('from') === '2003-12-01')).toBe(true));
    // Every day sent was a real one in ISO form.
    for (const url of asked) for (const key of ['from', 'to']) if (url.searchParams.has(key)) expect(url.searchParams.get(key)).toMatch(/^2003-1[12]-(0[1-9]|[12]\d|30)$/);
  });

  it("keeps the selected NMI's channels when a search leaves it out", async () => {
    nmis = listing.nmis;
    const typist = userEvent.setup();
    render(<ExplorerPage user={user} org="acme" />);
    await screen.findByTestId('stats-total');
    await typist.click(screen.getByRole('combobox', { name: 'NMI' }));
    await typist.keyboard('NDDD');
    await screen.findByText('1 NMI containing “NDDD”.');
    expect(screen.getByLabelText('Channel')).toHaveDisplayValue('E1 · Wh · 15 min');
    expect(screen.getByRole('group', { name: 'Quick ranges' })).toBeInTheDocument();
    expect(screen.getByText(/NCDE001111 E1 has readings from 2003-11-01 to 2003-12-05/)).toBeInTheDocument();
  });
});
