import { execFile } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkLocales, describeJsonError, pluralCategories, variablesOf, type CheckIssue, type CheckReport } from '../../../src/i18n/check.js';
import { defaultLocalesDir } from '../../../src/i18n/locales-dir.js';
import { makeTempDir, node, removeDir, writeFixtureLocales } from './fixtures.js';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const run = promisify(execFile);

function errorsOf(report: CheckReport): CheckIssue[] {
  return report.issues.filter((issue) => issue.severity === 'error');
}

function show(report: CheckReport): string {
  return report.issues.map((issue) => `${issue.file}: ${issue.severity}: ${issue.message}`).join('\n');
}

describe('the shipped locales', () => {
  it('pass the checker with no errors', async () => {
    const report = await checkLocales(defaultLocalesDir());
    expect(errorsOf(report), show(report)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.locales.slice(0, 5)).toEqual(['en', 'es', 'ru', 'he', 'pt']);
    expect(report.namespaces).toEqual(expect.arrayContaining(['bot', 'webchat']));
    expect(report.files.map((file) => file.file)).toContain('locales/ru/bot.json');
  });
});

describe('checkLocales on fixture folders', () => {
  let dir: string;
  let shown: string;

  beforeEach(async () => {
    dir = await makeTempDir('check');
    shown = path.basename(dir);
  });
  afterEach(async () => {
    await removeDir(dir);
  });

  it('finds nothing wrong with the complete fixture', async () => {
    await writeFixtureLocales(dir);
    const report = await checkLocales(dir);
    expect(report.issues, show(report)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.namespaces).toEqual(['bot', 'webchat', 'teams', 'nlu']);
    expect(report.files).toHaveLength(20);
  });

  it('reports a missing key with its file', async () => {
    await writeFixtureLocales(dir, (l) => {
      delete node(l, 'ru', 'bot', 'booking').confirm;
    });
    const report = await checkLocales(dir);
    expect(report.ok).toBe(false);
    expect(errorsOf(report)).toEqual([
      expect.objectContaining({ kind: 'missing-key', file: `${shown}/ru/bot.json`, key: 'booking.confirm', message: 'missing key booking.confirm' }),
    ]);
  });

  it('reports an extra key', async () => {
    await writeFixtureLocales(dir, (l) => {
      node(l, 'es', 'bot', 'booking').confrim = '¿Confirmamos?';
    });
    const report = await checkLocales(dir);
    expect(errorsOf(report)).toEqual([expect.objectContaining({ kind: 'extra-key', file: `${shown}/es/bot.json`, key: 'booking.confrim' })]);
  });

  it('reports a changed interpolation variable, and a variable written with single braces', async () => {
    await writeFixtureLocales(dir, (l) => {
      node(l, 'pt', 'bot', 'booking').confirm = 'Posso marcar {{servico}} para {{when}}?';
      node(l, 'es', 'bot').greeting = '¡Hola! Le atiende {clinic}.';
    });
    const report = await checkLocales(dir);
    const errors = errorsOf(report);
    expect(errors).toHaveLength(2);
    const pt = errors.find((issue) => issue.locale === 'pt');
    expect(pt).toMatchObject({ kind: 'variables', key: 'booking.confirm' });
    expect(pt?.message).toContain('missing {{service}}');
    expect(pt?.message).toContain('{{servico}}');
    const es = errors.find((issue) => issue.locale === 'es');
    expect(es?.message).toContain('write {{clinic}} with double braces');
  });

  it('compares plural keys by their base key: a missing Russian "few" is one error, not a missing key', async () => {
    await writeFixtureLocales(dir, (l) => {
      delete node(l, 'ru', 'bot', 'booking').slots_few;
    });
    const report = await checkLocales(dir);
    expect(errorsOf(report)).toEqual([
      expect.objectContaining({ kind: 'missing-plural', file: `${shown}/ru/bot.json`, key: 'booking.slots' }),
    ]);
    expect(errorsOf(report)[0]?.message).toBe('booking.slots: missing plural form _few (ru needs _one, _few, _many, _other)');
  });

  it('reports Hebrew without "two"', async () => {
    await writeFixtureLocales(dir, (l) => {
      delete node(l, 'he', 'bot', 'booking').slots_two;
    });
    const report = await checkLocales(dir);
    expect(errorsOf(report)).toEqual([expect.objectContaining({ kind: 'missing-plural', locale: 'he', key: 'booking.slots' })]);
    expect(errorsOf(report)[0]?.message).toContain('_two');
  });

  it('warns about plural suffixes the language does not use', async () => {
    await writeFixtureLocales(dir, (l) => {
      node(l, 'he', 'bot', 'booking').slots_many = 'הנה {{count}} מועדים פנויים:';
    });
    const report = await checkLocales(dir);
    expect(report.ok).toBe(true);
    expect(report.issues).toEqual([expect.objectContaining({ severity: 'warning', kind: 'extra-plural', locale: 'he', key: 'booking.slots' })]);
  });

  it('warns when a form used for several counts does not show {{count}}', async () => {
    await writeFixtureLocales(dir, (l) => {
      node(l, 'ru', 'bot', 'booking').slots_one = 'Есть одно свободное окно:';
    });
    const report = await checkLocales(dir);
    expect(report.issues).toEqual([expect.objectContaining({ severity: 'warning', kind: 'plural-count', key: 'booking.slots' })]);
    expect(report.issues[0]?.message).toContain('1, 21, 31');
  });

  it('reports a single string where English has plural forms, and plural forms where English has one string', async () => {
    await writeFixtureLocales(dir, (l) => {
      const booking = node(l, 'pt', 'bot', 'booking');
      delete booking.slots_one;
      delete booking.slots_many;
      delete booking.slots_other;
      booking.slots = 'Horários disponíveis:';
      const es = node(l, 'es', 'bot');
      delete es.greeting;
      es.greeting_one = '¡Hola!';
      es.greeting_other = '¡Hola!';
    });
    const report = await checkLocales(dir);
    expect(errorsOf(report)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'missing-plural', locale: 'pt', key: 'booking.slots' }),
        expect.objectContaining({ kind: 'type-mismatch', locale: 'es', key: 'greeting' }),
      ]),
    );
    expect(errorsOf(report)).toHaveLength(2);
  });

  it('reports empty strings', async () => {
    await writeFixtureLocales(dir, (l) => {
      node(l, 'es', 'webchat').send = '  ';
    });
    const report = await checkLocales(dir);
    expect(errorsOf(report)).toEqual([
      expect.objectContaining({ kind: 'empty-string', file: `${shown}/es/webchat.json`, key: 'send', message: 'send: empty string' }),
    ]);
  });

  it('reports invalid JSON with the line and column', async () => {
    await writeFixtureLocales(dir);
    await writeFile(path.join(dir, 'he', 'bot.json'), '{\n  "greeting": "שלום",\n  "booking": {\n    "confirm": "x"\n    "slots_one": "y"\n  }\n}\n');
    const report = await checkLocales(dir);
    expect(errorsOf(report)).toEqual([expect.objectContaining({ kind: 'invalid-json', file: `${shown}/he/bot.json` })]);
    expect(errorsOf(report)[0]?.message).toMatch(/^invalid JSON at line 5, column 5: /);
  });

  it('locates JSON errors that Node reports without a position', () => {
    const text = '{\n  "a": "x",\n  "b": }\n';
    expect(describeJsonError(text, catchError(() => JSON.parse(text)))).toMatch(/^invalid JSON at line 3, column 8: Unexpected token '}'$/);
    const bom = '\uFEFF{}';
    expect(describeJsonError(bom, catchError(() => JSON.parse(bom)))).toContain('byte-order mark (BOM)');
    const cut = '{"a": "x"';
    expect(describeJsonError(cut, catchError(() => JSON.parse(cut)))).toMatch(/^invalid JSON at line 1, column 10: /);
  });

  it('reports a missing file and a missing language folder', async () => {
    await writeFixtureLocales(dir);
    await rm(path.join(dir, 'pt', 'webchat.json'));
    await rm(path.join(dir, 'ru'), { recursive: true });
    const report = await checkLocales(dir);
    expect(errorsOf(report)).toEqual([
      expect.objectContaining({ kind: 'missing-folder', locale: 'ru' }),
      expect.objectContaining({ kind: 'missing-file', file: `${shown}/pt/webchat.json` }),
    ]);
  });

  it('checks nlu.json by key structure only, warning on an empty phrase list', async () => {
    await writeFixtureLocales(dir, (l) => {
      node(l, 'es', 'nlu', 'intents').book = [];
      node(l, 'ru', 'nlu', 'intents').book = ['записаться', 'запись', 'на приём', 'к врачу'];
      node(l, 'pt', 'nlu', 'intents').help = ['ajuda'];
      delete node(l, 'he', 'nlu', 'intents').cancel;
    });
    const report = await checkLocales(dir);
    expect(report.issues).toEqual([
      expect.objectContaining({ severity: 'warning', kind: 'empty-list', file: `${shown}/es/nlu.json`, key: 'intents.book' }),
      expect.objectContaining({ severity: 'error', kind: 'missing-key', file: `${shown}/he/nlu.json`, key: 'intents.cancel' }),
      expect.objectContaining({ severity: 'error', kind: 'extra-key', file: `${shown}/pt/nlu.json`, key: 'intents.help' }),
    ]);
  });

  it('checks a language folder that is not shipped yet, but only warns about it', async () => {
    await writeFixtureLocales(dir);
    await mkdir(path.join(dir, 'fr'));
    await writeFile(path.join(dir, 'fr', 'bot.json'), JSON.stringify({ greeting: 'Bonjour {{clinic}}' }));
    const report = await checkLocales(dir);
    expect(report.locales).toEqual(['en', 'es', 'ru', 'he', 'pt', 'fr']);
    expect(report.ok).toBe(true);
    expect(report.issues.length).toBeGreaterThan(0);
    expect(report.issues.every((issue) => issue.locale === 'fr' && issue.severity === 'warning')).toBe(true);
  });

  it('reports a locales folder that does not exist', async () => {
    const report = await checkLocales(path.join(dir, 'nope'));
    expect(report.ok).toBe(false);
    expect(report.issues[0]).toMatchObject({ kind: 'missing-folder' });
  });
});

