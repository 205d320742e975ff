/**
 * The Teams app manifest for this bot (and one localization file per other language): the
 * configured app id, the clinic's name, descriptions and command suggestions from
 * locales/<lang>/teams.json, links to the clinic's pages, on a current manifest schema.
 */
import type { Clinic } from '../../../config/catalog-schema.js';
import { SUPPORTED_LOCALES, type Locale } from '../../../core/locale.js';
import type { Translator } from '../../../i18n/i18n.js';

export const MANIFEST_VERSION = '1.28';
export const MANIFEST_SCHEMA_URL = `https://developer.microsoft.com/json-schemas/teams/v${MANIFEST_VERSION}/MicrosoftTeams.schema.json`;
export const LOCALIZATION_SCHEMA_URL = `https://developer.microsoft.com/json-schemas/teams/v${MANIFEST_VERSION}/MicrosoftTeams.Localization.schema.json`;
/** Teams' own blue; the colour icon's background. */
export const ACCENT_COLOR = '#0F6CBD';
export const COLOR_ICON = 'color.png';
export const OUTLINE_ICON = 'outline.png';
/** The schema's limit for name.short. */
const SHORT_NAME_MAX = 30;

export interface ManifestInput {
  appId: string;
  version: string;
  clinic: Clinic;
  translator: Translator;
  /** https:// address of the assistant (the developer's website). */
  publicUrl: string;
  privacyUrl: string;
  termsUrl: string;
  /** The short name; the clinic's name in its default language when not set. */
  shortName: string | undefined;
}

export type Json = Record<string, unknown>;

export interface Manifest {
  manifest: Json;
  /** File name → localization file, one per language other than the default. */
  localizations: Record<string, Json>;
}

const PERSONAL_COMMANDS = ['book', 'appointments', 'person'] as const;
/** Typed after an @mention in a channel; the bot understands them in English (commands.ts). */
const TEAM_COMMANDS = [
  ['alerts here', 'alerts_here'],
  ['alerts off', 'alerts_off'],
  ['alerts', 'alerts'],
] as const;

/** The texts that differ per language, as manifest fields. */
function localizedTexts(input: ManifestInput, locale: Locale) {
  const t = (key: string, params: Record<string, string> = {}) => input.translator.t(locale, `app.${key}`, params, 'teams');
  const clinic = input.clinic.names[locale];
  return {
    nameShort: input.shortName ?? clinic,
    nameFull: t('name_full', { clinic }),
    descriptionShort: t('description_short'),
    descriptionFull: t('description_full', { clinic }),
    personal: PERSONAL_COMMANDS.map((command) => ({ title: t(`command.${command}_title`), description: t(`command.${command}_description`) })),
    team: TEAM_COMMANDS.map(([title, key]) => ({ title, description: t(`command.${key}_description`) })),
  };
}

function localizationFile(input: ManifestInput, locale: Locale, defaultShortName: string): Json {
  const texts = localizedTexts(input, locale);
  const file: Json = {
    $schema: LOCALIZATION_SCHEMA_URL,
    // A clinic name too long for a short name in one language keeps the default language's.
    'name.short': texts.nameShort.length <= SHORT_NAME_MAX ? texts.nameShort : defaultShortName,
    'name.full': texts.nameFull,
    'description.short': texts.descriptionShort,
    'description.full': texts.descriptionFull,
  };
  texts.personal.forEach((command, index) => {
    file[`bots[0].commandLists[0].commands[${index}].title`] = command.title;
    file[`bots[0].commandLists[0].commands[${index}].description`] = command.description;
  });
  texts.team.forEach((command, index) => {
    file[`bots[0].commandLists[1].commands[${index}].description`] = command.description;
  });
  return file;
}

export function buildManifest(input: ManifestInput): Manifest {
  const main = input.clinic.defaultLocale;
  const texts = localizedTexts(input, main);
  const others = SUPPORTED_LOCALES.filter((locale) => locale !== main);
  const manifest: Json = {
    $schema: MANIFEST_SCHEMA_URL,
    manifestVersion: MANIFEST_VERSION,
    version: input.version,
    id: input.appId,
    developer: {
      name: input.clinic.names[main],
      websiteUrl: input.publicUrl,
      privacyUrl: input.privacyUrl,
      termsOfUseUrl: input.termsUrl,
    },
    name: { short: texts.nameShort, full: texts.nameFull },
    description: { short: texts.descriptionShort, full: texts.descriptionFull },
    icons: { color: COLOR_ICON, outline: OUTLINE_ICON },
    accentColor: ACCENT_COLOR,
    bots: [
      {
        botId: input.appId,
        scopes: ['personal', 'team'],
        isNotificationOnly: false,
        supportsFiles: false,
        commandLists: [
          { scopes: ['personal'], commands: texts.personal },
          { scopes: ['team'], commands: texts.team },
        ],
      },
    ],
    permissions: ['identity', 'messageTeamMembers'],
    validDomains: [new URL(input.publicUrl).host],
    localizationInfo: {
      defaultLanguageTag: main,
      additionalLanguages: others.map((locale) => ({ languageTag: locale, file: `${locale}.json` })),
    },
  };
  return { manifest, localizations: Object.fromEntries(others.map((locale) => [`${locale}.json`, localizationFile(input, locale, texts.nameShort)])) };
}
