/**
 * Runs labelled sets through the assistant's reading and scores them per language: intent
 * accuracy (the intent the chart acts on), entity accuracy (every labelled field right and
 * nothing extra), errors per entity field, and the intent confusions.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { DateTime } from 'luxon';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { Clinic } from '../config/catalog-schema.js';
import { loadClinic } from '../config/clinic.js';
import { isLocale, SUPPORTED_LOCALES, type Locale } from '../core/locale.js';
import type { Intent } from '../core/nlu.js';
import { createNlu, type Nlu, type NluLexicons } from '../nlu/index.js';
import { LabelFileError, loadLabelFile, type LabelledItem } from './labels.js';
import { ENTITY_FIELDS, expectedReading, readMessage, type EntityField, type Reading } from './reading.js';
import { situationOf } from './situation.js';

/** `test/nlu-eval/sets.yaml`: what every set under that folder was written against. */
const setsConfigSchema = z.strictObject({
  /** The catalog, relative to the config file. */
  clinic: z.string().min(1),
  /** Clinic-local date and time relative dates are resolved against, e.g. "2026-12-07T09:00". */
  referenceTime: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'expected YYYY-MM-DDTHH:MM'),
});

export interface EvalSetup {
  readonly clinic: Clinic;
  readonly nlu: Nlu;
  readonly now: Date;
}

export async function loadEvalSetup(root: string, lexicons: NluLexicons): Promise<EvalSetup> {
  const file = path.join(root, 'sets.yaml');
  let raw: unknown;
  try {
    raw = parseYaml(await readFile(file, 'utf8'));
  } catch (error) {
    throw new LabelFileError(`${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = setsConfigSchema.safeParse(raw);
  if (!parsed.success) {
    throw new LabelFileError(parsed.error.issues.map((issue) => `${file}: ${issue.path.join('.')}: ${issue.message}`).join('\n'));
  }
  const clinic = await loadClinic(path.resolve(root, parsed.data.clinic));
  const reference = DateTime.fromISO(parsed.data.referenceTime, { zone: clinic.timeZone });
  if (!reference.isValid) throw new LabelFileError(`${file}: referenceTime: not a valid time`);
  return { clinic, nlu: createNlu(clinic, lexicons), now: reference.toJSDate() };
}

export interface ItemResult {
  readonly locale: Locale;
  readonly file: string;
  readonly item: LabelledItem;
  readonly expected: Reading;
  readonly got: Reading;
  readonly intentOk: boolean;
  /** Entity fields that differ. */
  readonly wrongFields: readonly EntityField[];
}

export interface LanguageScore {
  readonly locale: Locale;
  readonly items: number;
  readonly intentCorrect: number;
  readonly entitiesCorrect: number;
}

export interface SetResult {
  readonly name: string;
  readonly folder: string;
  readonly results: readonly ItemResult[];
  readonly languages: readonly LanguageScore[];
}

/** The language files of one set folder (`<lang>.yaml`), in the shipped order. */
export async function setFiles(folder: string): Promise<{ locale: Locale; file: string }[]> {
  const names = await readdir(folder).catch(() => {
    throw new LabelFileError(`${folder}: no such set folder`);
  });
  const files: { locale: Locale; file: string }[] = [];
  for (const name of names) {
    if (!name.endsWith('.yaml')) continue;
    const base = name.slice(0, -'.yaml'.length);
    if (!isLocale(base)) throw new LabelFileError(`${path.join(folder, name)}: the file name must be a language (${SUPPORTED_LOCALES.join(', ')})`);
    files.push({ locale: base, file: path.join(folder, name) });
  }
  if (files.length === 0) throw new LabelFileError(`${folder}: no <lang>.yaml files`);
  return files.sort((a, b) => SUPPORTED_LOCALES.indexOf(a.locale) - SUPPORTED_LOCALES.indexOf(b.locale));
}

/** Loads every file of a set first (so a malformed one stops the run before any score), then scores. */
export async function evaluateSet(name: string, folder: string, setup: EvalSetup): Promise<SetResult> {
  const files = await setFiles(folder);
  const loaded = [];
  const problems: string[] = [];
  for (const { locale, file } of files) {
    try {
      loaded.push({ locale, file, items: await loadLabelFile(file, setup.clinic) });
    } catch (error) {
      if (!(error instanceof LabelFileError)) throw error;
      problems.push(error.message);
    }
  }
  if (problems.length > 0) throw new LabelFileError(problems.join('\n'));
  const results: ItemResult[] = [];
  for (const { locale, file, items } of loaded) {
    for (const item of items) results.push(scoreItem(locale, file, item, setup));
  }
  return { name, folder, results, languages: languageScores(results) };
}

export function scoreItem(locale: Locale, file: string, item: LabelledItem, setup: EvalSetup): ItemResult {
  const situation = situationOf(item, locale, setup);
  const { reading: got } = readMessage(item.label.text, situation, setup);
  const expected = expectedReading(item.label);
  const wrongFields = ENTITY_FIELDS.filter((field) => !sameValue(expected[field], got[field]));
  return { locale, file, item, expected, got, intentOk: expected.intent === got.intent, wrongFields };
}

function sameValue(a: Reading[EntityField], b: Reading[EntityField]): boolean {
  if (Array.isArray(a) || Array.isArray(b)) return JSON.stringify(a ?? []) === JSON.stringify(b ?? []);
  return a === b;
}

function languageScores(results: readonly ItemResult[]): LanguageScore[] {
  return SUPPORTED_LOCALES.flatMap((locale) => {
    const own = results.filter((r) => r.locale === locale);
    if (own.length === 0) return [];
    return [
      {
        locale,
        items: own.length,
        intentCorrect: own.filter((r) => r.intentOk).length,
        entitiesCorrect: own.filter((r) => r.wrongFields.length === 0).length,
      },
    ];
  });
}

export interface Confusion {
  readonly expected: Intent;
  readonly got: Intent;
  readonly items: readonly ItemResult[];
}

/** Intent mix-ups, most frequent first. */
export function confusions(results: readonly ItemResult[]): Confusion[] {
  const byPair = new Map<string, ItemResult[]>();
  for (const result of results) {
    if (result.intentOk) continue;
    const key = `${result.expected.intent}>${result.got.intent}`;
    byPair.set(key, [...(byPair.get(key) ?? []), result]);
  }
  return [...byPair.values()]
    .map((items) => ({ expected: items[0]?.expected.intent ?? 'unknown', got: items[0]?.got.intent ?? 'unknown', items }))
    .sort((a, b) => b.items.length - a.items.length || a.expected.localeCompare(b.expected));
}

/** How many items got each entity field wrong. */
export function fieldErrors(results: readonly ItemResult[]): Map<EntityField, number> {
  const counts = new Map<EntityField, number>();
  for (const result of results) for (const field of result.wrongFields) counts.set(field, (counts.get(field) ?? 0) + 1);
  return counts;
}
