/**
 * Offline validation of the manifest and its localization files against Microsoft's JSON
 * schemas, as bundled by @microsoft/app-manifest (read from its files: its own helpers need
 * packages it does not install). Each problem names the field, e.g. "name.short".
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { ErrorObject } from 'ajv';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { MANIFEST_VERSION } from './manifest.js';

export interface ManifestProblem {
  file: string;
  /** The field as a path: "developer.websiteUrl", "bots[0].botId", "" for the whole file. */
  field: string;
  message: string;
}

export type SchemaName = 'MicrosoftTeams.schema.json' | 'MicrosoftTeams.Localization.schema.json';

const require = createRequire(import.meta.url);

/** Where @microsoft/app-manifest keeps the schemas of our manifest version. */
export function schemaPath(name: SchemaName): string {
  const root = path.dirname(require.resolve('@microsoft/app-manifest/package.json'));
  return path.join(root, 'build', 'json-schemas', 'teams', `v${MANIFEST_VERSION}`, name);
}

export async function loadSchema(name: SchemaName): Promise<Record<string, unknown>> {
  // The published files start with a byte order mark.
  const text = (await readFile(schemaPath(name), 'utf8')).replace(/^\uFEFF/, '');
  return JSON.parse(text) as Record<string, unknown>;
}

/** "/bots/0/botId" → "bots[0].botId"; a missing or extra property is named too. */
export function fieldOf(error: ErrorObject): string {
  const parts = error.instancePath.split('/').slice(1).map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
  const params: Record<string, unknown> = error.params;
  const extra = params.missingProperty ?? params.additionalProperty;
  if (typeof extra === 'string') parts.push(extra);
  return parts.reduce((field, part) => (/^\d+$/.test(part) ? `${field}[${part}]` : field ? `${field}.${part}` : part), '');
}

function describe(error: ErrorObject): string {
  const params: Record<string, unknown> = error.params;
  if (error.keyword === 'additionalProperties') return 'is not allowed here';
  if (error.keyword === 'required') return 'is required';
  if (error.keyword === 'enum' && Array.isArray(params.allowedValues)) return `must be one of ${params.allowedValues.join(', ')}`;
  return error.message ?? 'is invalid';
}

export interface ManifestValidator {
  validate(file: string, schema: SchemaName, json: unknown): ManifestProblem[];
}

export async function createManifestValidator(): Promise<ManifestValidator> {
  // The schemas are draft-04, which Ajv itself no longer reads. (Both packages are CommonJS.)
  // Some of Microsoft's patterns are not valid in Unicode mode (\b]), so they are compiled without it.
  const ajv = new AjvDraft04.default({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats.default(ajv, ['uri', 'email', 'regex']);
  const compiled = {
    'MicrosoftTeams.schema.json': ajv.compile(await loadSchema('MicrosoftTeams.schema.json')),
    'MicrosoftTeams.Localization.schema.json': ajv.compile(await loadSchema('MicrosoftTeams.Localization.schema.json')),
  };
  return {
    validate(file, schema, json) {
      const check = compiled[schema];
      if (check(json)) return [];
      return (check.errors ?? []).map((error) => ({ file, field: fieldOf(error), message: describe(error) }));
    },
  };
}
