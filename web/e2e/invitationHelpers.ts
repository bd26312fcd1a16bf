import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { emailLink } from '../../functions/test/emulator/emailLinks';

export { emailLink };

/** Joining by invitation in the browser tests: the operator's `nem12 org`, and what an invited person does on the page. */
const BIN = join(__dirname, '..', '..', 'functions', 'bin', 'nem12.js');

/** `nem12 org ...` on the emulators (the built CLI, as the operator runs it): its JSON answer. */
export function nem12Org(...args: string[]): Record<string, unknown> {
  const run = spawnSync(process.execPath, [BIN, 'org', ...args, '--json'], { encoding: 'utf8', env: process.env, timeout: 60_000 });
  if (run.status !== 0) throw new Error(`nem12 org ${args.join(' ')}: exit ${run.status}: ${run.stderr}`);
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

/**
 * Opens a link "emailed" by the Auth emulator in a window of its own, as a mail client would (a
 * context of its own: a page made by browser.newPage() cannot open tabs in its context).
 */
export async function openEmailLink(on: Page, link: string): Promise<void> {
  const browser = on.context().browser();
  if (browser === null) throw new Error('openEmailLink: the page has no browser to open the link in');
  const mail = await browser.newPage();
  try {
    const response = await mail.goto(link);
    if (!response?.ok()) throw new Error(`${link}: ${response?.status()} ${await response?.text()}`);
  } finally {
    await mail.context().close();
  }
}

/**
 * An invited address creates its account on the page (where it is now), opens the verification
 * link, says so, and accepts the invitation of `organisation`: the page then shows that organisation.
 */
export async function joinByInvitation(on: Page, email: string, organisation: string): Promise<void> {
  await on.getByLabel('Email').fill(email);
  await on.getByLabel('Password').fill('correct horse battery');
  await on.getByRole('button', { name: 'Create account' }).click();
  await on.getByRole('heading', { name: 'Verify your email address' }).waitFor({ timeout: 30_000 });
  await openEmailLink(on, (await emailLink(email, 'VERIFY_EMAIL')).oobLink);
  await on.getByRole('button', { name: "I've verified my address" }).click();
  await on.getByRole('button', { name: `Accept the invitation to join ${organisation}` }).click({ timeout: 30_000 });
  await on.waitForFunction((name) => document.querySelector('.account-org')?.textContent?.startsWith(name) === true, organisation, { timeout: 30_000 });
}
