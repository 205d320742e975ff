/**
 * A patient books, reschedules and cancels from the chat page in each of the five languages
 * (headless Chromium against the real app on its embedded defaults). Each reply is checked for
 * the words that only the right outcome, in the right language, contains.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { startApp } from '../../src/app.js';
import type { Locale } from '../../src/core/locale.js';
import { replyLanguage } from '../support/language.js';

const SHOTS = join(process.cwd(), 'test-results');

interface Journey {
  book: string;
  yes: string;
  reschedule: string;
  cancel: string;
  booked: RegExp;
  moved: RegExp;
  cancelled: RegExp;
}

const JOURNEYS: Record<Locale, Journey> = {
  en: { book: 'I want to book a cleaning', yes: 'yes', reschedule: 'I need to reschedule my appointment', cancel: 'Please cancel my appointment', booked: /Done! You're booked/, moved: /Done! Your .* is now on/, cancelled: /is cancelled/ },
  es: { book: 'Quiero reservar una limpieza', yes: 'sí', reschedule: 'Necesito cambiar mi cita', cancel: 'Quiero cancelar mi cita', booked: /ha quedado reservada/, moved: /[Ll]isto/, cancelled: /cancelad/ },
  ru: { book: 'Хочу записаться на чистку', yes: 'да', reschedule: 'Хочу перенести запись', cancel: 'Отмените мою запись', booked: /Вы записаны/, moved: /перенес/, cancelled: /отменен/ },
  he: { book: 'אני רוצה לקבוע תור לניקוי שיניים', yes: 'כן', reschedule: 'אני רוצה להזיז את התור', cancel: 'אני רוצה לבטל את התור', booked: /התור נקבע/, moved: /הועבר/, cancelled: /בוטל/ },
  pt: { book: 'Quero marcar uma limpeza', yes: 'sim', reschedule: 'Quero remarcar a minha consulta', cancel: 'Quero cancelar a minha marcação', booked: /está confirmada/, moved: /[Pp]ronto/, cancelled: /cancelada/ },
};

let app: { url: string; stop(): Promise<void> } | undefined;
let browser: Browser | undefined;
let dataDir: string | undefined;

beforeAll(async () => {await mkdir(SHOTS, { recursive: true });
  dataDir = await mkdtemp(join(tmpdir(), 'webchat-languages-'));
  app = await startApp({ ...process.env, PORT: '0', DATA_DIR: dataDir, REDIS_URL: '', DATABASE_URL: '', LOG_LEVEL: 'warn' });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** Sends a message (typed, or by tapping option 1) and returns the text of the bot replies it produced. */
async function exchange(page: Page, action: () => Promise<void>): Promise<string> {
  const before = await page.locator('.msg--bot').count();
  await action();
  await page.waitForFunction((count) => document.querySelectorAll('.msg--bot').length > count, before, { timeout: 20_000 });
  await page.locator('#typing').waitFor({ state: 'hidden' });
  const texts = await page.locator('.msg--bot').allInnerTexts();
  return texts.slice(before).join('\n');
}

const type = (page: Page, text: string) => async () => {
  await page.locator('#message-input').fill(text);
  await page.locator('#message-input').press('Enter');
};
const tapFirstOption = (page: Page) => async () => {
  await page.locator('.msg--bot button.option:not([disabled])').first().click();
};

describe('book, reschedule and cancel from the chat page', () => {
  it.each(Object.keys(JOURNEYS) as Locale[])('in %s', async (locale) => {
    if (!browser || !app) throw new Error('setup failed');
    const journey = JOURNEYS[locale];
    const context = await browser.newContext({ viewport: { width: 375, height: 667 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    try {
      await page.goto(app.url);
      await page.selectOption('#language', locale);
      await page.waitForFunction((lang) => document.documentElement.lang === lang, locale);
      expect(await page.evaluate(() => document.documentElement.dir)).toBe(locale === 'he' ? 'rtl' : 'ltr');

      const offer = await exchange(page, type(page, journey.book));
      expect(replyLanguage(offer)).toBe(locale);
      expect(await page.locator('.msg--bot button.option:not([disabled])').count()).toBeGreaterThan(0);
      await exchange(page, tapFirstOption(page));
      expect(await exchange(page, type(page, journey.yes))).toMatch(journey.booked);

      const moveOffer = await exchange(page, type(page, journey.reschedule));
      expect(replyLanguage(moveOffer)).toBe(locale);
      // Take a later time than the booked one: the second option.
      await exchange(page, async () => page.locator('.msg--bot button.option:not([disabled])').nth(1).click());
      expect(await exchange(page, type(page, journey.yes))).toMatch(journey.moved);

      const confirmCancel = await exchange(page, type(page, journey.cancel));
      expect(replyLanguage(confirmCancel)).toBe(locale);
      const cancelled = await exchange(page, type(page, journey.yes));
      expect(cancelled).toMatch(journey.cancelled);
      expect(replyLanguage(cancelled)).toBe(locale);
      await page.screenshot({ path: join(SHOTS, `webchat-journey-${locale}.png`) });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
