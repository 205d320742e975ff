/**
 * The patient chat page in headless Chromium (Debian's `chromium` or the npm-shipped one, driven by playwright-core)
 * against the real app on its embedded defaults. Screenshots go to test-results/.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { startApp } from '../../src/app.js';

const SHOTS = join(process.cwd(), 'test-results');

let app: { url: string; stop(): Promise<void> } | undefined;
let browser: Browser | undefined;
let dataDir: string | undefined;

beforeAll(async () => {
  await mkdir(SHOTS, { recursive: true });
  dataDir = await mkdtemp(join(tmpdir(), 'webchat-page-'));
  app = await startApp({
    ...process.env,
    PORT: '0',
    DATA_DIR: dataDir,
    REDIS_URL: '',
    DATABASE_URL: '',
    LOG_LEVEL: 'warn',
  });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function botReplyCount(page: Page): Promise<number> {
  return page.locator('.msg--bot').count();
}

describe('web chat page on a phone-sized screen', () => {
  it('books in Spanish with option buttons, then mirrors for Hebrew', async () => {
    if (!browser || !app) throw new Error('setup failed');
    const context = await browser.newContext({ viewport: { width: 375, height: 667 }, locale: 'en-US' });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    try {
      await page.goto(app.url);
      await expect(page.title()).resolves.not.toBe('');

      // Pick Español: the page's own strings follow.
      const placeholderBefore = await page.locator('#message-input').getAttribute('placeholder');
      await page.selectOption('#language', 'es');
      await page.waitForFunction(() => document.documentElement.lang === 'es');
      expect(await page.locator('#message-input').getAttribute('placeholder')).not.toBe(placeholderBefore);

      // Type and send with Enter; a bot reply appears, with its options as buttons.
      await page.locator('#message-input').fill('Hola, quiero reservar una limpieza');
      await page.locator('#message-input').press('Enter');
      await page.locator('.msg--patient').first().waitFor();
      const optionButtons = page.locator('.msg--bot button.option:not([disabled])');
      await optionButtons.first().waitFor({ timeout: 20_000 });
      expect(await botReplyCount(page)).toBeGreaterThanOrEqual(1);
      expect(await optionButtons.count()).toBeGreaterThanOrEqual(1);
      expect((await optionButtons.first().innerText()).trim()).toMatch(/^1\./);
      await page.screenshot({ path: join(SHOTS, 'webchat-375-es-options.png'), fullPage: false });

      // Tap option 1: the next reply comes.
      const repliesBefore = await botReplyCount(page);
      await optionButtons.first().click();
      await page.waitForFunction(
        (count) => document.querySelectorAll('.msg--bot').length > count,
        repliesBefore,
        { timeout: 20_000 },
      );
      expect(await page.locator('#typing').isHidden()).toBe(true);
      await page.screenshot({ path: join(SHOTS, 'webchat-375-es-after-option.png') });

      // Switch to Hebrew: the whole document turns right-to-left.
      await page.selectOption('#language', 'he');
      await page.waitForFunction(() => document.documentElement.lang === 'he');
      expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
      await page.screenshot({ path: join(SHOTS, 'webchat-375-he.png') });

      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('says in the page\'s language that a message over the size limit is too long, and keeps it to edit', async () => {
    if (!browser || !app) throw new Error('setup failed');
    const context = await browser.newContext({ viewport: { width: 375, height: 667 }, locale: 'en-US' });
    const page = await context.newPage();
    try {
      await page.goto(app.url);
      await page.selectOption('#language', 'pt');
      await page.waitForFunction(() => document.documentElement.lang === 'pt');
      const huge = 'Quero marcar uma limpeza. '.repeat(800);
      await page.locator('#message-input').fill(huge);
      await page.locator('#message-input').press('Enter');
      const error = page.locator('#error');
      await error.waitFor({ state: 'visible', timeout: 20_000 });
      expect(await error.innerText()).toBe('A sua mensagem é demasiado longa para enviar. Encurte-a e tente novamente, por favor.');
      expect(await page.locator('#message-input').inputValue()).toBe(huge);
      await page.screenshot({ path: join(SHOTS, 'webchat-375-pt-too-long.png') });
    } finally {
      await context.close();
    }
  });
});
