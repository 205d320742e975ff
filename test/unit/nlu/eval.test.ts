/**
 * The NLU evaluation (`npm run nlu:eval`): a floor on the tune set, so a change that makes the
 * assistant understand patients worse fails `npm test`; and the runner's handling of bad label files.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadClinic } from '../../../src/config/clinic.js';
import { SUPPORTED_LOCALES } from '../../../src/core/locale.js';
import { loadNluLexicons } from '../../../src/nlu/index.js';
import { evaluateSet, loadEvalSetup, type EvalSetup, type SetResult } from '../../../src/nlu-eval/evaluate.js';
import { LabelFileError, parseLabels } from '../../../src/nlu-eval/labels.js';
import { situationOf } from '../../../src/nlu-eval/situation.js';
import { LOCALES_DIR } from './support.js';

const ROOT = path.join(import.meta.dirname, '../../nlu-eval');
const REPO = path.join(import.meta.dirname, '../../..');
/** The bar is 95% on the held-out set; the tune set must stay clear of it. */
const INTENT_FLOOR = 0.95;
const ENTITY_FLOOR = 0.9;

let setup: EvalSetup;
let tune: SetResult;
beforeAll(async () => {
  setup = await loadEvalSetup(ROOT, await loadNluLexicons(LOCALES_DIR));
  tune = await evaluateSet('tune', path.join(ROOT, 'tune'), setup);
});

describe('NLU evaluation on the tune set (family clinic, Monday 2026-12-07 09:00)', () => {
  it('has at least 60 labelled messages in every language', () => {
    expect(tune.languages.map((l) => l.locale)).toEqual([...SUPPORTED_LOCALES]);
    for (const language of tune.languages) expect(language.items, language.locale).toBeGreaterThanOrEqual(60);
  });

  it.each(SUPPORTED_LOCALES.map((locale) => [locale] as const))('%s: intent and entity accuracy stay above the floor', (locale) => {
    const score = tune.languages.find((l) => l.locale === locale);
    if (!score) throw new Error(`no ${locale} items`);
    const misses = tune.results.filter((r) => r.locale === locale && !r.intentOk).map((r) => `"${r.item.label.text}" → ${r.got.intent}`);
    expect(score.intentCorrect / score.items, misses.join('\n')).toBeGreaterThanOrEqual(INTENT_FLOOR);
    expect(score.entitiesCorrect / score.items).toBeGreaterThanOrEqual(ENTITY_FLOOR);
  });

  it('judges a follow-up as the assistant handles it in that state', () => {
    const followUps = tune.results.filter((r) => r.item.label.context?.startsWith('after_service_info:'));
    expect(followUps.length).toBeGreaterThan(10);
    expect(followUps.filter((r) => r.intentOk).length / followUps.length).toBeGreaterThanOrEqual(INTENT_FLOOR);
    const menuByWords = tune.results.filter((r) => r.item.label.context === 'choosing_slot' && r.item.comment !== null);
    expect(menuByWords.length).toBeGreaterThan(10);
    expect(menuByWords.filter((r) => r.intentOk && r.got.option === r.expected.option).length / menuByWords.length).toBeGreaterThanOrEqual(0.9);
  });
});

