/**
 * `npm run nlu:eval [-- --set tune] [--lang ru] [--details] [--min-intent 95]`
 *
 * Scores the offline NLU on the labelled sets under test/nlu-eval/ (every set folder, or the one
 * named). Exit codes: 0 done; 1 a language is below --min-intent; 2 a malformed set or bad usage
 * (the message names the file and the item).
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DateTime } from 'luxon';
import { isLocale, type Locale } from '../core/locale.js';
import { defaultLocalesDir } from '../i18n/locales-dir.js';
import { loadNluLexicons } from '../nlu/index.js';
import { confusions, evaluateSet, fieldErrors, loadEvalSetup, type EvalSetup, type ItemResult, type SetResult } from './evaluate.js';
import { LabelFileError } from './labels.js';
import type { Reading } from './reading.js';

const DEFAULT_ROOT = fileURLToPath(new URL('../../test/nlu-eval', import.meta.url));
const EXAMPLES_PER_CONFUSION = 4;

interface Options {
  root: string;
  sets: string[];
  lang: Locale | null;
  details: boolean;
  minIntent: number | null;
}

class UsageError extends Error {}

const USAGE = 'usage: npm run nlu:eval [-- --set <name>]... [--dir <folder>] [--lang en|es|ru|he|pt] [--details] [--min-intent <pct>]';

function parseOptions(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      options: {
        set: { type: 'string', multiple: true },
        dir: { type: 'string' },
        lang: { type: 'string' },
        details: { type: 'boolean', default: false },
        'min-intent': { type: 'string' },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    });
  } catch (error) {
    // "Unknown option '--detail'" and the like: say what was wrong and how to call it, without a stack.
    throw new UsageError(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  }
}

function readOptions(argv: string[]): Options | 'help' {
  const { values } = parseOptions(argv);
  if (values.help) return 'help';
  if (values.lang !== undefined && !isLocale(values.lang)) throw new UsageError(`--lang: unknown language "${values.lang}"`);
  const minIntent = values['min-intent'] === undefined ? null : Number(values['min-intent']);
  if (minIntent !== null && !(minIntent >= 0 && minIntent <= 100)) throw new UsageError('--min-intent: expected a percentage from 0 to 100');
  return {
    root: path.resolve(values.dir ?? DEFAULT_ROOT),
    sets: values.set ?? [],
    lang: values.lang !== undefined && isLocale(values.lang) ? values.lang : null,
    details: values.details,
    minIntent,
  };
}

async function allSets(root: string): Promise<string[]> {
  const entries = await readdir(root, { withFileTypes: true }).catch(() => {
    throw new LabelFileError(`${root}: no such folder`);
  });
  return entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
}

const percent = (part: number, whole: number): string => (whole === 0 ? '   -  ' : `${((100 * part) / whole).toFixed(1).padStart(5)}%`);

function describe(reading: Reading): string {
  const { intent, ...fields } = reading;
  const parts = Object.entries(fields).map(([key, value]) => `${key}=${Array.isArray(value) ? `[${value.join(',')}]` : String(value)}`);
  return [intent, ...parts].join(' ');
}

function where(result: ItemResult): string {
  return `${result.locale} #${result.item.index}${result.item.label.context ? ` (${result.item.label.context})` : ''}`;
}

function report(set: SetResult, setup: EvalSetup, options: Options): string[] {
  const results = set.results.filter((r) => options.lang === null || r.locale === options.lang);
  const languages = set.languages.filter((l) => options.lang === null || l.locale === options.lang);
  const reference = DateTime.fromJSDate(setup.now, { zone: setup.clinic.timeZone }).toFormat("yyyy-MM-dd HH:mm");
  const lines = [
    `NLU evaluation, set "${set.name}" (${path.relative(process.cwd(), set.folder) || set.folder}): clinic ${setup.clinic.id}, reference ${reference} ${setup.clinic.timeZone}`,
    '',
    'language  items   intent accuracy   entity accuracy',
  ];
  const row = (name: string, items: number, intent: number, entities: number) =>
    `${name.padEnd(8)} ${String(items).padStart(6)}   ${String(intent).padStart(4)}  ${percent(intent, items)}     ${String(entities).padStart(4)}  ${percent(entities, items)}`;
  for (const l of languages) lines.push(row(l.locale, l.items, l.intentCorrect, l.entitiesCorrect));
  const sum = (pick: (l: (typeof languages)[number]) => number) => languages.reduce((n, l) => n + pick(l), 0);
  if (languages.length > 1) lines.push(row('all', sum((l) => l.items), sum((l) => l.intentCorrect), sum((l) => l.entitiesCorrect)));

  const mixups = confusions(results);
  lines.push('', mixups.length === 0 ? 'Intent confusions: none' : 'Intent confusions (expected → got):');
  for (const c of mixups) {
    lines.push(`  ${c.expected} → ${c.got}  ×${c.items.length}`);
    for (const r of c.items.slice(0, options.details ? c.items.length : EXAMPLES_PER_CONFUSION)) lines.push(`      [${where(r)}] "${r.item.label.text}"`);
  }
  const fields = [...fieldErrors(results).entries()].sort((a, b) => b[1] - a[1]);
  lines.push('', fields.length === 0 ? 'Entity errors: none' : `Entity errors by field: ${fields.map(([field, n]) => `${field} ${n}`).join(', ')}`);
  if (options.details) {
    for (const r of results.filter((x) => x.wrongFields.length > 0 || !x.intentOk)) {
      lines.push(`  [${where(r)}] "${r.item.label.text}"`, `      expected: ${describe(r.expected)}`, `      got:      ${describe(r.got)}`);
    }
  } else if (fields.length > 0) {
    lines.push('  (--details lists every item with a wrong intent or entity)');
  }
  return lines;
}

async function main(argv: string[]): Promise<number> {
  const options = readOptions(argv);
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const lexicons = await loadNluLexicons(defaultLocalesDir());
  const setup = await loadEvalSetup(options.root, lexicons);
  const names = options.sets.length > 0 ? options.sets : await allSets(options.root);
  if (names.length === 0) throw new UsageError(`${options.root}: no set folders`);
  let belowFloor = false;
  for (const name of names) {
    const set = await evaluateSet(name, path.join(options.root, name), setup);
    process.stdout.write(`${report(set, setup, options).join('\n')}\n\n`);
    if (options.minIntent !== null) {
      const floor = options.minIntent;
      const low = set.languages.filter((l) => (options.lang === null || l.locale === options.lang) && (100 * l.intentCorrect) / l.items < floor);
      for (const l of low) process.stderr.write(`set ${name}: ${l.locale} intent accuracy is below ${floor}%\n`);
      if (low.length > 0) belowFloor = true;
    }
  }
  return belowFloor ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const known = error instanceof LabelFileError || error instanceof UsageError || (error instanceof Error && error.name === 'ConfigError');
    process.stderr.write(`nlu:eval: ${known ? (error as Error).message : String(error instanceof Error ? (error.stack ?? error.message) : error)}\n`);
    process.exitCode = 2;
  },
);
