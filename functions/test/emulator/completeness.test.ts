import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEADER, nem12 } from '../unit/helpers';
import { API, callApi, db, finalStatus, member, upload, type Member } from './harness';

// The completeness report through the deployed shape: files uploaded to the bucket and published by
// the pipeline (staged, then merged for a revision), the API on the functions emulator with real ID
// tokens. The expected figures are written out from the files below.

const STEADY = 'CMPTEST001';
const STOPS = 'CMPTEST002';
const GAPPY = 'CMPTEST003';
const NEVER = 'CMPTEST009';
const RANGE = 'from=2024-03-01&to=2024-03-10';
const march = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `202403${String(from + i).padStart(2, '0')}`);

function file(streams: { nmi: string; days: string[]; empty?: string[]; estimated?: string[] }[], updated: string): Buffer {
  const lines = [HEADER];
  for (const stream of streams) {
    lines.push(`200,${stream.nmi},E1,1,E1,N1,M1,kWh,30,`);
    for (const date of stream.days) {
      const values = Array.from({ length: 48 }, (_, i) => (i < 3 && stream.empty?.includes(date) ? '' : '0.250'));
      lines.push(`300,${date},${values.join(',')},${stream.estimated?.includes(date) ? 'E52' : 'A'},,,${updated},`);
    }
  }
  lines.push('900');
  return Buffer.from(nem12(lines));
}

let alice: Member;
let carol: Member;
let bob: Member;

async function send(bytes: Buffer, path: string) {
  const uploaded = await upload(bytes, path);
  expect((await finalStatus(uploaded.statusId)).status).toBe('done');
}

beforeAll(async () => {
  [alice, carol, bob] = await Promise.all([member('cmp-a', 'alice'), member('cmp-a', 'carol', 'member'), member('cmp-b', 'bob')]);
  // Alice: one stream every day, one that stops after the 5th, one with a gap on the 4th (filled by
  // a revision) and on the 7th, an empty interval on the 8th and an estimated 9th.
  await send(
    file(
      [
        { nmi: STEADY, days: march(1, 10) },
        { nmi: STOPS, days: march(1, 5) },
        { nmi: GAPPY, days: [...march(1, 3), ...march(5, 6), ...march(8, 10)], empty: ['20240308'], estimated: ['20240309'] },
      ],
      '20240311120000',
    ),
    `uploads/cmp-a/${alice.uid}/march.csv`,
  );
  await send(file([{ nmi: GAPPY, days: ['20240304'] }], '20240312120000'), `uploads/cmp-a/${alice.uid}/revision.csv`);
  // Bob holds Alice's stopping NMI, every day: nothing of it may show in Alice's report.
  await send(file([{ nmi: STOPS, days: march(1, 10) }], '20240311120000'), `uploads/cmp-b/${bob.uid}/bob.csv`);
});
afterAll(() => db.end());

