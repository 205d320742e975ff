import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SUPPORTED_LOCALES } from '../../../src/core/locale.js';
import { loadNluLexicons, nluLexiconSchema } from '../../../src/nlu/index.js';
import { normalizeWord } from '../../../src/nlu/normalize.js';
import { LOCALES_DIR } from './support.js';

/** Every key path of a JSON value, arrays counted as leaves. */
function keyPaths(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [prefix];
  return Object.entries(value).flatMap(([key, child]) => keyPaths(child, prefix ? `${prefix}.${key}` : key));
}

function lists(value: unknown, prefix = ''): [string, unknown[]][] {
  if (Array.isArray(value)) return [[prefix, value]];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) => lists(child, prefix ? `${prefix}.${key}` : key));
}

async function rawLexicon(locale: string): Promise<unknown> {
  return JSON.parse(await readFile(join(LOCALES_DIR, locale, 'nlu.json'), 'utf8'));
}

describe('shipped nlu.json phrase lists', () => {
  it('all load and validate', async () => {
    const lexicons = await loadNluLexicons(LOCALES_DIR);
    expect(Object.keys(lexicons).sort()).toEqual([...SUPPORTED_LOCALES].sort());
  });

  it('have the same keys in every language', async () => {
    const english = keyPaths(await rawLexicon('en'));
    for (const locale of SUPPORTED_LOCALES) expect(keyPaths(await rawLexicon(locale)), locale).toEqual(english);
  });

  it('list no phrase twice in one list', async () => {
    for (const locale of SUPPORTED_LOCALES) {
      for (const [path, phrases] of lists(await rawLexicon(locale))) {
        // markers are raw letter sequences ("n't" and "n’t" differ on purpose); phrases compare normalized
        const normalized =
          path === 'detection.markers'
            ? phrases.map(String)
            : phrases.map((p) => normalizeWord(String(p)).replace(/[^\p{L}\p{N}]+/gu, ' ').trim());
        const repeated = normalized.filter((p, i) => normalized.indexOf(p) !== i);
        expect(repeated, `${locale} ${path}`).toEqual([]);
      }
    }
  });

  it('have emergency keywords for every kind in every language', async () => {
    const lexicons = await loadNluLexicons(LOCALES_DIR);
    for (const locale of SUPPORTED_LOCALES) {
      for (const [kind, words] of Object.entries(lexicons[locale].emergency)) expect(words.length, `${locale} ${kind}`).toBeGreaterThan(3);
    }
  });
});

describe('loadNluLexicons errors', () => {
  let dir = '';
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function copyWith(locale: string, content: string): Promise<string> {
    dir = await mkdtemp(join(tmpdir(), 'nlu-lexicons-'));
    for (const l of SUPPORTED_LOCALES) {
      await mkdir(join(dir, l));
      const source = await readFile(join(LOCALES_DIR, l, 'nlu.json'), 'utf8');
      await writeFile(join(dir, l, 'nlu.json'), l === locale ? content : source);
    }
    return join(dir, locale, 'nlu.json');
  }

  it('names the file and the JSON path of a bad entry', async () => {
    const lexicon = nluLexiconSchema.parse(await rawLexicon('es'));
    const broken = { ...lexicon, intents: { ...lexicon.intents, book: ['reservar', 'Pedir Cita'] } };
    const file = await copyWith('es', JSON.stringify(broken));
    await expect(loadNluLexicons(dir)).rejects.toThrow(file);
    await expect(loadNluLexicons(dir)).rejects.toThrow('intents.book[1]: phrases must be lowercase');
  });

  it('names the file and the missing key', async () => {
    const { detection: _detection, ...withoutDetection } = nluLexiconSchema.parse(await rawLexicon('he'));
    const file = await copyWith('he', JSON.stringify(withoutDetection));
    await expect(loadNluLexicons(dir)).rejects.toThrow(new RegExp(`${file}: detection: `));
  });

  it('names the file when the JSON is malformed', async () => {
    const file = await copyWith('ru', '{ "intents": ');
    await expect(loadNluLexicons(dir)).rejects.toThrow(`${file}: invalid JSON`);
  });
});
