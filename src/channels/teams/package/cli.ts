/**
 * `npm run teams:package [-- --out teams-app.zip]`: writes the Teams app package for the
 * configured bot (MicrosoftAppId, PUBLIC_URL, optional TEAMS_APP_NAME, TEAMS_APP_VERSION,
 * TEAMS_PRIVACY_URL, TEAMS_TERMS_URL), after validating it offline against the manifest schema.
 * Exits 1 naming the field and the setting behind it when something is wrong.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadClinic } from '../../../config/clinic.js';
import { parseEnv } from '../../../config/env.js';
import { ConfigError } from '../../../core/errors.js';
import { createTranslator } from '../../../i18n/i18n.js';
import { defaultLocalesDir } from '../../../i18n/locales-dir.js';
import { buildAppPackage, sourceOf, zipPackage } from './app-package.js';

function fail(lines: string[]): never {
  for (const line of lines) process.stderr.write(`teams:package: ${line}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  let out = 'teams-app.zip';
  try {
    const { values } = parseArgs({ options: { out: { type: 'string' } }, strict: true });
    if (values.out) out = values.out;
  } catch (error) {
    fail([(error as Error).message, 'Usage: npm run teams:package [-- --out teams-app.zip]']);
  }
  const env = parseEnv(process.env);
  const missing: string[] = [];
  if (!env.MicrosoftAppId) missing.push("MicrosoftAppId: required: the package names the bot by its Azure app id");
  if (!env.PUBLIC_URL?.startsWith('https://')) missing.push(`PUBLIC_URL: required, starting with https:// (the assistant's public address; got ${JSON.stringify(env.PUBLIC_URL ?? '')})`);
  if (missing.length > 0 || !env.MicrosoftAppId || !env.PUBLIC_URL) fail(missing);

  const clinic = await loadClinic(env.CLINIC_FILE);
  const result = await buildAppPackage({
    appId: env.MicrosoftAppId,
    version: env.TEAMS_APP_VERSION,
    clinic: env.DEFAULT_LOCALE ? { ...clinic, defaultLocale: env.DEFAULT_LOCALE } : clinic,
    translator: await createTranslator(defaultLocalesDir()),
    publicUrl: env.PUBLIC_URL,
    privacyUrl: env.TEAMS_PRIVACY_URL ?? env.PUBLIC_URL,
    termsUrl: env.TEAMS_TERMS_URL ?? env.PUBLIC_URL,
    shortName: env.TEAMS_APP_NAME,
  });
  if (!result.ok) {
    fail([
      'the manifest does not match the Teams schema; nothing was written:',
      ...result.problems.map(({ file, field, message }) => {
        const source = sourceOf(field);
        return `  ${file} ${field || '(root)'}: ${message}${source ? ` (set by ${source})` : ''}`;
      }),
    ]);
  }
  await writeFile(out, zipPackage(result.files));
  process.stdout.write(
    `${JSON.stringify({ written: path.resolve(out), files: Object.keys(result.files), appId: env.MicrosoftAppId, version: env.TEAMS_APP_VERSION })}\n`,
  );
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) fail([error.message]);
  fail([error instanceof Error ? (error.stack ?? error.message) : String(error)]);
});
