/**
 * A reminder on the web chat page, in headless Chromium, over the running app on the real
 * Redis and PostgreSQL with a clock the test sets: the patient books on the page, the reminder
 * arrives on the page by itself (the live stream) with its three answers as buttons, and
 * tapping "Confirm" confirms the appointment. Screenshots: /tmp/screens/reminder-webchat-*.png.
 */
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { type Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app.js';
import { launchChromium } from '../support/browser.js';
import { DATABASE_URL, REDIS_URL, removeTestPlace, requirePostgres, requireRedis, uniqueName } from '../support/services.js';
import { mondayAt, TestClock } from '../integration/reminders/harness.js';

const SHOTS = '/tmp/screens';
const SLOW = { timeout: 30_000 };
const REQUEST = 'I want a teeth cleaning tomorrow at 10';
const schema = uniqueName('webchat_reminder');
const prefix = `test:${schema}`;
const clock = new TestClock();
let app: RunningApp;
let browser: Browser | undefined;

beforeAll(async () => {
  await requireRedis();
  await requirePostgres();
  await mkdir(SHOTS, { recursive: true });
  clock.set(mondayAt('08:00'));
  app = await startApp(
    {
      PORT: '0',
      HOST: '127.0.0.1',
      APP_ENV: 'test',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
      REDIS_URL,
      DATABASE_URL,
      DATABASE_SCHEMA: schema,
      REDIS_KEY_PREFIX: prefix,
      OPENAI_API_KEY: '',
      OPENAI_BASE_URL: '',
    },
    { watchLocales: false, now: clock.now },
  );
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await removeTestPlace(schema, prefix);
});

it('arrives on the open page with its answers as buttons; "Confirm" confirms the appointment', { timeout: 120_000 }, async () => {
  if (!browser) throw new Error('no browser');
  // The first time offered tomorrow at 10 (asked in another conversation).
  const probe = await app.runtime.assistant.handle({ channel: 'webchat', conversationId: `probe-${randomUUID()}`, senderId: 'probe', messageId: randomUUID(), text: REQUEST, at: new Date() });
  const slotId = probe[0]?.options?.[0]?.id ?? '';
  const startsAt = new Date(slotId.slice(slotId.indexOf('@') + 1));
  const dueAt = startsAt.getTime() - 86_400_000;

  const context = await browser.newContext({ viewport: { width: 390, height: 780 }, locale: 'en-GB' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const streamOpen = page.waitForResponse((response) => new URL(response.url()).pathname === '/api/webchat/events', SLOW);
  clock.set(new Date(dueAt - 60_000));
  await page.goto(app.url);
  await streamOpen;

  const say = async (text: string) => {
    const before = await page.locator('.msg--bot').count();
    await page.locator('#message-input').fill(text);
    await page.locator('#message-input').press('Enter');
    await page.waitForFunction((count) => document.querySelectorAll('.msg--bot').length > count, before, SLOW);
  };
  await say(REQUEST);
  await say('1');
  expect(await page.locator('.msg--bot').last().innerText()).toMatch(/Shall I book Teeth cleaning/);
  clock.set(new Date(dueAt - 2_500));
  await say('yes');
  expect(await page.locator('.msg--bot').last().innerText()).toMatch(/You're booked for Teeth cleaning/);

  // Nothing typed: the reminder comes by itself.
  const reminder = page.locator('.msg--bot', { hasText: 'Reminder from Smile Dental Clinic' });
  await reminder.waitFor(SLOW);
  const buttons = reminder.locator('button.option:not([disabled])');
  expect(await buttons.allInnerTexts()).toEqual([
    expect.stringMatching(/^1\.?\s*Confirm: I'll be there$/),
    expect.stringMatching(/^2\.?\s*Change the time$/),
    expect.stringMatching(/^3\.?\s*Cancel the appointment$/),
  ]);
  await page.screenshot({ path: join(SHOTS, 'reminder-webchat-1-reminder.png') });

  const before = await page.locator('.msg--bot').count();
  await buttons.first().click();
  await page.waitForFunction((count) => document.querySelectorAll('.msg--bot').length > count, before, SLOW);
  expect(await page.locator('.msg--bot').last().innerText()).toMatch(/Thank you! Your Teeth cleaning with .* is confirmed/);
  await page.screenshot({ path: join(SHOTS, 'reminder-webchat-2-confirmed.png') });
  expect(errors).toEqual([]);
  await context.close();

  const db = new pg.Client({ connectionString: DATABASE_URL, options: `-c search_path=${schema}` });
  await db.connect();
  const rows = (await db.query<{ status: string; outcome: string }>(
    'select a.status, r.outcome from appointments a join appointment_reminders r on r.appointment_id = a.id',
  )).rows;
  await db.end();
  expect(rows).toEqual([{ status: 'confirmed', outcome: 'confirmed' }]);
});
