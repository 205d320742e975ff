import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { SUPPORTED_LOCALES } from '../core/locale.js';
import { MESSAGE_NAMESPACES } from './i18n.js';

/**
 * Compares every language's locale files with the English source: files that are missing or
 * not valid JSON, missing and extra keys, interpolation variables that differ, plural forms the
 * language needs or does not use, empty strings. Only reads; the CLI decides the exit code.
 */

export type Severity = 'error' | 'warning';

export type IssueKind =
  | 'missing-folder'
  | 'missing-file'
  | 'extra-file'
  | 'invalid-json'
  | 'not-an-object'
  | 'missing-key'
  | 'extra-key'
  | 'type-mismatch'
  | 'variables'
  | 'malformed-interpolation'
  | 'missing-plural'
  | 'extra-plural'
  | 'plural-count'
  | 'empty-string'
  | 'empty-list';

export interface CheckIssue {
  severity: Severity;
  kind: IssueKind;
  locale: string;
  /** "bot", "webchat", "nlu", …; empty for a whole language folder. */
  namespace: string;
  /** Shown to translators, relative to the folder holding the locales folder: "locales/ru/bot.json". */
  file: string;
  /** The key the issue is about (a plural group's base key, without the suffix). */
  key?: string;
  /** Readable text without the file name: "missing key booking.confirm". */
  message: string;
}

export interface CheckedFile {
  file: string;
  locale: string;
  namespace: string;
  /** False for a language folder that is not (yet) one of the shipped locales; its errors only warn. */
  shipped: boolean;
  errors: number;
  warnings: number;
}

export interface CheckReport {
  localesDir: string;
  /** Languages checked: the shipped ones first, then any other language folder found. */
  locales: string[];
  /** The English namespace files (without .json). */
  namespaces: string[];
  files: CheckedFile[];
  /** Grouped by file, in the order of `files`. */
  issues: CheckIssue[];
  errorCount: number;
  warningCount: number;
  /** True when no shipped locale has an error (warnings do not count). */
  ok: boolean;
}

