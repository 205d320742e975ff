import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import i18next, { type i18n as I18nextInstance, type Resource } from 'i18next';
import { intlTag, RTL_LOCALES, SUPPORTED_LOCALES, type Locale } from '../core/locale.js';

/** Namespaces rendered for people; nlu.json holds phrase lists for the NLU, not messages. */
export const MESSAGE_NAMESPACES = ['bot', 'webchat', 'teams'] as const;
export type MessageNamespace = (typeof MESSAGE_NAMESPACES)[number];

export interface Translator {
  t(locale: Locale, key: string, params?: Record<string, unknown>, namespace?: MessageNamespace): string;
  /** Every key of a namespace for one language, flattened, for pages that need their strings. */
  strings(locale: Locale, namespace: MessageNamespace): Record<string, string>;
  dir(locale: Locale): 'ltr' | 'rtl';
  /** Re-reads the locale files; a broken file keeps the previous resources and throws. */
  reload(): Promise<void>;
  /** Changes on every successful reload: what was rendered from the files before is stale. */
  generation(): number;
}

export async function readLocaleResources(localesDir: string): Promise<Resource> {
  const resources: Resource = {};
  for (const locale of SUPPORTED_LOCALES) {
    // Registered under the Intl tag (pt-PT) so i18next picks that language's plural rules.
    const bundle: Resource[string] = {};
    resources[intlTag(locale)] = bundle;
    const files = await readdir(path.join(localesDir, locale)).catch(() => [] as string[]);
    for (const namespace of MESSAGE_NAMESPACES) {
      // A shipped language without its file would silently answer in English: refuse instead.
      if (!files.includes(`${namespace}.json`)) throw new Error(`${path.join(localesDir, locale, `${namespace}.json`)} is missing`);
      const file = path.join(localesDir, locale, `${namespace}.json`);
      const text = await readFile(file, 'utf8');
      try {
        bundle[namespace] = JSON.parse(text) as Record<string, unknown>;
      } catch (error) {
        throw new Error(`${file}: ${(error as Error).message}`);
      }
    }
  }
  return resources;
}

type FixedT = ReturnType<I18nextInstance['getFixedT']>;

export async function createTranslator(localesDir: string): Promise<Translator> {
  let instance = await buildInstance(await readLocaleResources(localesDir));
  // A fixed t per language and namespace, built once per loaded set of files: building one costs
  // several times what using it does, and a reply uses a few.
  let fixed = new Map<string, FixedT>();
  let generation = 0;
  const fixedT = (locale: Locale, namespace: MessageNamespace): FixedT => {
    const key = `${locale}|${namespace}`;
    let t = fixed.get(key);
    if (!t) {
      t = instance.getFixedT(intlTag(locale), namespace);
      fixed.set(key, t);
    }
    return t;
  };
  return {
    t: (locale, key, params, namespace = 'bot') => fixedT(locale, namespace)(key, params ?? {}),
    strings: (locale, namespace) =>
      flatten(instance.getResourceBundle(intlTag(locale), namespace) ?? instance.getResourceBundle('en', namespace) ?? {}),
    dir: (locale) => (RTL_LOCALES.includes(locale) ? 'rtl' : 'ltr'),
    reload: async () => {
      instance = await buildInstance(await readLocaleResources(localesDir));
      fixed = new Map();
      generation += 1;
    },
    generation: () => generation,
  };
}

async function buildInstance(resources: Resource): Promise<I18nextInstance> {
  const instance = i18next.createInstance();
  await instance.init({
    resources,
    lng: 'en',
    fallbackLng: 'en',
    supportedLngs: SUPPORTED_LOCALES.map(intlTag),
    ns: [...MESSAGE_NAMESPACES],
    defaultNS: 'bot',
    // Replies are plain text sent to chat apps, never HTML.
    interpolation: { escapeValue: false },
    returnNull: false,
    initAsync: false,
  });
  return instance;
}

function flatten(tree: Record<string, unknown>, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(tree)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out[name] = value;
    else if (value && typeof value === 'object') Object.assign(out, flatten(value as Record<string, unknown>, name));
  }
  return out;
}
