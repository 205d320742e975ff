import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from '../core/errors.js';
import { clinicSchema, type Clinic } from './catalog-schema.js';

export const DEMO_CLINIC_FILE = fileURLToPath(new URL('./demo-clinic.json', import.meta.url));

/** Reads and validates a clinic catalog (JSON or YAML). Errors name the file and the path inside it. */
export async function loadClinic(file: string = DEMO_CLINIC_FILE): Promise<Clinic> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`Cannot read clinic catalog ${file}: ${(error as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = /\.ya?ml$/i.test(file) ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`Clinic catalog ${file} is not valid ${/\.ya?ml$/i.test(file) ? 'YAML' : 'JSON'}: ${(error as Error).message}`);
  }
  return parseClinic(raw, file);
}

export function parseClinic(raw: unknown, source: string): Clinic {
  const result = clinicSchema.safeParse(raw);
  if (result.success) return result.data;
  throw new ConfigError(`Invalid clinic catalog ${source}:\n${formatIssues(result.error.issues)}`);
}

function formatIssues(issues: z.core.$ZodIssue[]): string {
  return issues.map((issue) => `  ${formatPath(issue.path)}: ${issue.message}`).join('\n');
}

function formatPath(path: PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  return path
    .map((part, index) => (typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`))
    .join('');
}
