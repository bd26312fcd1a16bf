import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';

/** What the browser tests share: where the page is, the browser, the accessibility audit, accounts and uploads. */
export const PAGE = 'http://127.0.0.1:5000/';
export const CORPUS = join(__dirname, '..', '..', 'functions', 'test', 'fixtures', 'corpus');
const ARTIFACTS = join(__dirname, '..', '..', 'test-results');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Offline machines: no background networking, no component updates, no QUIC, no GPU.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

const AXE = readFileSync(join(__dirname, '..', '..', 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

/** axe-core in the page: no violation of WCAG 2.1 level A or AA; and a screenshot of it in test-results/. */
export async function audit(on: Page, name: string): Promise<void> {
  await on.addScriptTag({ content: AXE });
  const violations = await on.evaluate(async () => {
    const { axe } = window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: { id: string; help: string; nodes: { target: string[] }[] }[] }> } };
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((found) => `${found.id}: ${found.help} (${found.nodes.slice(0, 4).map((node) => node.target.join(' ')).join('; ')})`);
  });
  mkdirSync(ARTIFACTS, { recursive: true });
  await on.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
  expect(violations, `${name}: accessibility violations`).toEqual([]);
}

/** Waits for an upload's row to reach `status`, opens it, and returns its details. */
export async function openUpload(on: Page, file: string, status: string) {
  const row = on.locator(`[data-testid="upload-row"][data-file="${file}"][data-status="${status}"]`);
  await row.waitFor({ timeout: 120_000 });
  const summary = row.locator('.row-summary');
  if ((await summary.getAttribute('aria-expanded')) !== 'true') await summary.click();
  return row.getByTestId('upload-card');
}

/** A new account through the page's own form; the page then shows the signed-in view. */
export async function signUpIn(on: Page, email: string): Promise<void> {
  await on.goto(PAGE);
  await on.getByLabel('Email').fill(email);
  await on.getByLabel('Password').fill('correct horse battery');
  await on.getByRole('button', { name: 'Create account' }).click();
  await on.getByRole('button', { name: 'Sign out' }).waitFor({ timeout: 30_000 });
}

/**
 * Nothing wider than a phone's screen (`width`, the viewport set by the caller) once what follows a
 * resize has (charts: their ResizeObserver reports asynchronously); otherwise says what sticks out.
 */
export async function fitsWidth(on: Page, width = 390): Promise<void> {
  try {
    await on.waitForFunction((most) => document.documentElement.scrollWidth <= most, width, { timeout: 5_000 });
  } catch {
    const wide = await on.evaluate((most) =>
      Array.from(document.querySelectorAll('body *'))
        .filter((element) => {
          // Too wide itself, or its content (an unbroken word) spills out of it.
          const spills = getComputedStyle(element).overflowX === 'visible' && element.scrollWidth > element.clientWidth + 1 && element.getBoundingClientRect().left + element.scrollWidth > most + 1;
          if (element.getBoundingClientRect().right <= most + 1 && !spills) return false;
          // Inside a box that scrolls or clips, it does not widen the page.
          for (let up = element.parentElement; up !== null && up !== document.body; up = up.parentElement) {
            if (getComputedStyle(up).overflowX !== 'visible') return false;
          }
          return true;
        })
        .slice(0, 8)
        .map((element) => `${element.tagName.toLowerCase()}.${element.className} (right ${Math.round(element.getBoundingClientRect().right)} px)`),
    width);
    throw new Error(`the page is wider than ${width} px (${await on.evaluate(() => document.documentElement.scrollWidth)} px): ${wide.join(', ')}`);
  }
}
