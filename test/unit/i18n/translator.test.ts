/**
 * The translator fills precompiled templates itself instead of calling i18next's t(): it must
 * say exactly what i18next would, for every message of every shipped language, with and without
 * a count (plural forms, "_zero", decimals), a missing variable, and a key no language has.
 */
import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { intlTag, SUPPORTED_LOCALES } from '../../../src/core/locale.js';
import { createTranslator, MESSAGE_NAMESPACES, readLocaleResources } from '../../../src/i18n/i18n.js';
import { defaultLocalesDir } from '../../../src/i18n/locales-dir.js';

const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;

describe('translator', () => {
  it('says what i18next says, message by message, in every language', async () => {
    const resources = await readLocaleResources(defaultLocalesDir());
    const reference = i18next.createInstance();
    await reference.init({
      resources,
      lng: 'en',
      fallbackLng: 'en',
      ns: [...MESSAGE_NAMESPACES],
      defaultNS: 'bot',
      interpolation: { escapeValue: false },
      returnNull: false,
      initAsync: false,
    });
    const translator = await createTranslator(defaultLocalesDir());
    const keysOf = (tree: Record<string, unknown>, prefix = ''): string[] =>
      Object.entries(tree).flatMap(([key, value]) =>
        typeof value === 'string' ? [`${prefix}${key}`.replace(PLURAL_SUFFIX, '')] : keysOf(value as Record<string, unknown>, `${prefix}${key}.`),
      );
    let compared = 0;
    for (const namespace of MESSAGE_NAMESPACES) {
      const keys = [...new Set(keysOf((resources.en?.[namespace] ?? {}) as Record<string, unknown>)), 'no.such.key'];
      for (const locale of SUPPORTED_LOCALES) {
        const t = reference.getFixedT(intlTag(locale), namespace);
        for (const key of keys) {
          for (const params of [{}, { name: 'Ana', service: 'X' }, ...[0, 1, 2, 3, 5, 11, 21, 1.5].map((count) => ({ count, formattedCount: String(count) }))]) {
            expect(translator.t(locale, key, params, namespace), `${locale} ${namespace}:${key} ${JSON.stringify(params)}`).toBe(t(key, params));
            compared += 1;
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(5000);
  });
});
