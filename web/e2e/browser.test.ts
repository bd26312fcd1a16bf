import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The built page, served by the Hosting emulator, in a real headless Chromium (Debian's, driven by
// playwright-core), against the whole pipeline on the emulators.
const PAGE = 'http://127.0.0.1:5000/';
const CORPUS = join(__dirname, '..', '..', 'functions', 'test', 'fixtures', 'corpus');
const ARTIFACTS = join(__dirname, '..', '..', 'test-results');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Offline machines: no background networking, no component updates, no QUIC, no GPU.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage({ viewport: { width: 1200, height: 1000 } });
  page.on('pageerror', (error) => console.error('page error:', error.message));
});
afterAll(() => browser?.close());

const card = (file: string) => page.locator(`[data-testid="upload-card"][data-file="${file}"]`);

describe.sequential('the web status page', () => {
  it('signs a new user up and shows the empty uploads list', async () => {
    await page.goto(PAGE);
    await page.getByLabel('Email').fill(`e2e-${Date.now()}@example.com`);
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(page.getByRole('button', { name: 'Sign out' })).toBeDefined();
    await page.getByRole('button', { name: 'Sign out' }).waitFor({ timeout: 30_000 });
    await page.getByText('No uploads yet').waitFor({ timeout: 30_000 });
  });

  it('uploads a file and watches it go to done with the right totals and a Flo SQL link', async () => {
    await page.getByTestId('file-input').setInputFiles(join(CORPUS, 'nem-reader/unzipped/Example_NEM12_multiple_meters.csv'));
    const done = card('Example_NEM12_multiple_meters.csv');
    await page.locator('[data-testid="upload-card"][data-file="Example_NEM12_multiple_meters.csv"][data-status="done"]').waitFor({ timeout: 120_000 });
    expect(await done.getByTestId('status-badge').textContent()).toBe('done');
    expect(await done.locator('.totals').textContent()).toBe('1,152 readings: 1,152 new, 0 updated, 0 unchanged');
    const link = done.getByRole('link', { name: 'Download Flo SQL' });
    await link.waitFor({ timeout: 30_000 });
    const href = await link.getAttribute('href');
    expect(href).toContain('multiple_meters.csv');
    // The link really serves the gzipped SQL.
    const response = await page.request.get(href!);
    expect(response.status()).toBe(200);
    expect((await response.body()).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
  });

  it('shows an invalid file failing with its line-numbered error', async () => {
    await page.getByTestId('file-input').setInputFiles(join(CORPUS, 'nem-reader/invalid/Example_NEM12_incomplete_interval.csv'));
    const failed = page.locator('[data-testid="upload-card"][data-file="Example_NEM12_incomplete_interval.csv"][data-status="failed"]');
    await failed.waitFor({ timeout: 120_000 });
    const text = await failed.textContent();
    expect(text).toContain('VALUE_COUNT_MISMATCH');
    expect(text).toContain('line 3');
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'web-status-page.png'), fullPage: true });
  });

  it('is usable on a phone-sized screen', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
    await page.screenshot({ path: join(ARTIFACTS, 'web-status-page-phone.png'), fullPage: true });
  });
});
