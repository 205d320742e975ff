/**
 * The human handoff end to end, in headless Chromium (Debian's `chromium` or the npm-shipped one, driven by
 * playwright-core): a patient on the web chat page asks for a person, a staff member signed in
 * at /staff sees it arrive live, claims it, replies (the patient's page shows the reply live),
 * reads the patient's next message live while the bot stays silent, and resolves, after which
 * the bot answers again. Also a Hebrew-speaking patient, shown right-to-left in the console.
 *
 * Runs twice: on the real Redis + PostgreSQL (own key prefix and schema, removed afterwards)
 * and on the embedded defaults (in-process store, PGlite in a temporary DATA_DIR).
 * Screenshots of both pages at 1280×800 go to /tmp/screens/.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { startApp, type RunningApp } from '../../src/app.js';
import { hashPassword } from '../../src/staff/passwords.js';
import { DATABASE_URL, REDIS_URL, removeTestPlace, requirePostgres, requireRedis, uniqueName } from '../support/services.js';

const SHOTS = '/tmp/screens';
const VIEWPORT = { width: 1280, height: 800 };
const STAFF = { email: 'ana@clinic.test', displayName: 'Ana', password: 'front-desk-password-1' };
const COLLEAGUE = { email: 'bruno@clinic.test', displayName: 'Bruno', password: 'front-desk-password-2' };
const ADMIN = { email: 'marta@clinic.test', displayName: 'Marta', password: 'practice-manager-pass' };
const STAFF_REPLY = 'Hello, this is Ana from the front desk';
const MISSED_REPLY = 'Ana again: your page was closed, so this waited for you';
/** Generous: a loaded machine may be slow, never wrong. */
const SLOW = { timeout: 30_000 };

interface Backend {
  label: string;
  /** The app's environment, and how to remove what the run left behind. */
  prepare(): Promise<{ env: Record<string, string>; cleanUp(): Promise<void> }>;
}

const BASE_ENV = {
  PORT: '0',
  HOST: '127.0.0.1',
  APP_ENV: 'test',
  LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
  TURN_TIMEOUT_MS: '120000',
  OPENAI_API_KEY: '',
  OPENAI_BASE_URL: '',
};

