/** Reads and validates `locales/<lang>/nlu.json` for every supported language. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { z } from 'zod';
import { SUPPORTED_LOCALES, type Locale } from '../core/locale.js';
import { nluLexiconSchema, type NluLexicon } from './lexicon-schema.js';

export type NluLexicons = Record<Locale, NluLexicon>;

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out.length === 0 ? String(key) : `.${String(key)}`;
  }
  return out.length === 0 ? '(root)' : out;
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`).join('; ');
}

/** Parses one lexicon; `file` only names the source in error messages. */
export function parseNluLexicon(raw: string, file: string): NluLexicon {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    throw new Error(`${file}: invalid JSON (${error instanceof Error ? error.message : String(error)})`, {
      cause: error,
    });
  }
  const result = nluLexiconSchema.safeParse(json);
  if (!result.success) throw new Error(`${file}: ${describeIssues(result.error)}`);
  return result.data;
}

export async function loadNluLexicons(localesDir: string): Promise<NluLexicons> {
  const entries = await Promise.all(
    SUPPORTED_LOCALES.map(async (locale) => {
      const file = join(localesDir, locale, 'nlu.json');
      let raw: string;
      try {
        raw = await readFile(file, 'utf8');
      } catch (error) {
        throw new Error(`${file}: cannot read (${error instanceof Error ? error.message : String(error)})`, {
          cause: error,
        });
      }
      return [locale, parseNluLexicon(raw, file)] as const;
    }),
  );
  return Object.fromEntries(entries) as NluLexicons;
}
