import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parseNem12 } from '../../src/index.js';

// The installed package (packedProject.ts) loaded as ES modules by a real headless Chromium (Debian's,
// driven by playwright-core), parsing a File made in the page through File.stream(): no Node in sight.
const INSTALLED = join(inject('packedProject'), 'node_modules', 'nem12');
const ORIGIN = 'http://nem12.test';
const FILE = join(import.meta.dirname, '..', 'fixtures', 'defects', 'lost_whole_file_duplicate_day.csv');

// The page imports the package as a module, as a bundler-free page would.
const PAGE = `<!doctype html><title>nem12</title>
<script type="module">import * as nem12 from '/dist/esm/index.js'; window.nem12 = nem12;</script>`;

let browser: Browser;

beforeAll(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

afterAll(async () => {
  await browser?.close();
});

describe('the packed package in a browser', () => {
  it('parses a File through File.stream() in the page, as the source does', async () => {
    const page = await browser.newPage();
    // A page and the package's files from a made-up origin: only what the tarball installed is served.
    await page.route(`${ORIGIN}/**`, (route) => {
      const path = new URL(route.request().url()).pathname;
      if (path === '/') return route.fulfill({ contentType: 'text/html', body: PAGE });
      return route.fulfill({ contentType: 'text/javascript', body: readFileSync(join(INSTALLED, path)) });
    });
    await page.goto(`${ORIGIN}/`);
    await page.waitForFunction(() => 'nem12' in window);
    const text = readFileSync(FILE, 'utf8');
    const got = await page.evaluate(
      async (text) => {
        const { Nem12Parser } = (window as unknown as { nem12: typeof import('../../src/index.js') }).nem12;
        const days: string[] = [];
        const issues: string[] = [];
        const progress: number[] = [];
        const parser = new Nem12Parser({
          onEvent: (event) => event.type === 'day' && days.push(event.date),
          onIssue: (issue) => issues.push(`${issue.code}@${issue.line}`),
        });
        const file = new File([text], 'meter-data.csv', { type: 'text/csv' });
        const reader = file.stream().getReader();
        for (let next = await reader.read(); !next.done; next = await reader.read()) {
          parser.push(next.value);
          progress.push(parser.info.bytes / file.size);
        }
        parser.end();
        return { days, issues, readings: parser.info.readings, progress, hasBuffer: 'Buffer' in globalThis, hasProcess: 'process' in globalThis };
      },
      text,
    );
    const want = parseNem12(readFileSync(FILE));
    expect(got.hasBuffer || got.hasProcess).toBe(false);
    expect(got.days).toEqual(want.days.map((day) => day.date));
    expect(got.issues).toEqual(want.issues.warnings.map((found) => `${found.code}@${found.line}`));
    expect(got.readings).toBe(1248);
    expect(got.progress.at(-1)).toBe(1);
  });
});
