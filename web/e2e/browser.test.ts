import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNem12 } from 'nem12';
import { audit, CORPUS, fitsWidth, launchChromium, openUpload, PAGE, signUpIn } from './browserHelpers';
import { joinByInvitation } from './invitationHelpers';

// The built page, served by the Hosting emulator, in a real headless Chromium (Debian's, driven by
// playwright-core), against the whole pipeline on the emulators.
let browser: Browser;
let page: Page;
/** The explorer's URL of a view, as a user would copy it. */
let viewUrl = '';
let viewTotal = '';

beforeAll(async () => {
  browser = await launchChromium();
  // A context of its own: a second tab in it shares the signed-in session (the explorer test opens one).
  page = await (await browser.newContext({ viewport: { width: 1200, height: 1000 } })).newPage();
  page.on('pageerror', (error) => console.error('page error:', error.message));
});
afterAll(() => browser?.close());

describe.sequential('the web status page', () => {
  it('signs a new user up (on the emulators: an organisation of their own) and shows the empty uploads list', async () => {
    await page.goto(PAGE);
    await page.getByRole('button', { name: 'Create account' }).waitFor({ timeout: 30_000 });
    expect(await page.title()).toBe('Sign in · NEM12 pipeline');
    await audit(page, 'web-sign-in');
    await signUpIn(page, `e2e-${Date.now()}@example.com`);
    await page.getByText('No uploads yet').waitFor({ timeout: 30_000 });
    expect(await page.title()).toBe('Uploads · NEM12 pipeline');
    // Their own organisation, named after them, and they are its admin.
    expect(await page.locator('.account-org').textContent()).toMatch(/e2e-\d+@example\.com/);
    await page.getByRole('link', { name: 'Members' }).waitFor();
  });

  it('uploads a file and watches it go to done with the right totals and a Flo SQL download', async () => {
    // The explorer, open in another tab before the upload is done, follows it: no reload.
    const explorer = await page.context().newPage();
    await explorer.goto(`${PAGE}#/explorer`);
    await explorer.getByText('No readings to explore yet').waitFor({ timeout: 30_000 });
    await explorer.evaluate(() => Object.assign(window, { openedBeforeTheUpload: true }));
    await page.getByTestId('file-input').setInputFiles(join(CORPUS, 'nem-reader/unzipped/Example_NEM12_multiple_meters.csv'));
    // Checked in the page (a Web Worker running the nem12 package) before it is sent.
    const sending = page.locator('[data-testid="sending-file"][data-file="Example_NEM12_multiple_meters.csv"]');
    await sending.getByTestId('check-summary').waitFor({ timeout: 30_000 });
    expect(await sending.getByTestId('check-summary').textContent()).toBe('Checked: 2 NMIs, 2 days, 1,152 readings, 0 warnings');
    const done = await openUpload(page, 'Example_NEM12_multiple_meters.csv', 'done');
    // One row for the file: the one shown as sent was replaced by its status document.
    expect(await page.locator('[data-testid="upload-row"][data-file="Example_NEM12_multiple_meters.csv"]').count()).toBe(1);
    await explorer.getByTestId('stats-total').waitFor({ timeout: 30_000 });
    expect(await explorer.getByLabel('NMI', { exact: true }).inputValue()).toBe('NCDE001111');
    expect(await explorer.evaluate(() => (window as unknown as { openedBeforeTheUpload?: boolean }).openedBeforeTheUpload)).toBe(true);
    await explorer.close();
    // The overview above the list follows: one file, its readings and NMIs, its latest day.
    await page.waitForFunction(() => document.querySelector('[data-testid="overview"]')?.textContent?.includes('Files loaded1'), null, { timeout: 30_000 });
    expect(await page.getByTestId('overview').textContent()).toBe('Files loaded1Readings1,152NMIs2Latest data day2003-12-05Uploads in progress0Failed, last 7 days0');
    expect(await done.getByTestId('status-badge').textContent()).toBe('done');
    expect(await done.locator('.totals').textContent()).toBe('1,152 readings: 1,152 new, 0 updated, 0 unchanged');
    // Through storage.rules with the member's token (no bearer URL), saved under the file's own name.
    const [download] = await Promise.all([page.waitForEvent('download'), done.getByRole('button', { name: 'Download Flo SQL' }).click()]);
    expect(download.suggestedFilename()).toBe('Example_NEM12_multiple_meters.csv.flo.sql.gz');
    const saved = readFileSync((await download.path())!);
    expect(saved.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    expect(gunzipSync(saved).toString('utf8')).toContain('INSERT INTO meter_readings');
  });

  it('holds an invalid file back with its line-numbered errors; sent anyway, the pipeline fails it the same way', async () => {
    await page.getByTestId('file-input').setInputFiles(join(CORPUS, 'nem-reader/invalid/Example_NEM12_incomplete_interval.csv'));
    const held = page.locator('[data-testid="sending-file"][data-file="Example_NEM12_incomplete_interval.csv"]');
    await held.getByText('Not sent: errors found').waitFor({ timeout: 30_000 });
    const group = held.locator('[data-testid="issue-group"][data-code="VALUE_COUNT_MISMATCH"]');
    expect(await group.textContent()).toContain('line 3');
    expect(await page.locator('[data-testid="upload-row"][data-file="Example_NEM12_incomplete_interval.csv"]').count()).toBe(0);
    await held.getByRole('button', { name: 'Send Example_NEM12_incomplete_interval.csv anyway' }).click();
    const failed = await openUpload(page, 'Example_NEM12_incomplete_interval.csv', 'failed');
    const text = await failed.textContent();
    expect(text).toContain('VALUE_COUNT_MISMATCH');
    expect(text).toContain('line 3');
    await audit(page, 'web-status-page');
  });

  it('explores the uploaded readings: chart, stats, load profile and the readings table', async () => {
    // What the parser says the file holds, channel by channel: the page must show the same.
    const { summary } = parseNem12(readFileSync(join(CORPUS, 'nem-reader/unzipped/Example_NEM12_multiple_meters.csv')));
    const totalOf = (suffix: string) => `${Number(summary.channels.find((c) => c.nmi === 'NCDE001111' && c.suffix === suffix)!.totalKwh)} kWh`;
    await page.getByRole('link', { name: 'Readings explorer' }).click();
    await page.getByTestId('stats-total').waitFor({ timeout: 30_000 });
    // It opens on the first NMI's consumption channel, over its latest days.
    expect(await page.getByLabel('NMI', { exact: true }).inputValue()).toBe('NCDE001111');
    expect(await page.getByLabel('Channel').inputValue()).toBe('E1');
    expect(await page.getByLabel('From (NEM day)').inputValue()).toBe('2003-12-04');
    expect(await page.getByLabel('To (NEM day)').inputValue()).toBe('2003-12-05');
    expect(await page.getByTestId('stats-total').textContent()).toBe(totalOf('E1'));
    // A bar per day, a line through the daily profile, rows in the table (with their quality).
    await page.getByTestId('consumption-chart').locator('.recharts-bar-rectangle').first().waitFor();
    expect(await page.getByTestId('consumption-chart').locator('.recharts-bar-rectangle').count()).toBe(2);
    expect(await page.getByTestId('profile-chart').locator('path.recharts-line-curve').count()).toBe(1);
    const firstRow = page.getByTestId('readings-table').locator('[role="row"][data-quality]').first();
    expect(await firstRow.textContent()).toContain('2003-12-04 00:15');
    expect(await firstRow.getAttribute('data-quality')).toBe('A');
    expect(await page.getByTestId('readings-table').textContent()).toContain('192 readings');

    // Another channel and another granularity.
    await page.getByLabel('Channel').selectOption('E2');
    await page.waitForFunction((expected) => document.querySelector('[data-testid="stats-total"]')?.textContent === expected, totalOf('E2'));
    await page.getByLabel('Interval').check();
    // One step line through every interval (192 of them: a level and a rise for each after the first;
    // a flat line has no height, so no visibility check), the peak marked, a brush to zoom.
    const line = page.getByTestId('consumption-chart').locator('path.recharts-line-curve');
    await line.waitFor({ state: 'attached', timeout: 30_000 });
    expect((await line.getAttribute('d'))!.split('L')).toHaveLength(2 * 191 + 1);
    expect(await page.getByTestId('consumption-chart').locator('.recharts-reference-dot').count()).toBe(1);
    expect(await page.getByTestId('consumption-chart').locator('.recharts-brush').count()).toBe(1);
    expect(await page.getByTestId('stats-total').textContent()).toBe(totalOf('E2'));
    // The whole view is in the URL: a reload shows it again.
    await page.waitForFunction(() => window.location.hash.includes('by=interval'));
    viewUrl = page.url();
    expect(viewUrl).toBe(`${PAGE}#/explorer?nmi=NCDE001111&channel=E2&from=2003-12-04&to=2003-12-05&by=interval`);
    await page.reload();
    await page.getByTestId('stats-total').waitFor({ timeout: 30_000 });
    expect(await page.getByLabel('Channel').inputValue()).toBe('E2');
    expect(await page.getByRole('radio', { name: 'Interval' }).isChecked()).toBe(true);
    expect(await page.getByTestId('stats-total').textContent()).toBe(totalOf('E2'));
    expect(await page.title()).toBe('NCDE001111 E2, 2003-12-04 to 2003-12-05 · Readings explorer · NEM12 pipeline');
    viewTotal = totalOf('E2');
    // The readings as CSV, through the API: every reading of the range, as the parser read the file.
    const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download the readings (CSV)' }).click()]);
    expect(csvDownload.suggestedFilename()).toBe('NCDE001111-E2-2003-12-04-to-2003-12-05.csv');
    const csvLines = readFileSync((await csvDownload.path())!, 'utf8').split('\r\n').slice(1, -1);
    const e2Days = parseNem12(readFileSync(join(CORPUS, 'nem-reader/unzipped/Example_NEM12_multiple_meters.csv'))).days.filter((d) => d.channel.nmi === 'NCDE001111' && d.channel.suffix === 'E2');
    expect(csvLines.map((line) => line.split(',')[1])).toEqual(e2Days.flatMap((d) => d.values));
    expect(csvLines[0]).toMatch(/^2003-12-04T00:15:00\+10:00,[\d.]+,Wh,[\d.]+,A,/);
    // E2 with B1 (both energy): a second step line, named in the chart's label and in the URL.
    await page.getByLabel('Compare with').selectOption('B1');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="consumption-chart"] path.recharts-line-curve').length === 2, null, { timeout: 30_000 });
    expect(await page.getByTestId('consumption-chart').getAttribute('aria-label')).toContain(`; with B1: total ${totalOf('B1')}`);
    expect(page.url()).toContain('&with=B1');
    await page.getByLabel('Compare with').selectOption('');
    await audit(page, 'web-explorer');
  });

  it('finds an NMI typed key by key, and refuses an impossible day at the field', async () => {
    const sent: string[] = [];
    const record = (request: { url(): string }) => sent.push(request.url());
    page.on('request', record);
    const nmi = page.getByRole('combobox', { name: 'NMI' });
    await nmi.click();
    // As a person types: a key at a time, results arriving meanwhile; focus and text stay.
    await nmi.pressSequentially('nddd', { delay: 150 });
    expect(await nmi.inputValue()).toBe('nddd');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('combobox');
    const option = page.getByRole('option', { name: /NDDD001888/ });
    await option.waitFor({ timeout: 30_000 });
    expect(await nmi.getAttribute('aria-expanded')).toBe('true');
    await audit(page, 'web-explorer-combobox');
    await nmi.press('ArrowDown');
    expect(await nmi.getAttribute('aria-activedescendant')).toBe(await option.getAttribute('id'));
    await nmi.press('Enter');
    await page.waitForFunction(() => window.location.hash.includes('nmi=NDDD001888'));
    expect(await nmi.inputValue()).toBe('NDDD001888');
    expect(await nmi.getAttribute('aria-expanded')).toBe('false');

    // 30 February: said at the field, sent nowhere.
    const from = page.getByLabel('From (NEM day)');
    await from.fill('2003-02-30');
    expect(await from.getAttribute('aria-invalid')).toBe('true');
    const problem = page.locator(`#${(await from.getAttribute('aria-describedby'))!.split(' ')[0]}`);
    expect(await problem.textContent()).toBe('2003-02-30 is not a day: February 2003 has 28 days.');
    // How Australians write it: taken, and shown back as an ISO day.
    await from.fill('04/12/2003');
    await from.press('Tab');
    expect(await from.inputValue()).toBe('2003-12-04');
    expect(await from.getAttribute('aria-invalid')).toBeNull();
    await page.waitForFunction(() => window.location.hash.includes('from=2003-12-04'));
    expect(page.url()).not.toContain('2003-02-30');
    expect(sent.filter((url) => url.includes('2003-02-30'))).toEqual([]);
    page.off('request', record);
  });

  it('a copied explorer link opens the same view for another member of the organisation', async () => {
    // The admin invites a member; the member opens the link, signs up, verifies the address, accepts.
    await page.getByRole('link', { name: 'Members' }).click();
    const email = `member-${Date.now()}@example.com`;
    await page.getByLabel('Email').fill(email);
    await page.getByRole('button', { name: 'Invite' }).click();
    await page.getByRole('row', { name: new RegExp(email) }).waitFor({ timeout: 30_000 });
    await audit(page, 'web-members');
    const organisation = (await page.locator('.account-org').textContent())!.replace(/ · $/, '');
    const member = await browser.newPage({ viewport: { width: 1200, height: 1000 } });
    try {
      await member.goto(viewUrl);
      await joinByInvitation(member, email, organisation);
      await member.getByTestId('stats-total').waitFor({ timeout: 30_000 });
      expect(await member.getByLabel('NMI', { exact: true }).inputValue()).toBe('NCDE001111');
      expect(await member.getByLabel('Channel').inputValue()).toBe('E2');
      expect(await member.getByRole('radio', { name: 'Interval' }).isChecked()).toBe(true);
      expect(await member.getByTestId('stats-total').textContent()).toBe(viewTotal);
    } finally {
      await member.close();
    }
    await page.goto(viewUrl);
    await page.getByTestId('stats-total').waitFor({ timeout: 30_000 });
  });

  it("another organisation's upload naming the same NMI, with a newer revision, changes nothing on this page and shows its own day only", async () => {
    const before = await page.getByTestId('stats-total').textContent();
    const other = await browser.newPage({ viewport: { width: 1200, height: 1000 } });
    try {
      await signUpIn(other, `other-${Date.now()}@example.com`);
      await other.getByText('No uploads yet').waitFor({ timeout: 30_000 });
      const oneDay = ['100,NEM12,200402070911,MDA1,Ret1', '200,NCDE001111,E1E2,1,E2,N2,METSER456,Wh,15,', `300,20031204,${Array(96).fill('999').join(',')},A,,,20240101000000,`, '900'].join('\r\n');
      await other.getByTestId('file-input').setInputFiles({ name: 'theirs.csv', mimeType: 'text/csv', buffer: Buffer.from(`${oneDay}\r\n`) });
      const theirs = await openUpload(other, 'theirs.csv', 'done');
      expect(await theirs.locator('.totals').textContent()).toBe('96 readings: 96 new, 0 updated, 0 unchanged');
      // Their page lists their upload only, and their explorer their one day only.
      expect(await other.getByTestId('upload-row').count()).toBe(1);
      await other.getByRole('link', { name: 'Readings explorer' }).click();
      await other.getByTestId('stats-total').waitFor({ timeout: 30_000 });
      expect(await other.getByLabel('Channel').inputValue()).toBe('E2');
      expect(await other.getByTestId('stats-total').textContent()).toBe('95.904 kWh');
      expect(await other.getByLabel('From (NEM day)').inputValue()).toBe('2003-12-04');
      expect(await other.getByLabel('To (NEM day)').inputValue()).toBe('2003-12-04');
    } finally {
      await other.close();
    }
    // This organisation's figures, after a reload: exactly as before.
    await page.reload();
    await page.getByLabel('Channel').selectOption('E2');
    await page.waitForFunction((expected) => document.querySelector('[data-testid="stats-total"]')?.textContent === expected, before);
  });

  it('groups 99 warnings of one code into one line with its count, and downloads them as CSV', async () => {
    // 99 NMIs of 9 characters (kept as written, with a warning each), one day each.
    const lines = ['100,NEM12,200402070911,MDA1,Ret1'];
    for (let i = 0; i < 99; i++) lines.push(`200,WARN${String(i).padStart(5, '0')},E1,1,E1,N1,M1,kWh,30,`, `300,20040101,${Array(48).fill('1').join(',')},A,,,20040102000000,`);
    lines.push('900');
    await page.getByRole('link', { name: 'Uploads' }).click();
    await page.getByTestId('file-input').setInputFiles({ name: 'short-nmis.csv', mimeType: 'text/csv', buffer: Buffer.from(`${lines.join('\r\n')}\r\n`) });
    const done = await openUpload(page, 'short-nmis.csv', 'done');
    const groups = done.getByTestId('issue-group');
    expect(await groups.count()).toBe(1);
    expect(await groups.first().getAttribute('data-code')).toBe('NMI_NOT_10_CHARACTERS');
    expect(await groups.first().locator('.issue-count').textContent()).toBe('× 99');
    // The card stays short: the group opens on its lines only when asked.
    expect((await done.boundingBox())!.height).toBeLessThan(1200);
    await groups.first().locator('summary').click();
    expect(await groups.first().locator('.issue-lines li').count()).toBe(99);
    const [download] = await Promise.all([page.waitForEvent('download'), done.getByRole('button', { name: 'Download the 99 warnings as CSV' }).click()]);
    expect(download.suggestedFilename()).toBe('short-nmis.csv.warnings.csv');
    const csv = readFileSync((await download.path())!, 'utf8').trim().split('\r\n');
    expect(csv[0]).toBe('severity,code,line,message');
    expect(csv).toHaveLength(100);
    expect(csv[1]).toBe('warning,NMI_NOT_10_CHARACTERS,2,"NMI ""WARN00000"" has 9 characters, not 10; kept as written."');
    // Back to the explorer view the phone test starts from.
    await page.goto(viewUrl);
    await page.getByTestId('stats-total').waitFor({ timeout: 30_000 });
  });

  it('is usable on a phone-sized screen', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    // The explorer (where the previous test left off), then the uploads list and members.
    await fitsWidth(page);
    await audit(page, 'web-explorer-phone');
    await page.getByRole('link', { name: 'Uploads' }).click();
    await page.getByTestId('upload-row').first().waitFor();
    await fitsWidth(page);
    await audit(page, 'web-status-page-phone');
    await page.getByRole('link', { name: 'Members' }).click();
    await page.getByRole('button', { name: 'Invite' }).waitFor();
    await fitsWidth(page);
    await audit(page, 'web-members-phone');
  });
});