describe('helpers', () => {
  it('extracts interpolation variables, formats and nesting', () => {
    expect([...variablesOf('{{count}} x {{ when }} {{- html}} {{price, currency}} $t(time.minutes)')]).toEqual([
      'count',
      'when',
      'html',
      'price',
      '$t(time.minutes)',
    ]);
  });

  it('lists the plural categories i18next asks for', () => {
    expect(pluralCategories('en')).toEqual(['one', 'other']);
    expect(pluralCategories('es')).toEqual(['one', 'many', 'other']);
    expect(pluralCategories('pt')).toEqual(['one', 'many', 'other']);
    expect(pluralCategories('ru')).toEqual(['one', 'few', 'many', 'other']);
    expect(pluralCategories('he')).toEqual(['one', 'two', 'other']);
  });
});

describe('npm run i18n:check', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await makeTempDir('cli');
  });
  afterEach(async () => {
    await removeDir(dir);
  });

  async function cli(...args: string[]): Promise<{ code: number; stdout: string }> {
    try {
      const { stdout } = await run('npx', ['tsx', 'src/i18n/check-cli.ts', ...args], { cwd: REPO_ROOT });
      return { code: 0, stdout };
    } catch (error) {
      const failed = error as { code?: number; stdout?: string };
      return { code: typeof failed.code === 'number' ? failed.code : -1, stdout: failed.stdout ?? '' };
    }
  }

  it('exits 0 on the shipped locales', async () => {
    const { code, stdout } = await cli();
    expect(stdout).toMatch(/0 errors, \d+ warnings? — OK/);
    expect(code).toBe(0);
  });

  it('exits 1 and names the file and key on a broken folder', async () => {
    await writeFixtureLocales(dir, (l) => {
      delete node(l, 'ru', 'bot', 'booking').confirm;
      delete node(l, 'he', 'bot', 'booking').slots_two;
    });
    const { code, stdout } = await cli('--dir', dir);
    expect(code).toBe(1);
    const shown = path.basename(dir);
    expect(stdout).toContain(`${shown}/ru/bot.json: missing key booking.confirm`);
    expect(stdout).toContain(`${shown}/he/bot.json: booking.slots: missing plural form _two`);
    expect(stdout).toMatch(/2 errors, 0 warnings — FAILED/);
  });

  it('exits 0 when there are only warnings', async () => {
    await writeFixtureLocales(dir, (l) => {
      node(l, 'es', 'nlu', 'intents').book = [];
    });
    const { code, stdout } = await cli('--dir', dir);
    expect(stdout).toContain('warning: intents.book: empty phrase list');
    expect(code).toBe(0);
  });
});

function catchError(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}