describe('label files', () => {
  it('refuses a malformed item, naming the file, the item, its text and the field', async () => {
    const clinic = await loadClinic(path.join(REPO, 'test/fixtures/family-clinic.json'));
    const bad = [
      '- text: "ok"',
      '  intent: confirm',
      '- text: "tomorrow at 3"',
      '  intent: book',
      '  day: 08/12/2026',
      '- text: "with dr silva"',
      '  intent: choose_option',
      '  practitioner: silva',
      '- text: "x"',
      '  intent: shout',
    ].join('\n');
    let message = '';
    try {
      parseLabels(bad, 'tune/en.yaml', clinic);
    } catch (error) {
      expect(error).toBeInstanceOf(LabelFileError);
      message = (error as Error).message;
    }
    expect(message).toContain('tune/en.yaml: item 2 ("tomorrow at 3"): day: expected a day as YYYY-MM-DD');
    expect(message).toContain('tune/en.yaml: item 3 ("with dr silva"): practitioner: unknown practitioner "silva"');
    expect(message).toContain('tune/en.yaml: item 4 ("x"): intent:');
    expect(() => parseLabels('text: not a list', 'he.yaml', clinic)).toThrow('he.yaml: expected a YAML list');
    expect(() => parseLabels('- text: "a"\n  intent: [', 'pt.yaml', clinic)).toThrow(/pt\.yaml: not valid YAML/);
  });

  it('reads the menu a writer put in a comment and picks the slot named by its words', async () => {
    const clinic = await loadClinic(path.join(REPO, 'test/fixtures/family-clinic.json'));
    const [item] = parseLabels(
      ['# menu: 1. Tue 8 Dec 10:30 with Dr. Marta Costa', '#       2. Wed 9 Dec 11:00 with Nurse Paulo Santos', '- text: "the one with the nurse"', '  intent: choose_option', '  option: 2', '  context: choosing_slot'].join('\n'),
      'en.yaml',
      clinic,
    );
    expect(item?.comment).toContain('Nurse Paulo Santos');
  });

  it('reads a menu written on one line as all of its options', async () => {
    const [item] = parseLabels(
      ['# menu: 1. Tue 8 Dec 10:30 Dr. Marta Costa  2. Tue 8 Dec 11:00 Nurse Paulo Santos  3. Wed 9 Dec 15:30 Nurse Paulo Santos', '- text: "with the nurse on wednesday"', '  intent: choose_option', '  option: 3', '  context: choosing_slot'].join('\n'),
      'en.yaml',
      setup.clinic,
    );
    if (!item) throw new Error('no item');
    const { context } = situationOf(item, 'en', setup);
    expect(context.offeredSlots.map((slot) => [slot.local, slot.doctorId])).toEqual([
      ['2026-12-08T10:30', 'costa'],
      ['2026-12-08T11:00', 'santos'],
      ['2026-12-09T15:30', 'santos'],
    ]);
  });
});

describe('npm run nlu:eval', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'nlu-eval-'));
    await writeFile(path.join(dir, 'sets.yaml'), `clinic: ${path.join(REPO, 'test/fixtures/family-clinic.json')}\nreferenceTime: "2026-12-07T09:00"\n`);
    await mkdir(path.join(dir, 'holdout'));
    await writeFile(path.join(dir, 'holdout', 'en.yaml'), '- text: "when is my next visit?"\n  intent: my_appointments\n- text: "how much is the ECG?"\n  intent: ask_service\n  service: ecg\n');
    await mkdir(path.join(dir, 'broken'));
    await writeFile(path.join(dir, 'broken', 'ru.yaml'), '- text: "завтра"\n  intent: book\n  day: tomorrow\n');
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  const run = (args: string[]) =>
    promisify(execFile)('npx', ['tsx', 'src/nlu-eval/cli.ts', '--dir', dir, ...args], { cwd: REPO }).then(
      ({ stdout }) => ({ code: 0, stdout, stderr: '' }),
      (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
    );

  it('scores one set per language and exits 0; a malformed set exits 2 naming file and item', async () => {
    const good = await run(['--set', 'holdout']);
    expect(good.code).toBe(0);
    expect(good.stdout).toMatch(/en\s+2\s+2\s+100\.0%\s+2\s+100\.0%/);
    const bad = await run(['--set', 'broken']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`${path.join(dir, 'broken', 'ru.yaml')}: item 1 ("завтра"): day: expected a day as YYYY-MM-DD`);
  }, 60_000);

  it('an unknown option exits 2 with the reason and the usage, no stack; --help prints the usage', async () => {
    const wrong = await run(['--detail']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain("Unknown option '--detail'");
    expect(wrong.stderr).toContain('usage: npm run nlu:eval');
    expect(wrong.stderr).not.toContain('    at ');
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('usage: npm run nlu:eval');
  }, 60_000);
});
