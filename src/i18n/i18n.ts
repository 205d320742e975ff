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

/** A message's text cut at its {{variables}}: literal text and variable names, alternately. */
type Template = string[];

const VARIABLE = /\{\{\s*([^{}\s]+)\s*\}\}/;

function compile(text: string): Template {
  // split() with a capturing group alternates text and variable names: [text, name, text, …].
  return text.split(VARIABLE);
}

function fill(template: Template, params: Record<string, unknown>): string {
  let out = template[0] ?? '';
  for (let i = 1; i < template.length; i += 2) {
    const name = template[i] ?? '';
    const value = params[name];
    // As i18next does: a variable nobody passed stays visible rather than vanishing.
    out += (value === undefined ? `{{${name}}}` : String(value)) + (template[i + 1] ?? '');
  }
  return out;
}

export async function createTranslator(localesDir: string): Promise<Translator> {
  let instance = await buildInstance(await readLocaleResources(localesDir));
  let generation = 0;
  // Messages are looked up as i18next does (the language, then English; with a count, the
  // plural form i18next's own rules pick, a count of 0 preferring "_zero"), but each text is
  // cut at its variables once per loaded set of files and filled in directly: i18next's own t()
  // costs several times more, and a reply uses a few.
  let templates = new Map<string, Template>();

  /** The text in one language (`code`, an i18next language), or undefined; a context ("dental") tries `key_context` first, as i18next does. */
  function lookUpIn(code: string, namespace: MessageNamespace, key: string, count: number | undefined, context: string | undefined): string | undefined {
    const forms = (base: string): string[] =>
      count === undefined ? [base] : [...(count === 0 ? [`${base}_zero`] : []), `${base}${instance.services.pluralResolver.getSuffix(code, count)}`, base];
    const keys = context ? [...forms(`${key}_${context}`), ...forms(key)] : forms(key);
    for (const candidate of keys) {
      const text: unknown = instance.getResource(code, namespace, candidate);
      if (typeof text === 'string') return text;
    }
    return undefined;
  }

  function translate(locale: Locale, key: string, params: Record<string, unknown> = {}, namespace: MessageNamespace = 'bot'): string {
    const count = typeof params.count === 'number' ? params.count : undefined;
    const context = typeof params.context === 'string' && params.context.length > 0 ? params.context : undefined;
    const code = intlTag(locale);
    const form = count === undefined ? '' : count === 0 ? '_zero' : instance.services.pluralResolver.getSuffix(code, count);
    const cacheKey = `${locale}|${namespace}|${key}|${form}|${context ?? ''}`;
    let template = templates.get(cacheKey);
    if (template === undefined) {
      const own = lookUpIn(code, namespace, key, count, context);
      if (own === undefined) {
        // Not in this language: English, by English plural rules (rare; i18n:check reports it), not cached.
        const english = locale === 'en' ? undefined : lookUpIn('en', namespace, key, count, context);
        return english === undefined ? key : fill(compile(english), params);
      }
      template = compile(own);
      templates.set(cacheKey, template);
    }
    return fill(template, params);
  }

  return {
    t: translate,
    strings: (locale, namespace) =>
      flatten(instance.getResourceBundle(intlTag(locale), namespace) ?? instance.getResourceBundle('en', namespace) ?? {}),
    dir: (locale) => (RTL_LOCALES.includes(locale) ? 'rtl' : 'ltr'),
    reload: async () => {
      instance = await buildInstance(await readLocaleResources(localesDir));
      templates = new Map();
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
