/**
 * Linking the clinic's number from the staff console's WhatsApp tab, in headless Chromium,
 * against the fake WhatsApp server, on the real Redis and PostgreSQL: the QR code appears and
 * changes as WhatsApp rotates it, the clinic phone scans it, the tab shows "Connected as …";
 * unlinking; then linking by pairing code. Everything the tab shows arrives live. Screenshots
 * go to /tmp/screens/whatsapp-*.png.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../../src/app.js';
import { hashPassword } from '../../../src/staff/passwords.js';
import { launchChromium } from '../../support/browser.js';
import { FakeWhatsApp } from '../../support/fake-whatsapp/server.js';
import { eventually, statusReaches, whatsappDeployment, whatsappOf, type WhatsAppDeployment } from '../../support/whatsapp-app.js';

const SHOTS = '/tmp/screens';
const SLOW = { timeout: 30_000 };
const ADMIN = { email: 'marta@clinic.test', displayName: 'Marta', password: 'practice-manager-pass' };
const STAFF = { email: 'ana@clinic.test', displayName: 'Ana', password: 'front-desk-password-1' };

let browser: Browser;
let server: FakeWhatsApp;
let deployment: WhatsAppDeployment;
let app: RunningApp;

beforeAll(async () => {
  await mkdir(SHOTS, { recursive: true });
  server = await FakeWhatsApp.start();
  deployment = await whatsappDeployment(server, 'wa_console', { WHATSAPP_QR_ROTATE_MS: '1500' });
  app = await deployment.start();
  for (const user of [ADMIN, STAFF]) {
    await app.runtime.records.staff.create({
      email: user.email,
      displayName: user.displayName,
      role: user === ADMIN ? 'admin' : 'staff',
      passwordHash: await hashPassword(user.password),
    });
  }
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await server?.stop();
  await deployment?.cleanUp();
});

async function signIn(page: Page, user: { email: string; password: string }): Promise<void> {
  await page.goto(`${app.url}/staff`);
  await page.locator('#signin-email').fill(user.email);
  await page.locator('#signin-password').fill(user.password);
  await page.locator('#signin-password').press('Enter');
  await page.locator('#console-view').waitFor(SLOW);
}

async function auditActions(): Promise<string[]> {
  const rows = await deployment.query<{ action: string; actor_type: string }>("select action, actor_type from audit_log where action like 'whatsapp.%' order by id");
  return rows.map((row) => `${row.actor_type}:${row.action}`);
}

describe('the WhatsApp tab of the staff console', () => {
  it('links by QR code, shows it rotating, connects, unlinks, links by pairing code — all live', { timeout: 120_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB' });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await signIn(page, ADMIN);
    await page.locator('#tab-whatsapp').click();
    const headline = page.locator('#wa-headline');
    await headline.filter({ hasText: 'No WhatsApp number is linked' }).waitFor(SLOW);
    await page.screenshot({ path: join(SHOTS, 'whatsapp-1-not-linked.png') });

    // Link by QR: the code appears as an image, and is replaced as WhatsApp rotates it.
    await page.locator('#wa-link-qr').click();
    const qr = page.locator('#wa-qr');
    await qr.waitFor({ state: 'visible', ...SLOW });
    const firstImage = await qr.getAttribute('src');
    expect(firstImage).toMatch(/^data:image\/png;base64,/);
    await eventually('the QR code to change', async () => (await qr.getAttribute('src')) !== firstImage && (await qr.getAttribute('src')) !== null);
    await page.screenshot({ path: join(SHOTS, 'whatsapp-2-qr.png') });

    // The clinic phone scans what is shown now.
    const shown = whatsappOf(app).status();
    if (!shown.qr) throw new Error('no QR code in the status');
    await server.scanQr(shown.qr);
    await headline.filter({ hasText: `Connected as` }).waitFor(SLOW);
    expect(await headline.innerText()).toContain(`+${server.phone.number}`);
    expect(await page.locator('#tab-whatsapp-dot').getAttribute('data-state')).toBe('connected');
    expect(await qr.isHidden()).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'whatsapp-3-connected.png') });
    expect((await deployment.query<{ n: number }>('select count(*)::int as n from whatsapp_keys'))[0]?.n).toBeGreaterThan(800);

    // Unlink, after a confirmation: the device logs out and the credentials are gone.
    await page.locator('#wa-unlink').click();
    await page.locator('#confirm-dialog[open]').waitFor(SLOW);
    await page.screenshot({ path: join(SHOTS, 'whatsapp-4-confirm-unlink.png') });
    await page.locator('#confirm-ok').click();
    await headline.filter({ hasText: 'No WhatsApp number is linked' }).waitFor(SLOW);
    expect(await deployment.query('select 1 from whatsapp_accounts where creds is not null')).toHaveLength(0);
    expect((await deployment.query<{ n: number }>('select count(*)::int as n from whatsapp_keys'))[0]?.n).toBe(0);

    // Link by pairing code instead: the code shows large; typed on the phone, the number connects.
    await page.locator('#wa-phone').fill('+351 910 000 000');
    await page.locator('#wa-pair').click();
    const code = page.locator('#wa-code');
    await code.waitFor({ state: 'visible', ...SLOW });
    const typed = await code.innerText();
    expect(typed).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    expect(await qr.isHidden()).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'whatsapp-5-pairing-code.png') });
    await server.enterPairingCode(typed);
    await headline.filter({ hasText: 'Connected as' }).waitFor(SLOW);
    await statusReaches(app, 'connected');

    expect(await auditActions()).toEqual([
      'staff:whatsapp.link_requested',
      'system:whatsapp.linked',
      'staff:whatsapp.unlink_requested',
      'staff:whatsapp.unlinked',
      'staff:whatsapp.link_requested',
      'system:whatsapp.linked',
    ]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('is for admins only', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await signIn(page, STAFF);
    expect(await page.locator('#tab-whatsapp').isHidden()).toBe(true);
    const response = await page.evaluate(async () => (await fetch('/staff/api/whatsapp')).status);
    expect(response).toBe(403);
    await context.close();
  });
});