const SOURCE_LOCALE = 'en';
/** Namespaces whose values are phrase lists for the NLU: only their key structure is compared. */
export const PHRASE_NAMESPACES: readonly string[] = ['nlu'];
const PLURAL_CATEGORIES = ['zero', 'one', 'two', 'few', 'many', 'other'] as const;
type PluralCategory = (typeof PLURAL_CATEGORIES)[number];
const PLURAL_KEY = /^(.+)_(ordinal_)?(zero|one|two|few|many|other)$/;
/** A language folder name such as "fr" or "pt-BR"; anything else under locales/ is not a language. */
const LANGUAGE_FOLDER = /^[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$/;

export async function checkLocales(localesDir: string): Promise<CheckReport> {
  const root = path.resolve(localesDir);
  const shown = path.basename(root);
  const display = (...parts: string[]): string => [shown, ...parts].join('/');
  const issues: CheckIssue[] = [];
  const files: CheckedFile[] = [];

  const folders = await listDirectories(root);
  const extraLocales = folders
    .filter((name) => LANGUAGE_FOLDER.test(name) && !(SUPPORTED_LOCALES as readonly string[]).includes(name))
    .sort();
  const locales: string[] = [...SUPPORTED_LOCALES, ...extraLocales];

  if (folders.length === 0 && !(await isDirectory(root))) {
    issues.push({
      severity: 'error',
      kind: 'missing-folder',
      locale: SOURCE_LOCALE,
      namespace: '',
      file: display(),
      message: `locales folder not found: ${root}`,
    });
    return summarize(root, locales, [], files, issues);
  }

  const englishFiles = await listJsonFiles(path.join(root, SOURCE_LOCALE));
  const namespaces = orderNamespaces([
    ...new Set([...MESSAGE_NAMESPACES, ...englishFiles.map((file) => file.slice(0, -'.json'.length))]),
  ]);

  // English first: it is the reference for everything else.
  const english = new Map<string, Tree | null>();
  for (const namespace of namespaces) {
    const file = display(SOURCE_LOCALE, `${namespace}.json`);
    const sink = fileSink(issues, files, { file, locale: SOURCE_LOCALE, namespace, shipped: true });
    const tree = await loadTree(path.join(root, SOURCE_LOCALE, `${namespace}.json`), sink);
    english.set(namespace, tree);
    if (tree) checkSource(tree, namespace, sink);
    sink.done();
  }

  for (const locale of locales) {
    if (locale === SOURCE_LOCALE) continue;
    const shipped = (SUPPORTED_LOCALES as readonly string[]).includes(locale);
    if (!folders.includes(locale)) {
      issues.push({
        severity: shipped ? 'error' : 'warning',
        kind: 'missing-folder',
        locale,
        namespace: '',
        file: display(locale),
        message: `missing language folder (${locale} is a shipped locale)`,
      });
      continue;
    }
    const present = await listJsonFiles(path.join(root, locale));
    for (const namespace of namespaces) {
      const file = display(locale, `${namespace}.json`);
      const sink = fileSink(issues, files, { file, locale, namespace, shipped });
      const tree = await loadTree(path.join(root, locale, `${namespace}.json`), sink);
      const source = english.get(namespace);
      if (tree && source) {
        if (PHRASE_NAMESPACES.includes(namespace)) comparePhrases(source, tree, sink);
        else compareMessages(source, tree, locale, sink);
      }
      sink.done();
    }
    for (const name of present) {
      const namespace = name.slice(0, -'.json'.length);
      if (namespaces.includes(namespace)) continue;
      issues.push({
        severity: 'warning',
        kind: 'extra-file',
        locale,
        namespace,
        file: display(locale, name),
        message: `not an English namespace (there is no ${SOURCE_LOCALE}/${name}); it is ignored`,
      });
    }
  }

  return summarize(root, locales, namespaces, files, issues);
}

// ---------------------------------------------------------------------------------------------
// Reading

type Leaf =
  | { type: 'string'; value: string }
  | { type: 'list'; value: unknown[] }
  | { type: 'other'; value: unknown };
type Tree = Map<string, Leaf>;

interface Sink {
  add(severity: Severity, kind: IssueKind, message: string, key?: string): void;
  done(): void;
}

function fileSink(
  issues: CheckIssue[],
  files: CheckedFile[],
  where: { file: string; locale: string; namespace: string; shipped: boolean },
): Sink {
  const entry: CheckedFile = { ...where, errors: 0, warnings: 0 };
  const own: CheckIssue[] = [];
  return {
    add(severity, kind, message, key) {
      // A language that is not shipped yet cannot break the build; its problems only warn.
      const level: Severity = where.shipped ? severity : 'warning';
      own.push({ severity: level, kind, locale: where.locale, namespace: where.namespace, file: where.file, ...(key === undefined ? {} : { key }), message });
      if (level === 'error') entry.errors += 1;
      else entry.warnings += 1;
    },
    done() {
      files.push(entry);
      issues.push(...own);
    },
  };
}

async function loadTree(file: string, sink: Sink): Promise<Tree | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    sink.add('error', 'missing-file', code === 'ENOENT' ? 'missing file' : `cannot read file: ${(error as Error).message}`);
    return null;
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    sink.add('error', 'invalid-json', describeJsonError(text, error as Error));
    return null;
  }
  if (!isPlainObject(data)) {
    sink.add('error', 'not-an-object', `the file must hold a JSON object, found ${describeType(data)}`);
    return null;
  }
  const tree: Tree = new Map();
  flatten(data, '', tree);
  return tree;
}

function flatten(node: Record<string, unknown>, prefix: string, out: Tree): void {
  for (const [name, value] of Object.entries(node)) {
    const key = prefix ? `${prefix}.${name}` : name;
    if (typeof value === 'string') out.set(key, { type: 'string', value });
    else if (Array.isArray(value)) out.set(key, { type: 'list', value });
    else if (isPlainObject(value)) flatten(value, key, out);
    else out.set(key, { type: 'other', value });
  }
}

