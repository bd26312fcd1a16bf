import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audit, fitsWidth, launchChromium, openUpload, PAGE, signUpIn } from './browserHelpers';

// The completeness view in a real Chromium against the whole pipeline: a file with known gaps over
// the days the view opens on (the 28 NEM days ending yesterday), uploaded through the page.
// Worked out here, not with the page's own date helpers: NEM time is UTC+10 all year.
const DAY_MS = 86_400_000;
const TODAY = new Date(Date.now() + 10 * 3_600_000).toISOString().slice(0, 10);
/** The NEM day `back` days before yesterday. */
const day = (back: number) => new Date(Date.parse(`${TODAY}T00:00:00Z`) - (back + 1) * DAY_MS).toISOString().slice(0, 10);
const YESTERDAY = day(0);
const STEADY = 'CMPWEB0001';
/** Missing 10, 9 and 8 days before yesterday. */
const GAPPY = 'CMPWEB0002';
/** Empty intervals 5 days before yesterday, estimated 3 days before. */
const PATCHY = 'CMPWEB0003';
/** Named by the register, never received. */
const NEVER = 'CMPWEB0009';

/** 40 days of each stream up to yesterday, less GAPPY's gap: a NEM12 file of 30-minute kWh intervals. */
function gappyFile(): Buffer {
  const lines = ['100,NEM12,202401010000,MDA1,Ret1'];
  for (const nmi of [STEADY, GAPPY, PATCHY]) {
    lines.push(`200,${nmi},E1,1,E1,N1,M1,kWh,30,`);
    for (let back = 39; back >= 0; back--) {
      if (nmi === GAPPY && back >= 8 && back <= 10) continue;
      const values = Array.from({ length: 48 }, (_, i) => (nmi === PATCHY && back === 5 && i < 2 ? '' : '0.250'));
      const quality = nmi === PATCHY && back === 3 ? 'E52' : 'A';
      lines.push(`300,${day(back).replaceAll('-', '')},${values.join(',')},${quality},,,20240101000000,`);
    }
  }
  lines.push('900');
  return Buffer.from(`${lines.join('\r\n')}\r\n`);
}

let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1200, height: 1000 } })).newPage();
  page.on('pageerror', (error) => console.error('page error:', error.message));
});
afterAll(() => browser?.close());

