import { writeFileSync } from 'node:fs';
import { cp, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTranslator, type Translator } from '../../../src/i18n/i18n.js';
import { defaultLocalesDir } from '../../../src/i18n/locales-dir.js';
import { isIgnored, isLocaleFile, watchLocales, type LocaleWatcher } from '../../../src/i18n/watch.js';
import { makeTempDir, removeDir } from './fixtures.js';

async function waitFor(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function editJson(file: string, edit: (data: Record<string, unknown>) => void): Promise<void> {
  const data = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  edit(data);
  await writeFile(file, JSON.stringify(data, null, 2));
}

describe('createTranslator().reload', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await makeTempDir('reload');
    await cp(defaultLocalesDir(), dir, { recursive: true });
  });
  afterEach(async () => {
    await removeDir(dir);
  });

  it('throws on broken JSON before swapping, so the previous resources stay in use', async () => {
    const translator = await createTranslator(dir);
    const before = translator.t('es', 'fallback.error');
    await writeFile(path.join(dir, 'es', 'bot.json'), '{ "fallback": { "error": "roto" ');
    await expect(translator.reload()).rejects.toThrow(/es[\\/]bot\.json/);
    expect(translator.t('es', 'fallback.error')).toBe(before);
  });
});

describe('watchLocales', () => {
  let dir: string;
  let translator: Translator;
  let watcher: LocaleWatcher | undefined;
  let changes: number;
  let errors: Error[];

  beforeEach(async () => {
    dir = await makeTempDir('watch');
    await cp(defaultLocalesDir(), dir, { recursive: true });
    translator = await createTranslator(dir);
    changes = 0;
    errors = [];
    watcher = watchLocales(
      dir,
      async () => {
        await translator.reload();
        changes += 1;
      },
      (error) => errors.push(error),
    );
  });
  afterEach(async () => {
    watcher?.close();
    await removeDir(dir);
  });

  it('serves an edited string without a restart, keeps the old text while a file is broken, and recovers', async () => {
    const file = path.join(dir, 'ru', 'bot.json');
    const original = translator.t('ru', 'fallback.empty');

    await editJson(file, (data) => {
      (data.fallback as Record<string, string>).empty = 'Сообщение пустое. Чем помочь?';
    });
    await waitFor(() => translator.t('ru', 'fallback.empty') === 'Сообщение пустое. Чем помочь?', 'the edit to show up');
    expect(translator.t('ru', 'fallback.empty')).not.toBe(original);
    expect(errors).toEqual([]);

    await writeFile(file, '{ "fallback": { "empty": "Сломано" }');
    await waitFor(() => errors.length > 0, 'onError');
    expect(errors[0]?.message).toMatch(/ru[\\/]bot\.json/);
    expect(translator.t('ru', 'fallback.empty')).toBe('Сообщение пустое. Чем помочь?');

    await writeFile(file, JSON.stringify({ ...JSON.parse(await readFile(path.join(defaultLocalesDir(), 'ru', 'bot.json'), 'utf8')) }));
    await waitFor(() => translator.t('ru', 'fallback.empty') === original, 'the fixed file to load');
  });

  it('follows an atomic save (write a temp file, rename it over the original)', async () => {
    const file = path.join(dir, 'he', 'bot.json');
    const data = JSON.parse(await readFile(file, 'utf8')) as { general: Record<string, string> };
    data.general.anything_else = 'בסדר גמור. עוד משהו?';
    const temp = path.join(dir, 'he', '.bot.json.tmp-123');
    await writeFile(temp, JSON.stringify(data));
    await rename(temp, file);
    await waitFor(() => translator.t('he', 'general.anything_else') === 'בסדר גמור. עוד משהו?', 'the renamed file to load');
  });

  it('debounces a burst of writes into one reload', async () => {
    const file = path.join(dir, 'es', 'bot.json');
    const data = JSON.parse(await readFile(file, 'utf8')) as { general: Record<string, string> };
    for (let i = 1; i <= 5; i += 1) {
      data.general.anything_else = `Versión ${i}`;
      writeFileSync(file, JSON.stringify(data));
    }
    await waitFor(() => translator.t('es', 'general.anything_else') === 'Versión 5', 'the last version');
    await sleep(300);
    expect(changes).toBe(1);
  });

  it('ignores editor temp files', async () => {
    await writeFile(path.join(dir, 'pt', '.bot.json.swp'), 'x');
    await writeFile(path.join(dir, 'pt', 'bot.json~'), 'x');
    await writeFile(path.join(dir, 'pt', '4913'), '');
    await sleep(400);
    expect(changes).toBe(0);
    expect(errors).toEqual([]);
  });

  it('watches a language folder created after it started', async () => {
    await mkdir(path.join(dir, 'fr'));
    await waitFor(() => changes >= 1, 'the new folder to be noticed');
    const before = changes;
    await writeFile(path.join(dir, 'fr', 'bot.json'), '{}');
    await waitFor(() => changes > before, 'a change inside the new folder');
  });

  it('stops calling back after close()', async () => {
    watcher?.close();
    await editJson(path.join(dir, 'es', 'bot.json'), (data) => {
      (data.general as Record<string, string>).anything_else = 'Cerrado';
    });
    await sleep(400);
    expect(changes).toBe(0);
  });
});

describe('temp-file filter', () => {
  it('takes locale files and leaves editor files alone', () => {
    expect(isLocaleFile('bot.json')).toBe(true);
    expect(isLocaleFile('nlu.json')).toBe(true);
    for (const name of ['.bot.json.swp', 'bot.json~', '#bot.json#', '.#bot.json', 'bot.json___jb_tmp___', '4913', 'bot.json.tmp', 'bot.json.crswap']) {
      expect(isLocaleFile(name), name).toBe(false);
    }
    expect(isIgnored('ru')).toBe(false);
    expect(isIgnored('.git')).toBe(true);
  });
});