/** "invalid JSON at line 3, column 12: Expected ',' or '}' after property value". */
export function describeJsonError(text: string, error: Error): string {
  const offset = jsonErrorOffset(text, error.message);
  const { line, column } = lineAndColumn(text, offset);
  // V8 quotes the whole input in some messages ("Unexpected token '}', "{…}" is not valid JSON").
  const reason = error.message
    .replace(/^(Unexpected (?:token|non-whitespace character) .+?), (?:\.\.\.)?".*" is not valid JSON$/s, '$1')
    .replace(/ in JSON at position \d+.*$/s, '');
  if (text.startsWith('\uFEFF')) return 'invalid JSON: the file starts with a byte-order mark (BOM); save it as UTF-8 without BOM';
  return `invalid JSON at line ${line}, column ${column}: ${reason}`;
}

/**
 * Where JSON.parse gave up. Node 20 names the position for most errors but not for
 * "Unexpected token"; then the longest prefix that can still start a valid document is found
 * by bisection (a prefix is viable when parsing it fails only for running out of input).
 */
function jsonErrorOffset(text: string, message: string): number {
  const stated = /at position (\d+)/.exec(message);
  if (stated?.[1] !== undefined) return Number(stated[1]);
  if (/Unexpected end of JSON input/.test(message)) return text.length;
  let low = 0;
  let high = text.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (isViablePrefix(text.slice(0, middle))) low = middle;
    else high = middle - 1;
  }
  return Math.min(low, text.length);
}

function isViablePrefix(prefix: string): boolean {
  try {
    JSON.parse(prefix);
    return true;
  } catch (error) {
    const message = (error as Error).message;
    if (/Unexpected end of JSON input/.test(message)) return true;
    const stated = /at position (\d+)/.exec(message);
    return stated?.[1] !== undefined && Number(stated[1]) >= prefix.length;
  }
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: (before[before.length - 1]?.length ?? 0) + 1 };
}

// ---------------------------------------------------------------------------------------------
// Message namespaces (bot, webchat)

interface PluralGroup {
  base: string;
  ordinal: boolean;
  forms: Map<PluralCategory, Leaf>;
}

interface Grouped {
  plain: Map<string, Leaf>;
  plurals: Map<string, PluralGroup>;
}

function groupKeys(tree: Tree): Grouped {
  const plain = new Map<string, Leaf>();
  const plurals = new Map<string, PluralGroup>();
  for (const [key, leaf] of tree) {
    const match = PLURAL_KEY.exec(key);
    if (!match?.[1] || !match[3]) {
      plain.set(key, leaf);
      continue;
    }
    const ordinal = match[2] !== undefined;
    const id = groupId(match[1], ordinal);
    const group = plurals.get(id) ?? { base: match[1], ordinal, forms: new Map<PluralCategory, Leaf>() };
    group.forms.set(match[3] as PluralCategory, leaf);
    plurals.set(id, group);
  }
  return { plain, plurals };
}

const groupId = (base: string, ordinal: boolean): string => (ordinal ? `${base}_ordinal` : base);
const suffix = (group: { ordinal: boolean }, category: PluralCategory): string =>
  group.ordinal ? `_ordinal_${category}` : `_${category}`;

/** English itself: strings only, none empty, well-formed interpolation, English plural forms. */
function checkSource(tree: Tree, namespace: string, sink: Sink): void {
  if (PHRASE_NAMESPACES.includes(namespace)) {
    for (const [key, leaf] of tree) checkPhraseLeaf(key, leaf, sink);
    return;
  }
  const { plain, plurals } = groupKeys(tree);
  for (const [key, leaf] of plain) checkString(key, leaf, sink);
  for (const group of plurals.values()) {
    checkPluralCategories(group, SOURCE_LOCALE, new Set(), sink);
    for (const [category, leaf] of group.forms) checkString(group.base + suffix(group, category), leaf, sink);
  }
}

