/**
 * The sideloadable Teams app package: manifest.json, its localization files and the two icons,
 * validated against the manifest schemas before anything is written, and zipped (fflate).
 */
import { zipSync } from 'fflate';
import { colorIcon, outlineIcon } from './icons.js';
import { ACCENT_COLOR, buildManifest, COLOR_ICON, OUTLINE_ICON, type ManifestInput } from './manifest.js';
import { createManifestValidator, type ManifestProblem } from './validate.js';

export type PackageFiles = Record<string, Uint8Array>;

export type PackageResult = { ok: true; files: PackageFiles } | { ok: false; problems: ManifestProblem[] };

/** Which setting a manifest field comes from, to say what to change. */
const FIELD_SOURCES: [RegExp, string][] = [
  [/^(id|bots\[0\]\.botId)$/, 'MicrosoftAppId'],
  [/^version$/, 'TEAMS_APP_VERSION'],
  [/^name\.short$/, 'TEAMS_APP_NAME, or the clinic name in CLINIC_FILE'],
  [/^developer\.name$/, 'the clinic name in CLINIC_FILE'],
  [/^(developer\.websiteUrl|validDomains.*)$/, 'PUBLIC_URL'],
  [/^developer\.privacyUrl$/, 'TEAMS_PRIVACY_URL'],
  [/^developer\.termsOfUseUrl$/, 'TEAMS_TERMS_URL'],
];

export function sourceOf(field: string): string | null {
  return FIELD_SOURCES.find(([pattern]) => pattern.test(field))?.[1] ?? null;
}

function json(value: unknown): Uint8Array {
  return new TextEncoder().encode(`${JSON.stringify(value, null, 2)}\n`);
}

export async function buildAppPackage(input: ManifestInput): Promise<PackageResult> {
  const { manifest, localizations } = buildManifest(input);
  const validator = await createManifestValidator();
  const problems = [
    ...validator.validate('manifest.json', 'MicrosoftTeams.schema.json', manifest),
    ...Object.entries(localizations).flatMap(([file, content]) => validator.validate(file, 'MicrosoftTeams.Localization.schema.json', content)),
  ];
  if (problems.length > 0) return { ok: false, problems };
  const files: PackageFiles = {
    'manifest.json': json(manifest),
    [COLOR_ICON]: colorIcon(ACCENT_COLOR),
    [OUTLINE_ICON]: outlineIcon(),
  };
  for (const [file, content] of Object.entries(localizations)) files[file] = json(content);
  return { ok: true, files };
}

/** The files at the root of a zip, as Teams expects them. */
export function zipPackage(files: PackageFiles): Uint8Array {
  return zipSync(files, { level: 9 });
}
