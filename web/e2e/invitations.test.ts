import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audit, fitsWidth, launchChromium, PAGE } from './browserHelpers';
import { emailLink, nem12Org, openEmailLink } from './invitationHelpers';

// Joining by invitation in a real Chromium against the emulators: the operator's first admin comes
// in by a password reset link (the Auth emulator's "emails"), renames the organisation and invites
// two addresses, one of them another organisation's admin: the page answers both alike. The invitee
// signs up, verifies the address from its link, accepts, and is in.
const stamp = Date.now();
const firstAdmin = `first-admin-${stamp}@example.com`;
const invitee = `invitee-${stamp}@example.com`;
const elsewhere = `elsewhere-${stamp}@example.com`;
const viewport = { width: 1200, height: 1000 };

let browser: Browser;
let admin: Page;

beforeAll(async () => {
  browser = await launchChromium();
  admin = await (await browser.newContext({ viewport })).newPage();
  admin.on('pageerror', (error) => console.error('page error:', error.message));
});
afterAll(() => browser?.close());

/** The sign-in form's live region, once it says something. */
async function signInNotice(on: Page): Promise<string> {
  const region = on.locator('.sign-in [role="status"]');
  await on.waitForFunction(() => (document.querySelector('.sign-in [role="status"]')?.textContent ?? '').startsWith('If an account'), null, { timeout: 30_000 });
  return (await region.textContent()) ?? '';
}

/** The Members tab's live region after an action: waits for `expected` there. */
async function membersNotice(on: Page, expected: string): Promise<string> {
  // Only the notice that says it: "Loading members…" is a live region of its own.
  const notice = on.locator('.members > [role="status"]').filter({ hasText: expected });
  await notice.waitFor({ timeout: 30_000 });
  return (await notice.textContent()) ?? '';
}