function compareMessages(sourceTree: Tree, targetTree: Tree, locale: string, sink: Sink): void {
  const source = groupKeys(sourceTree);
  const target = groupKeys(targetTree);

  for (const [key, sourceLeaf] of source.plain) {
    const leaf = target.plain.get(key);
    if (leaf) {
      if (checkString(key, leaf, sink) && sourceLeaf.type === 'string' && leaf.type === 'string') {
        compareVariables(key, variablesOf(sourceLeaf.value), [leaf.value], sink);
      }
    } else if (target.plurals.has(key)) {
      sink.add('error', 'type-mismatch', `${key}: English has one string, this file has plural forms; use a single ${key} key`, key);
    } else {
      sink.add('error', 'missing-key', `missing key ${key}`, key);
    }
  }

  for (const [id, sourceGroup] of source.plurals) {
    const group = target.plurals.get(id);
    const wanted = pluralCategories(locale, sourceGroup.ordinal).map((category) => suffix(sourceGroup, category));
    if (!group) {
      if (!sourceGroup.ordinal && target.plain.has(sourceGroup.base)) {
        sink.add(
          'error',
          'missing-plural',
          `${sourceGroup.base}: needs plural forms ${wanted.join(', ')} instead of a single string`,
          sourceGroup.base,
        );
      } else {
        sink.add('error', 'missing-key', `missing key ${sourceGroup.base} (plural: ${wanted.join(', ')})`, sourceGroup.base);
      }
      continue;
    }
    const sourceCategories = new Set(sourceGroup.forms.keys());
    checkPluralCategories(group, locale, sourceCategories, sink);
    const texts: string[] = [];
    for (const [category, leaf] of group.forms) {
      if (checkString(group.base + suffix(group, category), leaf, sink) && leaf.type === 'string') texts.push(leaf.value);
    }
    const sourceVariables = new Set<string>();
    for (const leaf of sourceGroup.forms.values()) {
      if (leaf.type === 'string') for (const name of variablesOf(leaf.value)) sourceVariables.add(name);
    }
    if (texts.length > 0) compareVariables(group.base, sourceVariables, texts, sink);
    if (sourceVariables.has('count')) checkCountShown(group, locale, sink);
  }

  for (const key of target.plain.keys()) {
    if (!source.plain.has(key) && !source.plurals.has(key)) sink.add('error', 'extra-key', `extra key ${key} (not in English)`, key);
  }
  for (const [id, group] of target.plurals) {
    if (source.plurals.has(id)) continue;
    if (!group.ordinal && source.plain.has(group.base)) continue; // reported above as type-mismatch
    const keys = [...group.forms.keys()].map((category) => group.base + suffix(group, category));
    sink.add('error', 'extra-key', `extra key ${group.base} (${keys.join(', ')}; not in English)`, group.base);
  }
}

/** True when the leaf is a usable string; otherwise reports why not. */
function checkString(key: string, leaf: Leaf, sink: Sink): boolean {
  if (leaf.type !== 'string') {
    sink.add('error', 'type-mismatch', `${key}: expected a string, found ${describeType(leaf.value)}`, key);
    return false;
  }
  if (leaf.value.trim() === '') {
    sink.add('error', 'empty-string', `${key}: empty string`, key);
    return false;
  }
  const stray = strayBraces(leaf.value);
  if (stray) {
    sink.add('error', 'malformed-interpolation', `${key}: unbalanced interpolation braces near "${stray}"`, key);
    return false;
  }
  return true;
}

