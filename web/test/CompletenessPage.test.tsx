import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { User } from 'firebase/auth';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { GapStatus, GapStream, RegisterSummary } from '../src/completeness/completenessModel';
import { gapStream, summaryOf } from './completeness.fixtures';
import { feed } from './uploadFeed.fixtures';
import { makeUpload } from './uploads.fixtures';

vi.mock('../src/uploads/useUploadList', () => import('./uploadFeed.fixtures'));

const { default: CompletenessPage } = await import('../src/completeness/CompletenessPage');

// jsdom has no object URLs: the CSV saved is seen at the link's click (its `download` name).
Object.assign(URL, { createObjectURL: () => 'blob:saved', revokeObjectURL: () => {} });

/** The completeness API over `streams`, as fetch sees it: pages of `limit` after the cursor; every request recorded. */
let streams: Record<GapStatus, GapStream[]>;
let register: RegisterSummary;
/** What PUT /register answers: the file's problems (422), or none (the register replaced). */
let registerProblems: { line: number; code: string; message: string }[];
let asked: { url: URL; init?: RequestInit }[];
const user = { getIdToken: async () => 'token' } as unknown as User;

function answer(url: URL, init?: RequestInit): Response {
  const from = url.searchParams.get('from') ?? '';
  const to = url.searchParams.get('to') ?? '';
  switch (`${init?.method ?? 'GET'} ${url.pathname}`) {
    case 'GET /api/completeness':
      return Response.json(summaryOf(from, to, {}, { registered: 1, streams: { missing: streams.missing.length, partial: streams.partial.length, estimated: streams.estimated.length } }));
    case 'GET /api/completeness/streams': {
      const status = url.searchParams.get('status') as GapStatus;
      const start = Number(url.searchParams.get('cursor') ?? 0);
      const limit = Number(url.searchParams.get('limit'));
      const list = streams[status];
      const next = start + limit < list.length ? String(start + limit) : null;
      return Response.json({ from, to, status, total: list.length, streams: list.slice(start, start + limit), nextCursor: next });
    }
    case 'GET /api/completeness/streams.csv':
      return new Response('nmi,suffix,missing_days\r\n', { headers: { 'Content-Type': 'text/csv' } });
    case 'GET /api/register':
      return Response.json(register);
    case 'PUT /api/register': {
      if (registerProblems.length > 0) return Response.json({ error: { code: 'REGISTER_INVALID', message: 'The register has problems', lines: registerProblems, lineCount: registerProblems.length } }, { status: 422 });
      register = { lines: 2, nmis: 2 };
      return Response.json(register);
    }
  }
  throw new Error(`unexpected ${init?.method ?? 'GET'} ${url.pathname}`);
}

beforeEach(() => {
  streams = { missing: [gapStream('NCDE001111', { missingDays: 3, missing: [{ from: '2024-03-05', to: '2024-03-07' }] })], partial: [], estimated: [] };
  register = { lines: 3, nmis: 2 };
  registerProblems = [];
  asked = [];
  feed.current = { ...feed.current, uploads: [] };
  window.history.replaceState(null, '', '#/completeness?from=2024-03-01&to=2024-03-28&status=missing');
  vi.stubGlobal('fetch', async (input: string, init?: RequestInit) => {
    const url = new URL(input, 'http://page.test');
    asked.push({ url, init });
    return answer(url, init);
  });
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
  vi.restoreAllMocks();
});

const requests = (path: string) => asked.filter(({ url }) => url.pathname === path).map(({ url }) => url);
const rows = () => screen.getAllByTestId('gap-stream');
const renderPage = (admin = true) => render(<CompletenessPage user={user} org="acme" admin={admin} />);