const realServices: Backend = {
  label: 'real-services',
  async prepare() {
    await requireRedis();
    await requirePostgres();
    const schema = uniqueName('staff_console');
    const prefix = `test:${schema}`;
    const dataDir = await mkdtemp(join(tmpdir(), 'staff-console-'));
    return {
      env: { ...BASE_ENV, REDIS_URL, DATABASE_URL, DATABASE_SCHEMA: schema, REDIS_KEY_PREFIX: prefix, DATA_DIR: dataDir },
      async cleanUp() {
        await removeTestPlace(schema, prefix);
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  },
};

const embeddedDefaults: Backend = {
  label: 'embedded',
  async prepare() {
    const dataDir = await mkdtemp(join(tmpdir(), 'staff-console-'));
    return {
      env: { ...BASE_ENV, REDIS_URL: '', DATABASE_URL: '', DATA_DIR: dataDir },
      cleanUp: () => rm(dataDir, { recursive: true, force: true }),
    };
  },
};

let browser: Browser | undefined;

beforeAll(async () => {
  await mkdir(SHOTS, { recursive: true });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

// ---- driving the two pages ---------------------------------------------------------------

interface WebchatReply {
  text: string;
  locale: string;
}

/** Opens a page and records uncaught script errors, which must stay empty. */
async function openPage(context: BrowserContext, url: string, streamPath: string): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  // The live stream's response headers arrive once the server has subscribed it.
  const streamOpen = page.waitForResponse((response) => new URL(response.url()).pathname === streamPath, SLOW);
  await page.goto(url);
  await streamOpen;
  return { page, errors };
}

/** Types into the web chat and returns what the server answered to that message. */
async function patientSays(page: Page, text: string): Promise<WebchatReply[]> {
  const answered = page.waitForResponse(
    (response) => response.url().endsWith('/api/webchat/messages') && response.request().method() === 'POST',
    SLOW,
  );
  await page.locator('#message-input').fill(text);
  await page.locator('#message-input').press('Enter');
  const body = (await (await answered).json()) as { replies: WebchatReply[] };
  return body.replies;
}

/** Each staff reply is on the page exactly once, labelled as clinic staff with the name. */
async function expectStaffRepliesOnce(page: Page, texts: string[]): Promise<void> {
  for (const text of texts) await page.locator('.msg--staff', { hasText: text }).first().waitFor(SLOW);
  // Give a late duplicate (live and fetched) time to show up before counting.
  await page.waitForTimeout(500);
  for (const text of texts) {
    const bubble = page.locator('.msg--staff', { hasText: text });
    expect(await bubble.count()).toBe(1);
    const bubbleText = await bubble.innerText();
    expect(bubbleText).toContain('Clinic staff');
    expect(bubbleText).toContain(STAFF.displayName);
  }
}

async function signIn(page: Page, user: { email: string; password: string }): Promise<void> {
  await page.locator('#signin-email').waitFor(SLOW);
  await page.locator('#signin-email').fill(user.email);
  await page.locator('#signin-password').fill(user.password);
  await page.locator('#signin-password').press('Enter');
  await page.locator('#console-view').waitFor(SLOW);
}

function shot(page: Page, label: string, name: string): Promise<Buffer> {
  return page.screenshot({ path: join(SHOTS, `${label}-${name}.png`) });
}

// ---- the handoff, on each backend ----------------------------------------------------------

describe.each([realServices, embeddedDefaults])('staff console handoff ($label)', (backend) => {
  let app: RunningApp | undefined;
  let cleanUp: (() => Promise<void>) | undefined;
  let patientContext: BrowserContext | undefined;
  let staffContext: BrowserContext | undefined;
  let colleagueContext: BrowserContext | undefined;

  beforeAll(async () => {
    const prepared = await backend.prepare();
    cleanUp = prepared.cleanUp;
    app = await startApp(prepared.env, { watchLocales: false });
    for (const user of [STAFF, COLLEAGUE, ADMIN]) {
      const created = await app.runtime.records.staff.create({
        email: user.email,
        displayName: user.displayName,
        role: user === ADMIN ? 'admin' : 'staff',
        passwordHash: await hashPassword(user.password),
      });
      expect(created.outcome).toBe('created');
    }
  });

  afterAll(async () => {
    await patientContext?.close();
    await staffContext?.close();
    await colleagueContext?.close();
    await app?.stop();
    await cleanUp?.();
  });

  it('a patient asks for a person; staff claims, replies, hears back live and hands back to the bot', { timeout: 180_000 }, async () => {
    if (!browser || !app) throw new Error('setup failed');
    const label = backend.label;
    staffContext = await browser.newContext({ viewport: VIEWPORT, locale: 'en-GB' });
    patientContext = await browser.newContext({ viewport: VIEWPORT, locale: 'en-US' });

    // Staff signs in first and watches an empty queue.
    const staff = await openPage(staffContext, `${app.url}/staff`, '/staff/api/session');
    await signIn(staff.page, STAFF);
    await staff.page.locator('#connection[data-state="live"]').waitFor(SLOW);
    expect(await staff.page.locator('#queue-empty').isVisible()).toBe(true);
    expect(await staff.page.locator('#me-name').innerText()).toBe(STAFF.displayName);
    expect(await staff.page.locator('#tab-staff').isHidden()).toBe(true);
    await shot(staff.page, label, '1-console-empty-queue');
    // Marks this page load: if anything reloaded the page, the mark would be gone.
    await staff.page.evaluate(() => Object.assign(window, { staffConsoleMark: 'not reloaded' }));

    // The patient asks for a person and gets the acknowledgement with the expected wait.
    const patient = await openPage(patientContext, app.url, '/api/webchat/events');
    const ack = await patientSays(patient.page, 'I need to talk to a person');
    expect(ack).toHaveLength(1);
    expect(ack[0]?.text).toMatch(/staff/i);
    await patient.page.locator('.msg--bot', { hasText: ack[0]?.text ?? '' }).waitFor(SLOW);
    await shot(patient.page, label, '2-patient-asked-for-person');

    // The request arrives in the console's queue by itself, marked new.
    const item = staff.page.locator('.queue-item', { hasText: 'I need to talk to a person' });
    await item.waitFor(SLOW);
    expect(await staff.page.evaluate(() => 'staffConsoleMark' in window)).toBe(true);
    expect(await item.getAttribute('class')).toMatch(/\bis-new\b/);
    const itemText = await item.innerText();
    expect(itemText).toContain('Asked to talk to a person');
    expect(itemText).toContain('Web chat');
    expect(itemText).toContain('Not claimed');
    expect(itemText).toMatch(/MEDIUM/i);
    expect(await staff.page.locator('#queue-announcer').innerText()).toContain('New in the queue');
    await shot(staff.page, label, '3-console-new-in-queue');

    // Opening it shows the transcript; replying needs a claim first.
    await item.locator('button').click();
    await staff.page.locator('.entry--patient', { hasText: 'I need to talk to a person' }).waitFor(SLOW);
    await staff.page.locator('.entry--bot').first().waitFor(SLOW);
    expect(await staff.page.locator('#reply-input').isDisabled()).toBe(true);
    expect(await staff.page.locator('#reply-hint').innerText()).toMatch(/Claim this conversation/);

    // A colleague whose live feed is cut (the indicator says so) opens the same conversation.
    colleagueContext = await browser.newContext({ viewport: VIEWPORT, locale: 'en-GB' });
    await colleagueContext.route('**/staff/api/events', (route) => route.abort());
    const colleague = await openPage(colleagueContext, `${app.url}/staff`, '/staff/api/session');
    await signIn(colleague.page, COLLEAGUE);
    await colleague.page.locator('#connection[data-state="reconnecting"]').waitFor(SLOW);
    expect(await colleague.page.locator('#connection').innerText()).toContain('Reconnecting');
    const colleagueItem = colleague.page.locator('.queue-item', { hasText: 'I need to talk to a person' });
    await colleagueItem.locator('button').click();
    await colleague.page.locator('.entry--patient', { hasText: 'I need to talk to a person' }).waitFor(SLOW);

    await staff.page.locator('#claim-button').click();
    await staff.page.locator('#conversation-status[data-state="mine"]').waitFor(SLOW);
    expect(await staff.page.locator('#reply-input').isEnabled()).toBe(true);
    await expect.poll(() => item.innerText(), SLOW).toContain('Claimed by you');

    // The colleague, not told live, tries to claim too and is told in words who has it.
    await colleague.page.locator('#claim-button').click();
    await colleague.page.locator('#conversation-error').waitFor(SLOW);
    expect(await colleague.page.locator('#conversation-error').innerText()).toBe('Already claimed by Ana.');
    await expect.poll(() => colleagueItem.innerText(), SLOW).toContain('Claimed by Ana');
    expect(await colleague.page.locator('#reply-input').isDisabled()).toBe(true);
    expect(await colleague.page.locator('#reply-hint').innerText()).toContain('Only Ana can reply');
    await shot(colleague.page, label, '4a-console-colleague-already-claimed');
    expect(colleague.errors).toEqual([]);
    await colleagueContext.close();
    colleagueContext = undefined;

    // Enter sends the reply; the patient's page shows it live, labelled as clinic staff.
    await staff.page.locator('#reply-input').fill(STAFF_REPLY);
    await staff.page.locator('#reply-input').press('Enter');
    await staff.page.locator('.entry--staff', { hasText: STAFF_REPLY }).waitFor(SLOW);
    expect(await staff.page.locator('#reply-input').inputValue()).toBe('');
    // The console says who replied, under the name the patient saw.
    expect(await staff.page.locator('.entry--staff .entry-author').last().innerText()).toBe(`${STAFF.displayName} · Clinic staff`);
    await shot(staff.page, label, '4-console-claimed-and-replied');

    const staffBubble = patient.page.locator('.msg--staff', { hasText: STAFF_REPLY });
    await staffBubble.waitFor(SLOW);
    const staffBubbleText = await staffBubble.innerText();
    expect(staffBubbleText).toContain('Clinic staff');
    expect(staffBubbleText).toContain(STAFF.displayName);
    await shot(patient.page, label, '5-patient-sees-staff-reply');

    // A reply sent while the patient's page is closed appears, once, when they come back.
    await patient.page.goto('about:blank');
    await staff.page.locator('#reply-input').fill(MISSED_REPLY);
    await staff.page.locator('#reply-input').press('Enter');
    await staff.page.locator('.entry--staff', { hasText: MISSED_REPLY }).waitFor(SLOW);
    await patient.page.goto(app.url);
    await expectStaffRepliesOnce(patient.page, [STAFF_REPLY, MISSED_REPLY]);
    // A new tab has no saved history: it fetches every staff reply, each shown once.
    const patientTab = await openPage(patientContext, app.url, '/api/webchat/events');
    await expectStaffRepliesOnce(patientTab.page, [STAFF_REPLY, MISSED_REPLY]);
    expect(patientTab.errors).toEqual([]);
    await patientTab.page.close();
    await shot(patient.page, label, '5b-patient-sees-missed-staff-reply');

    // The patient writes again: the bot stays silent, the console shows the message live.
    const botBubbles = await patient.page.locator('.msg--bot').count();
    const silent = await patientSays(patient.page, 'Can I come in tomorrow morning instead?');
    expect(silent).toEqual([]);
    await staff.page.locator('.entry--patient', { hasText: 'Can I come in tomorrow morning instead?' }).waitFor(SLOW);
    expect(await patient.page.locator('.msg--bot').count()).toBe(botBubbles);
    // The live echo of our own reply came before that message, and was not shown twice.
    expect(await staff.page.locator('.entry--staff', { hasText: STAFF_REPLY }).count()).toBe(1);
    await shot(staff.page, label, '6-console-patient-wrote-live');

    // Resolve asks first, then hands the conversation back to the bot.
    await staff.page.locator('#resolve-button').click();
    await staff.page.locator('#confirm-dialog').waitFor(SLOW);
    expect(await staff.page.locator('#confirm-title').innerText()).toMatch(/back to the assistant/);
    await shot(staff.page, label, '7-console-confirm-resolve');
    await staff.page.locator('#confirm-ok').click();
    await staff.page.locator('#conversation-status[data-state="resolved"]').waitFor(SLOW);
    await item.waitFor({ state: 'detached', ...SLOW });
    expect(await staff.page.locator('#reply-form').isHidden()).toBe(true);
    await shot(staff.page, label, '8-console-resolved');

    // The bot answers the patient's next message again.
    const answer = await patientSays(patient.page, 'what services do you have?');
    expect(answer.length).toBeGreaterThan(0);
    expect(answer.map((reply) => reply.text).join('\n')).toMatch(/Teeth cleaning/);
    await patient.page.locator('.msg--bot', { hasText: 'Teeth cleaning' }).waitFor(SLOW);
    await shot(patient.page, label, '9-patient-bot-answers-again');

    expect(staff.errors).toEqual([]);
    expect(patient.errors).toEqual([]);
  });

  it('shows a Hebrew-speaking patient right to left in the console', { timeout: 120_000 }, async () => {
    if (!browser || !app || !staffContext) throw new Error('the handoff test must run first');
    const label = backend.label;
    const hebrewContext = await browser.newContext({ viewport: VIEWPORT, locale: 'he-IL' });
    try {
      const [staffPage] = staffContext.pages();
      if (!staffPage) throw new Error('the staff page is gone');
      const patient = await openPage(hebrewContext, app.url, '/api/webchat/events');
      await patient.page.waitForFunction(() => document.documentElement.dir === 'rtl', undefined, SLOW);

      const request = 'שלום, אני רוצה לדבר עם בן אדם בבקשה';
      const ack = await patientSays(patient.page, request);
      expect(ack[0]?.locale).toBe('he');
      await patient.page.locator('.msg--bot').first().waitFor(SLOW);
      await shot(patient.page, label, '10-patient-hebrew');

      const item = staffPage.locator('.queue-item', { hasText: request });
      await item.waitFor(SLOW);
      expect(await item.innerText()).toContain('Hebrew');
      const lastMessage = item.locator('.queue-last');
      await expect.poll(() => lastMessage.evaluate((element) => getComputedStyle(element).direction), SLOW).toBe('rtl');

      await item.locator('button').click();
      const patientLine = staffPage.locator('.entry--patient .entry-text', { hasText: request });
      await patientLine.waitFor(SLOW);
      expect(await patientLine.getAttribute('dir')).toBe('auto');
      expect(await patientLine.evaluate((element) => getComputedStyle(element).direction)).toBe('rtl');
      const botLine = staffPage.locator('.entry--bot .entry-text').first();
      expect(await botLine.evaluate((element) => getComputedStyle(element).direction)).toBe('rtl');
      expect(await staffPage.locator('#conversation-facts').innerText()).toContain('Hebrew (he)');
      // The console's own words stay English and left to right.
      expect(await staffPage.evaluate(() => getComputedStyle(document.body).direction)).toBe('ltr');
      await shot(staffPage, label, '11-console-hebrew');

      expect(patient.errors).toEqual([]);
    } finally {
      await hebrewContext.close();
    }
  });

  it('lets an admin add a staff member, change a role and disable an account', { timeout: 120_000 }, async () => {
    if (!browser || !app) throw new Error('setup failed');
    const context = await browser.newContext({ viewport: VIEWPORT, locale: 'en-GB' });
    try {
      const admin = await openPage(context, `${app.url}/staff`, '/staff/api/session');
      await signIn(admin.page, ADMIN);
      await admin.page.locator('#tab-staff').click();
      const rows = admin.page.locator('#users-body tr');
      await rows.nth(2).waitFor(SLOW);
      const own = rows.filter({ hasText: ADMIN.email });
      expect(await own.innerText()).toContain('you');
      // An admin cannot demote or disable themselves from the console.
      expect(await own.locator('select').isDisabled()).toBe(true);
      expect(await own.getByRole('button', { name: `Disable ${ADMIN.displayName}` }).isDisabled()).toBe(true);

      // A too-short password is refused before anything is sent, in words.
      await admin.page.locator('#new-name').fill('Carla');
      await admin.page.locator('#new-email').fill('carla@clinic.test');
      await admin.page.locator('#new-password').fill('short');
      await admin.page.locator('#add-user-button').click();
      expect(await admin.page.locator('#add-user-error').innerText()).toBe('The password needs at least 12 characters.');

      await admin.page.locator('#new-password').fill('carla-first-password');
      await admin.page.locator('#add-user-button').click();
      const carla = rows.filter({ hasText: 'carla@clinic.test' });
      await carla.waitFor(SLOW);
      expect(await admin.page.locator('#users-status').innerText()).toBe('Carla can now sign in.');

      await carla.locator('select').selectOption('admin');
      await expect.poll(() => admin.page.locator('#users-status').innerText(), SLOW).toBe('Carla is now Admin.');

      await carla.getByRole('button', { name: 'Disable Carla' }).click();
      await admin.page.locator('#confirm-dialog').waitFor(SLOW);
      await admin.page.locator('#confirm-ok').click();
      await expect.poll(() => admin.page.locator('#users-status').innerText(), SLOW).toBe('Carla is disabled.');
      await expect.poll(() => carla.innerText(), SLOW).toContain('Disabled');
      await shot(admin.page, backend.label, '12-console-staff-accounts');

      const stored = await app.runtime.records.staff.findCredentials('carla@clinic.test');
      expect(stored?.user.role).toBe('admin');
      expect(stored?.user.disabledAt).not.toBeNull();
      expect(admin.errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