function checkPluralCategories(group: PluralGroup, locale: string, sourceCategories: Set<PluralCategory>, sink: Sink): void {
  const needed = pluralCategories(locale, group.ordinal);
  const uses = needed.map((category) => suffix(group, category)).join(', ');
  const missing = needed.filter((category) => !group.forms.has(category));
  if (missing.length > 0) {
    const list = missing.map((category) => suffix(group, category)).join(', ');
    sink.add(
      'error',
      'missing-plural',
      `${group.base}: missing plural form${missing.length > 1 ? 's' : ''} ${list} (${locale} needs ${uses})`,
      group.base,
    );
  }
  // "_zero" is optional in every language: i18next uses it for a count of 0 when present.
  if (sourceCategories.has('zero') && !group.forms.has('zero')) {
    sink.add('warning', 'missing-plural', `${group.base}: English has ${suffix(group, 'zero')} (used for a count of 0), this file does not`, group.base);
  }
  const unused = [...group.forms.keys()].filter((category) => category !== 'zero' && !needed.includes(category));
  if (unused.length > 0) {
    const list = unused.map((category) => suffix(group, category)).join(', ');
    sink.add(
      'warning',
      'extra-plural',
      `${group.base}: plural form${unused.length > 1 ? 's' : ''} ${list} ${unused.length > 1 ? 'are' : 'is'} never used in ${locale} (${locale} uses ${uses})`,
      group.base,
    );
  }
}

/**
 * A form that covers several counts ("one" in Russian is 1, 21, 31, …) must show {{count}},
 * or "21" would read as "1". English may leave it out of "_one" because there it only means 1.
 */
function checkCountShown(group: PluralGroup, locale: string, sink: Sink): void {
  const rules = pluralRules(locale, group.ordinal);
  for (const [category, leaf] of group.forms) {
    if (leaf.type !== 'string' || variablesOf(leaf.value).has('count')) continue;
    const counts: number[] = [];
    for (let n = 0; n <= 1000 && counts.length < 4; n += 1) if (rules.select(n) === category) counts.push(n);
    // A form that stands for one number ("two" = 2) may spell it out; "one" = {0, 1} may too.
    if (counts.length < 2 || !counts.some((n) => n >= 2)) continue;
    sink.add(
      'warning',
      'plural-count',
      `${group.base}${suffix(group, category)}: in ${locale} this form is used for ${counts.join(', ')}, … but does not show {{count}}`,
      group.base,
    );
  }
}

function compareVariables(key: string, expected: Set<string>, texts: string[], sink: Sink): void {
  const found = new Set<string>();
  for (const text of texts) for (const name of variablesOf(text)) found.add(name);
  const missing = [...expected].filter((name) => !found.has(name));
  const unknown = [...found].filter((name) => !expected.has(name));
  if (missing.length === 0 && unknown.length === 0) return;
  const parts: string[] = [];
  if (missing.length > 0) parts.push(`missing ${missing.map(showVariable).join(', ')}`);
  if (unknown.length > 0) parts.push(`not in English ${unknown.map(showVariable).join(', ')}`);
  const single = missing.filter((name) => texts.some((text) => text.includes(`{${name}}`)));
  const hint = single.length > 0 ? ` (write {{${single[0]}}} with double braces)` : '';
  sink.add('error', 'variables', `${key}: interpolation differs from English: ${parts.join('; ')}${hint}`, key);
}

const showVariable = (name: string): string => (name.startsWith('$t(') ? name : `{{${name}}}`);

/** `{{name}}`, `{{- name}}`, `{{name, format}}` → name; nested `$t(key)` references count too. */
export function variablesOf(text: string): Set<string> {
  const names = new Set<string>();
  for (const match of text.matchAll(/\{\{([^{}]*)\}\}/g)) {
    const name = (match[1] ?? '').replace(/^\s*-\s*/, '').split(',')[0]?.trim();
    if (name) names.add(name);
  }
  for (const match of text.matchAll(/\$t\(([^()]+)\)/g)) names.add(`$t(${(match[1] ?? '').trim()})`);
  return names;
}

function strayBraces(text: string): string | null {
  const rest = text.replace(/\{\{[^{}]*\}\}/g, '');
  const at = Math.max(rest.indexOf('{{'), rest.indexOf('}}'));
  if (at < 0) return null;
  return rest.slice(Math.max(0, at - 12), at + 14);
}

const rulesCache = new Map<string, Intl.PluralRules>();