describe.sequential('the completeness view', () => {
  it('shows the days and streams of an upload with gaps, over the 28 days ending yesterday', async () => {
    await signUpIn(page, `completeness-${Date.now()}@example.com`);
    await page.getByTestId('file-input').setInputFiles({ name: 'gappy.csv', mimeType: 'text/csv', buffer: gappyFile() });
    await openUpload(page, 'gappy.csv', 'done');
    await page.getByRole('link', { name: 'Completeness' }).click();
    await page.getByRole('grid').first().waitFor({ timeout: 30_000 });
    expect(await page.getByLabel('From (NEM day)').inputValue()).toBe(day(27));
    expect(await page.getByLabel('To (NEM day)').inputValue()).toBe(YESTERDAY);
    expect(page.url()).toBe(`${PAGE}#/completeness?from=${day(27)}&to=${YESTERDAY}&status=missing`);

    // The calendar: a day of the gap, one with empty intervals, a whole one; in words on each day.
    const cell = (back: number) => page.locator(`[data-day="${day(back)}"]`);
    /** What a screen reader says of a day: its accessible name, found by role. */
    const said = async (back: number) => {
      const name = (await cell(back).locator('.visually-hidden').textContent())!;
      expect(await page.getByRole('gridcell', { name, exact: true }).getAttribute('data-day')).toBe(day(back));
      return name;
    };
    expect(await said(9)).toMatch(/: 2 of 3 expected streams complete \(66%\), 0 partial, 1 missing; 96 readings: 96 actual\.$/);
    expect(await cell(9).getAttribute('data-band')).toBe('some');
    expect(await said(5)).toMatch(/: 2 of 3 expected streams complete \(66%\), 1 partial, 0 missing; 142 readings: 142 actual\.$/);
    expect(await said(3)).toMatch(/: 3 of 3 expected streams complete \(100%\), 0 partial, 0 missing; 144 readings: 96 actual, 48 estimated\.$/);
    expect(await cell(0).getAttribute('data-band')).toBe('all');
    // The counts of the day pointed at, and of the day reached by keyboard.
    await cell(9).hover();
    expect(await page.getByTestId('calendar-readout').textContent()).toBe(await said(9));
    await page.mouse.move(0, 0);
    await cell(0).focus();
    await page.keyboard.press('ArrowLeft');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-day'))).toBe(day(1));
    expect(await page.getByTestId('calendar-readout').textContent()).toBe(await said(1));

    // The streams: the one with the gap, its three days in one run.
    const statuses = page.getByRole('group', { name: 'Which streams' }).getByRole('button');
    expect(await statuses.allTextContents()).toEqual(['Missing days (1)', 'Empty intervals (1)', 'Estimated (1)']);
    const rows = page.getByTestId('gap-stream');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(1);
    const cells = await rows.first().locator('th, td').allTextContents();
    expect(cells.slice(0, 3)).toEqual([GAPPY, 'E1', `3${day(10)} to ${day(8)}`]);
    expect(cells.slice(5)).toEqual([YESTERDAY, 'gappy.csv']);
    await page.getByRole('button', { name: 'Empty intervals (1)' }).click();
    await page.waitForFunction(() => window.location.hash.endsWith('status=partial'));
    await page.getByRole('table', { name: /empty intervals/ }).waitFor();
    expect(await rows.first().locator('th').textContent()).toBe(PATCHY);
    expect(await rows.first().locator('td').nth(2).textContent()).toBe('2on 1 day');
    await page.getByRole('button', { name: 'Missing days (1)' }).click();
    await page.getByRole('table', { name: /missing days/ }).waitFor();
    await audit(page, 'web-completeness');
  });

  it("opens the explorer on a stream's NMI and the report's days", async () => {
    await page.getByRole('link', { name: `${GAPPY} E1 in the explorer` }).click();
    await page.getByTestId('stats-total').waitFor({ timeout: 30_000 });
    expect(page.url()).toBe(`${PAGE}#/explorer?nmi=${GAPPY}&channel=E1&from=${day(27)}&to=${YESTERDAY}&by=day`);
    expect(await page.getByLabel('NMI', { exact: true }).inputValue()).toBe(GAPPY);
    // 25 days of 48 readings of 0.25 kWh: the 28 days less the three missing.
    expect(await page.getByTestId('stats-total').textContent()).toBe('300 kWh');
    await page.goBack();
    await page.getByTestId('gap-stream').first().waitFor({ timeout: 30_000 });
    expect(await page.getByLabel('From (NEM day)').inputValue()).toBe(day(27));
  });

  it('refuses a register with an error line by line, and takes a good one: its NMI is then expected', async () => {
    const file = page.getByLabel('Register file (CSV)');
    await file.setInputFiles({ name: 'register.csv', mimeType: 'text/csv', buffer: Buffer.from(`nmi,suffixes,from,to\n${NEVER},,${day(4)},\nCMPWEB01,,,\n`) });
    await page.getByRole('button', { name: 'Replace the register' }).click();
    const problems = page.getByRole('list', { name: 'Problems by line' });
    await problems.waitFor({ timeout: 30_000 });
    expect(await problems.getByRole('listitem').allTextContents()).toEqual(['Line 3: NMI "CMPWEB01" is not 10 capital letters and digits. INVALID_NMI']);
    expect(await page.getByTestId('register-size').textContent()).toBe('The register is empty: streams are expected from what was received only.');
    await audit(page, 'web-completeness-register-refused');

    await file.setInputFiles({ name: 'register.csv', mimeType: 'text/csv', buffer: Buffer.from(`nmi,suffixes,from,to\n${NEVER},,${day(4)},\n`) });
    await page.getByRole('button', { name: 'Replace the register' }).click();
    await page.getByText('The register was replaced: 1 line naming 1 NMI.').waitFor({ timeout: 30_000 });
    // Never received, expected from its first day on: the worst of the list now.
    await page.getByRole('button', { name: 'Missing days (2)' }).waitFor({ timeout: 30_000 });
    const first = page.getByTestId('gap-stream').first();
    await page.waitForFunction((nmi) => document.querySelector('[data-testid="gap-stream"] th')?.textContent === nmi, NEVER);
    expect((await first.locator('th, td').allTextContents()).slice(0, 3)).toEqual([NEVER, 'all (never received)', `5${day(4)} to ${YESTERDAY}`]);
    await page.getByText('The register has 1 line naming 1 NMI; 1 in force over these days.').waitFor({ timeout: 30_000 });
  });

  it('downloads the list as CSV through the API', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download this list (CSV)' }).click()]);
    expect(download.suggestedFilename()).toBe(`missing-streams-${day(27)}-to-${YESTERDAY}.csv`);
    const lines = readFileSync((await download.path())!, 'utf8').trim().split('\r\n');
    expect(lines.slice(1).map((line) => line.split(',').slice(0, 3))).toEqual([
      [NEVER, '', '5'],
      [GAPPY, 'E1', '3'],
    ]);
  });

  it('is usable on a phone-sized screen', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await fitsWidth(page);
    // Seven columns a month, whole on the screen.
    const box = (await page.getByRole('grid').first().boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    await audit(page, 'web-completeness-phone');
  });
});