describe('GET /completeness and /completeness/streams', () => {
  it("gives each day's expected, received, partial and missing streams and readings by quality, from the published uploads", async () => {
    const answer = await callApi(`/completeness?${RANGE}`, alice);
    expect(answer.status).toBe(200);
    const byDay = Object.fromEntries(answer.body.days.map((d: { day: string }) => [d.day, d]));
    expect(byDay['2024-03-04']).toMatchObject({ expected: 3, received: 3, complete: 3, partial: 0, missing: 0, readings: 144, actual: 144 });
    expect(byDay['2024-03-06']).toMatchObject({ expected: 3, received: 2, missing: 1 });
    expect(byDay['2024-03-07']).toMatchObject({ expected: 3, received: 1, missing: 2 });
    expect(byDay['2024-03-08']).toMatchObject({ expected: 3, received: 2, complete: 1, partial: 1, missing: 1, readings: 93 });
    expect(byDay['2024-03-09']).toMatchObject({ expected: 3, received: 2, missing: 1, readings: 96, actual: 48, estimated: 48 });
    expect(answer.body.streams).toEqual({ missing: 2, partial: 1, estimated: 1 });
  });

  it('lists the streams with missing days worst first, with their runs, last day received and last upload', async () => {
    const answer = await callApi(`/completeness/streams?${RANGE}&status=missing`, alice);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ total: 2, nextCursor: null });
    expect(answer.body.streams).toEqual([
      expect.objectContaining({ nmi: STOPS, suffix: 'E1', missingDays: 5, missing: [{ from: '2024-03-06', to: '2024-03-10' }], lastReceived: '2024-03-05', lastUpload: expect.objectContaining({ fileName: 'march.csv' }) }),
      expect.objectContaining({ nmi: GAPPY, suffix: 'E1', missingDays: 1, missing: [{ from: '2024-03-07', to: '2024-03-07' }], lastUpload: expect.objectContaining({ fileName: 'revision.csv' }) }),
    ]);
    const partial = await callApi(`/completeness/streams?${RANGE}&status=partial`, alice);
    expect(partial.body.streams).toEqual([expect.objectContaining({ nmi: GAPPY, partialDays: 1, emptyIntervals: 3 })]);
  });

  it('pages with the cursor it gives, and serves the CSV of the same list', async () => {
    const first = await callApi(`/completeness/streams?${RANGE}&limit=1`, alice);
    expect(first.body.streams.map((s: { nmi: string }) => s.nmi)).toEqual([STOPS]);
    const second = await callApi(`/completeness/streams?${RANGE}&limit=1&cursor=${first.body.nextCursor}`, alice);
    expect(second.body).toMatchObject({ streams: [expect.objectContaining({ nmi: GAPPY })], nextCursor: null });
    const csv = await callApiText(`/completeness/streams.csv?${RANGE}&status=missing`, alice);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.text.trim().split('\r\n').map((line) => line.split(',').slice(0, 4))).toEqual([
      ['nmi', 'suffix', 'missing_days', 'missing'],
      [STOPS, 'E1', '5', '2024-03-06..2024-03-10'],
      [GAPPY, 'E1', '1', '2024-03-07'],
    ]);
  });

  it("never shows another organisation's streams, and a parameter out of range is refused", async () => {
    const theirs = await callApi(`/completeness/streams?${RANGE}`, bob);
    expect(theirs.body.streams).toEqual([]);
    const days = (await callApi(`/completeness?${RANGE}`, bob)).body.days;
    expect(days.every((d: { received: number; missing: number }) => d.received === 1 && d.missing === 0)).toBe(true);
    expect((await callApi('/completeness?from=2024-03-01&to=2025-03-10', alice)).body.error).toMatchObject({ code: 'INVALID_PARAMETER', parameter: 'to' });
    expect((await callApi('/completeness?from=2024-02-30&to=2024-03-10', alice)).body.error).toMatchObject({ code: 'INVALID_PARAMETER', parameter: 'from' });
    expect((await callApi(`/completeness?${RANGE}`, null)).status).toBe(401);
  });
});

describe('the register', () => {
  it('is changed by admins only, taken whole or refused with every line, and its NMIs are expected', async () => {
    const good = `nmi,suffixes,from,to\n${NEVER},,2024-03-08,\n`;
    expect((await callApi('/register', carol, { method: 'PUT', body: { csv: good } })).body.error.code).toBe('ADMIN_ONLY');
    const refused = await callApi('/register', alice, { method: 'PUT', body: { csv: `${NEVER},,2024-03-08,\nCMPTEST01,,\n${STEADY},E1 E1\n` } });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'REGISTER_INVALID', lineCount: 2, lines: [expect.objectContaining({ line: 2, code: 'INVALID_NMI' }), expect.objectContaining({ line: 3, code: 'REPEATED_SUFFIX' })] });
    expect((await callApi('/register', carol)).body).toEqual({ lines: 0, nmis: 0 });

    expect(await callApi('/register', alice, { method: 'PUT', body: { csv: good } })).toMatchObject({ status: 200, body: { lines: 1, nmis: 1 } });
    expect((await callApi('/register', carol)).body).toEqual({ lines: 1, nmis: 1 });
    expect((await callApi('/register', bob)).body).toEqual({ lines: 0, nmis: 0 });
    const listed = await callApi(`/completeness/streams?${RANGE}`, carol);
    expect(listed.body.streams.map((s: { nmi: string; suffix: string | null; missingDays: number }) => [s.nmi, s.suffix, s.missingDays])).toEqual([
      [STOPS, 'E1', 5],
      [NEVER, null, 3],
      [GAPPY, 'E1', 1],
    ]);
    expect((await callApi(`/completeness/streams?${RANGE}`, bob)).body.streams).toEqual([]);
  });
});

async function callApiText(path: string, who: Member) {
  const response = await fetch(`${API}${path}`, { headers: { Authorization: `Bearer ${who.token}` } });
  return { status: response.status, headers: response.headers, text: await response.text() };
}