describe('the completeness view', () => {
  it('opens on the 28 NEM days ending yesterday, written in the URL', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    // 20:00 UTC on 10 March is 06:00 on 11 March in NEM time: yesterday is 10 March.
    vi.setSystemTime(new Date('2024-03-10T20:00:00Z'));
    window.history.replaceState(null, '', '#/completeness');
    renderPage();
    await screen.findByRole('grid', { name: 'March 2024' });
    expect(requests('/api/completeness').map((url) => url.search)).toEqual(['?from=2024-02-12&to=2024-03-10']);
    expect(window.location.hash).toBe('#/completeness?from=2024-02-12&to=2024-03-10&status=missing');
    expect(document.title).toBe('Completeness, 2024-02-12 to 2024-03-10 · NEM12 pipeline');
  });

  it('lists the streams with gaps, each opening the explorer on its NMI and the days shown', async () => {
    streams.missing.push(gapStream('NEVER00001', { suffix: null, missingDays: 2, missing: [{ from: '2024-03-27', to: '2024-03-28' }], lastReceived: null, lastUpload: null, estimatedShare: null }));
    renderPage();
    const table = await screen.findByRole('table', { name: 'Streams with missing days, most first' });
    expect(within(table).getAllByRole('columnheader').map((cell) => cell.textContent)).toEqual(['NMI', 'Suffix', 'Missing days', 'Empty intervals', 'Estimated', 'Last received', 'Last upload']);
    expect(rows().map((row) => [...row.children].map((cell) => cell.textContent))).toEqual([
      ['NCDE001111', 'E1', '32024-03-05 to 2024-03-07', '0', '0%', '2024-03-10', 'march.csv'],
      ['NEVER00001', 'all (never received)', '22024-03-27 to 2024-03-28', '0', '—', 'never', '—'],
    ]);
    expect(screen.getByRole('link', { name: 'NCDE001111 E1 in the explorer' })).toHaveAttribute('href', '#/explorer?nmi=NCDE001111&channel=E1&from=2024-03-01&to=2024-03-28&by=day');
    expect(within(rows()[1]).queryByRole('link')).not.toBeInTheDocument();
  });

  it('switches between missing, partial and estimated, with the counts of the summary', async () => {
    streams.partial = [gapStream('NPART00001', { missingDays: 0, missing: [], partialDays: 2, emptyIntervals: 7 }), gapStream('NPART00002', { missingDays: 0, missing: [], partialDays: 1, emptyIntervals: 1 })];
    const typist = userEvent.setup();
    renderPage();
    const group = await screen.findByRole('group', { name: 'Which streams' });
    await waitFor(() => expect(within(group).getAllByRole('button').map((button) => button.textContent)).toEqual(['Missing days (1)', 'Empty intervals (2)', 'Estimated (0)']));
    expect(within(group).getByRole('button', { pressed: true })).toHaveTextContent('Missing days');
    await typist.click(within(group).getByRole('button', { name: 'Empty intervals (2)' }));
    await screen.findByRole('table', { name: 'Streams with empty intervals, most first' });
    expect(rows().map((row) => row.querySelector('th')!.textContent)).toEqual(['NPART00001', 'NPART00002']);
    expect(within(rows()[0]).getAllByRole('cell')[2]).toHaveTextContent('7on 2 days');
    expect(requests('/api/completeness/streams').at(-1)!.searchParams.get('status')).toBe('partial');
    expect(window.location.hash).toBe('#/completeness?from=2024-03-01&to=2024-03-28&status=partial');
    // The summary is for the days, whatever the list: not asked for again.
    expect(requests('/api/completeness')).toHaveLength(1);
    await typist.click(within(group).getByRole('button', { name: 'Estimated (0)' }));
    expect(await screen.findByText('No stream with estimated or substituted readings over these days.')).toBeInTheDocument();
  });

  it('shows more streams with the cursor the API gave, until there are no more', async () => {
    streams.missing = Array.from({ length: 120 }, (_, i) => gapStream(`NMANY${String(i).padStart(5, '0')}`, { missingDays: 120 - i }));
    const typist = userEvent.setup();
    renderPage();
    await screen.findByRole('table', { name: /Streams with missing days/ });
    expect(rows()).toHaveLength(50);
    expect(screen.getByText('Showing 50 of 120 streams.')).toHaveAttribute('role', 'status');
    await typist.click(screen.getByRole('button', { name: 'Show more streams' }));
    await screen.findByText('Showing 100 of 120 streams.');
    await typist.click(screen.getByRole('button', { name: 'Show more streams' }));
    await screen.findByText('Showing 120 of 120 streams.');
    expect(requests('/api/completeness/streams').map((url) => url.searchParams.get('cursor'))).toEqual([null, '50', '100']);
    expect(rows().map((row) => row.querySelector('th')!.textContent)).toEqual(streams.missing.map((stream) => stream.nmi));
    expect(screen.queryByRole('button', { name: 'Show more streams' })).not.toBeInTheDocument();
  });

  it('downloads the list as CSV through the API, with the token, under the name the API gives it', async () => {
    const saved: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      saved.push(this.download);
    });
    renderPage();
    await screen.findByRole('table', { name: /Streams with missing days/ });
    await userEvent.click(screen.getByRole('button', { name: 'Download this list (CSV)' }));
    await waitFor(() => expect(saved).toEqual(['missing-streams-2024-03-01-to-2024-03-28.csv']));
    const csv = asked.find(({ url }) => url.pathname === '/api/completeness/streams.csv')!;
    expect(csv.url.search).toBe('?from=2024-03-01&to=2024-03-28&status=missing');
    expect(new Headers(csv.init?.headers).get('Authorization')).toBe('Bearer token');
  });

  it('asks again for a range once it is one, and never for impossible days', async () => {
    const typist = userEvent.setup();
    renderPage();
    await screen.findByRole('grid', { name: 'March 2024' });
    const from = screen.getByLabelText('From (NEM day)');
    await typist.clear(from);
    await typist.type(from, '2023-02-30');
    expect(from).toHaveAccessibleDescription('2023-02-30 is not a day: February 2023 has 28 days.');
    await typist.clear(from);
    await typist.type(from, '2023-03-01');
    expect(screen.getByRole('alert')).toHaveTextContent('The report covers at most 366 days; this range has 394.');
    await typist.clear(from);
    await typist.type(from, '15/02/2024');
    await screen.findByRole('grid', { name: 'February 2024' });
    expect(window.location.hash).toBe('#/completeness?from=2024-02-15&to=2024-03-28&status=missing');
    expect(requests('/api/completeness').map((url) => url.searchParams.get('from'))).toEqual(['2024-03-01', '2024-02-15']);
    for (const url of asked.map((request) => request.url)) if (url.searchParams.has('from')) expect(url.searchParams.get('from')).toMatch(/^2024-0[23]-(01|15)$/);
  });

  it('asks again for the report when an upload of the organisation is done', async () => {
    feed.set([makeUpload({ id: 'u1', status: 'loading' })]);
    renderPage();
    await screen.findByRole('table', { name: /Streams with missing days/ });
    expect(requests('/api/completeness')).toHaveLength(1);
    streams.missing = [];
    act(() => feed.set([makeUpload({ id: 'u1', status: 'done' })]));
    await screen.findByText('No stream with missing days over these days.');
    expect(requests('/api/completeness')).toHaveLength(2);
    expect(requests('/api/completeness/streams')).toHaveLength(2);
  });
});