describe.sequential('joining an organisation', () => {
  it('the first admin, made by `nem12 org add-member` without a password, sets one from the emailed link and signs in', async () => {
    const org = nem12Org('create', 'Initech e2e').id as string;
    nem12Org('add-member', org, firstAdmin, '--role', 'admin');
    await admin.goto(PAGE);
    await admin.getByLabel('Email').fill(firstAdmin);
    await admin.getByRole('button', { name: 'Forgot your password?' }).click();
    const known = await signInNotice(admin);
    expect(known).toBe(`If an account exists for ${firstAdmin}, a link to set a new password is on its way. Open it, choose a password, then sign in here.`);
    // An address nobody uses: the same words, nothing else.
    const nobody = `nobody-${stamp}@example.com`;
    await admin.getByLabel('Email').fill(nobody);
    await admin.getByRole('button', { name: 'Forgot your password?' }).click();
    await admin.locator('.sign-in [role="status"]').filter({ hasText: nobody }).waitFor();
    expect((await signInNotice(admin)).replace(nobody, firstAdmin)).toBe(known);
    expect(await admin.getByRole('alert').count()).toBe(0);
    await audit(admin, 'web-password-reset');

    await openEmailLink(admin, `${(await emailLink(firstAdmin, 'PASSWORD_RESET')).oobLink}&newPassword=${encodeURIComponent('first admin password')}`);
    await admin.getByLabel('Email').fill(firstAdmin);
    await admin.getByLabel('Password').fill('first admin password');
    await admin.getByRole('button', { name: 'Sign in', exact: true }).click();
    await admin.getByRole('link', { name: 'Members' }).waitFor({ timeout: 30_000 });
    expect(await admin.locator('.account-org').textContent()).toBe('Initech e2e · ');
  });

  it('the admin renames the organisation, and the header follows', async () => {
    await admin.getByRole('link', { name: 'Members' }).click();
    const name = admin.getByLabel('Organisation name');
    await name.fill('  Initech Energy ');
    await admin.getByRole('button', { name: 'Rename' }).click();
    await membersNotice(admin, 'The organisation is now called Initech Energy.');
    expect(await admin.locator('.account-org').textContent()).toBe('Initech Energy · ');
    expect(await admin.getByRole('heading', { name: 'Members of Initech Energy' }).count()).toBe(1);
    expect(await admin.title()).toBe('Members of Initech Energy · NEM12 pipeline');
  });

  it("inviting another organisation's admin is answered exactly like inviting a new address", async () => {
    const other = nem12Org('create', 'Elsewhere e2e').id as string;
    nem12Org('add-member', other, elsewhere, '--role', 'admin', '--password', 'elsewhere password');
    const said: string[] = [];
    for (const email of [invitee, elsewhere]) {
      await admin.getByLabel('Email').fill(email);
      await admin.getByLabel('Role').selectOption('member');
      await admin.getByRole('button', { name: 'Invite', exact: true }).click();
      said.push((await membersNotice(admin, `${email} is invited`)).replace(email, '<email>'));
      await admin.getByRole('button', { name: `Revoke the invitation of ${email}` }).waitFor();
    }
    expect(said[0]).toMatch(/^<email> is invited as a member until \d{1,2} \w{3} \d{4}\. Nothing is emailed/);
    expect(said[1]).toBe(said[0]);
    const row = async (email: string) => (await admin.getByRole('row', { name: new RegExp(email) }).textContent())!.replace(email, '<email>');
    expect(await row(elsewhere)).toBe(await row(invitee));
    await audit(admin, 'web-members-invitations');
  });

  it('the invitee signs up, is asked to verify the address, opens the emailed link, accepts, and is a member', async () => {
    const page = await (await browser.newContext({ viewport })).newPage();
    try {
      await page.goto(PAGE);
      // Before verifying: asked to, told "not yet" when claiming it; no organisation of their own.
      await page.getByLabel('Email').fill(invitee);
      await page.getByLabel('Password').fill('correct horse battery');
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.getByRole('heading', { name: 'Verify your email address' }).waitFor({ timeout: 30_000 });
      await page.getByRole('button', { name: "I've verified my address" }).click();
      await page.getByRole('alert').filter({ hasText: 'is not verified yet' }).waitFor({ timeout: 30_000 });
      expect(await page.getByRole('heading', { name: 'You are not in an organisation yet' }).count()).toBe(1);
      await audit(page, 'web-verify-email');
      await page.setViewportSize({ width: 390, height: 844 });
      await fitsWidth(page);
      await page.setViewportSize(viewport);
      await openEmailLink(page, (await emailLink(invitee, 'VERIFY_EMAIL')).oobLink);
      await page.getByRole('button', { name: "I've verified my address" }).click();
      const accept = page.getByRole('button', { name: 'Accept the invitation to join Initech Energy' });
      await accept.waitFor({ timeout: 30_000 });
      expect(await page.locator('.invitation-list li p').textContent()).toMatch(/^Initech Energy invites you to join as a member \(until \d{1,2} \w{3} \d{4}\)\.$/);
      await audit(page, 'web-invitation');
      await page.setViewportSize({ width: 390, height: 844 });
      await fitsWidth(page);
      await audit(page, 'web-invitation-phone');
      await accept.click();
      await page.getByText('No uploads yet').waitFor({ timeout: 30_000 });
      expect(await page.locator('.account-org').textContent()).toBe('Initech Energy · ');
      expect(await page.getByRole('link', { name: 'Members' }).count()).toBe(0);
    } finally {
      await page.context().close();
    }
  });

  it('the admin sees the new member, and revokes the invitation still pending', async () => {
    await admin.getByRole('link', { name: 'Uploads' }).click();
    await admin.getByRole('link', { name: 'Members' }).click();
    await admin.getByRole('row', { name: new RegExp(`${invitee}\\s*member`) }).waitFor({ timeout: 30_000 });
    expect(await admin.getByRole('button', { name: `Revoke the invitation of ${invitee}` }).count()).toBe(0);
    await admin.getByRole('button', { name: `Revoke the invitation of ${elsewhere}` }).click();
    await membersNotice(admin, `The invitation of ${elsewhere} was revoked.`);
    await admin.getByText('No invitation is waiting for an answer.').waitFor();
    await admin.setViewportSize({ width: 390, height: 844 });
    await fitsWidth(admin);
    await audit(admin, 'web-members-invitations-phone');
  });
});