function pluralRules(locale: string, ordinal: boolean): Intl.PluralRules {
  const id = `${locale}:${ordinal ? 'ordinal' : 'cardinal'}`;
  let rules = rulesCache.get(id);
  if (!rules) {
    rules = new Intl.PluralRules(locale.replace('_', '-'), { type: ordinal ? 'ordinal' : 'cardinal' });
    rulesCache.set(id, rules);
  }
  return rules;
}

/** The categories i18next will ask for in this language, in CLDR order (one, two, few, many, other). */
export function pluralCategories(locale: string, ordinal = false): PluralCategory[] {
  const reported = pluralRules(locale, ordinal).resolvedOptions().pluralCategories;
  return PLURAL_CATEGORIES.filter((category) => (reported as readonly string[]).includes(category));
}

// ---------------------------------------------------------------------------------------------
// Phrase namespaces (nlu): same keys as English, lists of strings; contents differ by language

function comparePhrases(source: Tree, target: Tree, sink: Sink): void {
  for (const [key, sourceLeaf] of source) {
    const leaf = target.get(key);
    if (!leaf) {
      sink.add('error', 'missing-key', `missing key ${key}`, key);
      continue;
    }
    if (leaf.type !== sourceLeaf.type) {
      sink.add('error', 'type-mismatch', `${key}: English has ${describeLeaf(sourceLeaf)}, this file has ${describeLeaf(leaf)}`, key);
      continue;
    }
    if (!checkPhraseLeaf(key, leaf, sink)) continue;
    if (leaf.type === 'list' && leaf.value.length === 0 && sourceLeaf.type === 'list' && sourceLeaf.value.length > 0) {
      sink.add('warning', 'empty-list', `${key}: empty phrase list (English has ${sourceLeaf.value.length})`, key);
    }
  }
  for (const key of target.keys()) {
    if (!source.has(key)) sink.add('error', 'extra-key', `extra key ${key} (not in English)`, key);
  }
}

function checkPhraseLeaf(key: string, leaf: Leaf, sink: Sink): boolean {
  if (leaf.type === 'other') {
    sink.add('error', 'type-mismatch', `${key}: expected a list of phrases, found ${describeType(leaf.value)}`, key);
    return false;
  }
  if (leaf.type === 'string') {
    if (leaf.value.trim() !== '') return true;
    sink.add('error', 'empty-string', `${key}: empty string`, key);
    return false;
  }
  const bad = leaf.value.findIndex((item) => typeof item !== 'string');
  if (bad >= 0) {
    sink.add('error', 'type-mismatch', `${key}[${bad}]: expected a phrase (string), found ${describeType(leaf.value[bad])}`, key);
    return false;
  }
  const empty = leaf.value.findIndex((item) => typeof item === 'string' && item.trim() === '');
  if (empty >= 0) sink.add('warning', 'empty-string', `${key}[${empty}]: empty phrase`, key);
  return true;
}

// ---------------------------------------------------------------------------------------------
// Helpers

function summarize(root: string, locales: string[], namespaces: string[], files: CheckedFile[], issues: CheckIssue[]): CheckReport {
  const errorCount = issues.filter((issue) => issue.severity === 'error').length;
  return {
    localesDir: root,
    locales,
    namespaces,
    files,
    issues,
    errorCount,
    warningCount: issues.length - errorCount,
    ok: errorCount === 0,
  };
}

function orderNamespaces(names: string[]): string[] {
  const known = [...MESSAGE_NAMESPACES, ...PHRASE_NAMESPACES];
  const rank = (name: string): number => (known.includes(name) ? known.indexOf(name) : known.length);
  return names.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

async function listDirectories(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name);
}

async function isDirectory(dir: string): Promise<boolean> {
  return readdir(dir).then(
    () => true,
    () => false,
  );
}

async function listJsonFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.json') && !entry.name.startsWith('.'))
    .map((entry) => entry.name)
    .sort();
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value} (${JSON.stringify(value)})`;
}

function describeLeaf(leaf: Leaf): string {
  if (leaf.type === 'string') return 'a string';
  if (leaf.type === 'list') return 'a list';
  return describeType(leaf.value);
}