describe('the register', () => {
  it('shows an admin the problems of a refused file line by line, then replaces it with a good one', async () => {
    registerProblems = [
      { line: 2, code: 'INVALID_NMI', message: 'NMI "CMPTEST01" is not 10 capital letters and digits.' },
      { line: 3, code: 'REPEATED_SUFFIX', message: 'Suffix E1 is listed twice.' },
    ];
    const typist = userEvent.setup();
    renderPage(true);
    expect(await screen.findByTestId('register-size')).toHaveTextContent('The register has 3 lines naming 2 NMIs; 1 in force over these days.');
    const text = 'nmi,suffixes,from,to\nCMPTEST01,,\nCMPTEST001,E1 E1\n';
    await typist.upload(screen.getByLabelText('Register file (CSV)'), new File([text], 'register.csv', { type: 'text/csv' }));
    await typist.click(screen.getByRole('button', { name: 'Replace the register' }));
    const alert = await screen.findByRole('alert');
    expect(within(alert).getByText('The register was not replaced (2 problems): nothing was changed.')).toBeInTheDocument();
    expect(within(within(alert).getByRole('list', { name: 'Problems by line' })).getAllByRole('listitem').map((item) => item.textContent)).toEqual([
      'Line 2: NMI "CMPTEST01" is not 10 capital letters and digits. INVALID_NMI',
      'Line 3: Suffix E1 is listed twice. REPEATED_SUFFIX',
    ]);
    // The file's own text was sent, whole.
    const put = asked.find(({ init }) => init?.method === 'PUT')!;
    expect(JSON.parse(put.init!.body as string)).toEqual({ csv: text });
    expect(requests('/api/completeness')).toHaveLength(1);

    registerProblems = [];
    await typist.upload(screen.getByLabelText('Register file (CSV)'), new File(['NCDE001111,,2024-01-01,\nNDDD001888,E1,,\n'], 'fixed.csv'));
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    await typist.click(screen.getByRole('button', { name: 'Replace the register' }));
    expect(await screen.findByText('The register was replaced: 2 lines naming 2 NMIs.')).toHaveAttribute('role', 'status');
    // The register says which streams are expected: the report is asked for again, and its size.
    await waitFor(() => expect(screen.getByTestId('register-size')).toHaveTextContent('The register has 2 lines naming 2 NMIs'));
    expect(requests('/api/completeness')).toHaveLength(2);
  });

  it('asks for a file before sending anything', async () => {
    const typist = userEvent.setup();
    renderPage(true);
    await screen.findByTestId('register-size');
    await typist.click(screen.getByRole('button', { name: 'Replace the register' }));
    expect(screen.getByRole('alert')).toHaveTextContent('Choose the register file first.');
    expect(asked.some(({ init }) => init?.method === 'PUT')).toBe(false);
  });

  it('shows a member its size only: no way to change it', async () => {
    renderPage(false);
    expect(await screen.findByTestId('register-size')).toHaveTextContent('The register has 3 lines naming 2 NMIs; 1 in force over these days.');
    expect(screen.getByText(/Only an admin of your organisation can change it/)).toBeInTheDocument();
    expect(screen.queryByLabelText('Register file (CSV)')).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Replace the register' })).not.toBeInTheDocument();
  });
});
