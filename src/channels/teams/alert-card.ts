/**
 * The Adaptive Card a new urgent or high escalation posts in the clinic's Teams channel, in the
 * staff's language: urgency, reason, the patient's language, waiting since when, status, and a
 * button that opens it in the staff console. Re-rendered when it is claimed or resolved.
 */
import type { Clinic } from '../../config/catalog-schema.js';
import { intlTag, RTL_LOCALES, type Locale } from '../../core/locale.js';
import type { Escalation } from '../../core/ports/records.js';
import { formatWhen } from '../../i18n/format.js';
import type { OutgoingActivity } from './activity.js';
import { ADAPTIVE_CARD } from './replies.js';
import type { TeamsTexts } from './texts.js';

export interface AlertFacts {
  escalation: Escalation;
  claimedByName: string | null;
  /** The patient's language, when known. */
  patientLocale: Locale | null;
  now: Date;
}

const KNOWN_REASONS = new Set(['patient_request', 'bot_failed', 'staff_takeover']);
const KNOWN_EMERGENCIES = new Set([
  'chest_pain',
  'breathing',
  'bleeding',
  'unconscious',
  'allergic_reaction',
  'suicidal',
  'stroke',
  'seizure',
  'severe_swelling',
  'trauma',
  'severe_pain',
]);

/** What the card shows that can change; the card is updated only when this does. */
export function shownState(facts: Pick<AlertFacts, 'escalation' | 'claimedByName' | 'patientLocale'>): string {
  const { status, urgency } = facts.escalation;
  return [status, urgency, facts.claimedByName ?? '', facts.patientLocale ?? ''].join('|');
}

/** "patient_request" → "Asked to talk to a person"; "emergency:chest_pain" → "Emergency: chest pain". */
export function reasonText(texts: TeamsTexts, locale: Locale, reason: string): string {
  const [kind = '', detail = ''] = reason.split(':', 2);
  if (kind === 'emergency') {
    if (!KNOWN_EMERGENCIES.has(detail)) return texts.t(locale, 'alert.reason.emergency');
    return texts.t(locale, 'alert.reason.emergency_kind', { kind: texts.t(locale, `alert.emergency.${detail}`) });
  }
  return texts.t(locale, KNOWN_REASONS.has(kind) ? `alert.reason.${kind}` : 'alert.reason.other');
}

function languageName(staffLocale: Locale, patientLocale: Locale | null, texts: TeamsTexts): string {
  if (!patientLocale) return texts.t(staffLocale, 'alert.language_unknown');
  return new Intl.DisplayNames([intlTag(staffLocale)], { type: 'language' }).of(intlTag(patientLocale)) ?? patientLocale;
}

function statusText(texts: TeamsTexts, locale: Locale, facts: AlertFacts): string {
  const { status } = facts.escalation;
  if (status === 'claimed') return texts.t(locale, 'alert.status.claimed', { name: facts.claimedByName ?? '?' });
  return texts.t(locale, `alert.status.${status}`);
}

function waitingText(texts: TeamsTexts, locale: Locale, clinic: Clinic, facts: AlertFacts, minutes: (count: number) => string): string {
  const since = facts.escalation.raisedAt;
  const waited = Math.max(0, Math.floor((facts.now.getTime() - since.getTime()) / 60_000));
  return texts.t(locale, 'alert.waiting', { time: formatWhen(locale, since.toISOString(), clinic.timeZone), duration: minutes(waited) });
}

export interface AlertCardOptions {
  texts: TeamsTexts;
  clinic: Clinic;
  /** The staff console's address for this escalation, or null without PUBLIC_URL. */
  consoleUrl: string | null;
  /** "5 minutes" in the staff's language (the bot's own time words). */
  minutes(count: number): string;
}

export function alertCardActivity(facts: AlertFacts, options: AlertCardOptions): OutgoingActivity {
  const { texts, clinic } = options;
  const locale = texts.staffLocale;
  const { escalation } = facts;
  const urgency = texts.t(locale, `alert.urgency.${escalation.urgency}`);
  const reason = reasonText(texts, locale, escalation.reason);
  const title = texts.t(locale, 'alert.title', { urgency, reason });
  const status = statusText(texts, locale, facts);
  const open = escalation.status === 'open';
  const fact = (key: string, value: string) => ({ title: texts.t(locale, `alert.fact.${key}`), value });
  return {
    type: 'message',
    summary: title,
    locale,
    attachments: [
      {
        contentType: ADAPTIVE_CARD,
        content: {
          type: 'AdaptiveCard',
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          version: '1.5',
          ...(RTL_LOCALES.includes(locale) ? { rtl: true } : {}),
          lang: locale,
          fallbackText: `${title} — ${status}`,
          body: [
            {
              type: 'TextBlock',
              text: title,
              weight: 'Bolder',
              size: 'Medium',
              wrap: true,
              color: open ? 'Attention' : 'Default',
            },
            {
              type: 'FactSet',
              facts: [
                fact('urgency', urgency),
                fact('reason', reason),
                fact('language', languageName(locale, facts.patientLocale, texts)),
                fact('waiting', waitingText(texts, locale, clinic, facts, options.minutes)),
                fact('status', status),
              ],
            },
          ],
          actions: options.consoleUrl ? [{ type: 'Action.OpenUrl', title: texts.t(locale, 'alert.open_console'), url: options.consoleUrl }] : [],
        },
      },
    ],
  };
}
