/**
 * What a model can learn from one Chat Completions request: the clinic's clock and time zone,
 * the patient's language, the current step, and the ids listed in the system prompt (offered
 * slots, the patient's appointments, services and doctors). Read from the text, as a model
 * reads it; nothing here looks at the assistant's own state.
 */
import { DateTime } from 'luxon';
import { SUPPORTED_LOCALES, type Locale } from '../core/locale.js';
import { lastUserText, systemText } from './chat-request.js';
import type { ChatRequest } from './fake-openai-replies.js';

export interface PromptFacts {
  now: Date;
  timeZone: string;
  locale: Locale | null;
  /** The "Current step" paragraph. */
  step: string;
  /** The tools offered, each with the names of its parameters. */
  tools: Map<string, string[]>;
  /** Ids of the numbered "Offered times", in menu order. */
  slotIds: string[];
  /** Ids of the numbered "patient's appointments", in menu order. */
  appointmentIds: string[];
  /** Every id listed as "- id: …" (services and doctors). */
  catalogIds: Set<string>;
  /** The patient's message. */
  text: string;
  system: string;
}

const LANGUAGE_NAMES: Record<string, Locale> = { English: 'en', Spanish: 'es', Russian: 'ru', Hebrew: 'he', 'European Portuguese': 'pt', Portuguese: 'pt' };

export function readPromptFacts(request: ChatRequest, fallbackZone: string): PromptFacts {
  const system = systemText(request);
  const { now, timeZone } = readClock(system, fallbackZone);
  return {
    now,
    timeZone,
    locale: readLocale(system),
    step: sectionLines(system, 'Current step').join(' '),
    tools: new Map((request.tools ?? []).map((tool) => [tool.function.name, parameterNames(tool.function.parameters)])),
    slotIds: numberedIds(sectionLines(system, 'Offered times')),
    appointmentIds: numberedIds(sectionLines(system, "The patient's appointments")),
    catalogIds: new Set(system.match(/^- ([a-z0-9][a-z0-9_-]*):/gm)?.map((line) => line.slice(2, -1)) ?? []),
    text: lastUserText(request),
    system,
  };
}

/** "Monday 2026-11-23, 09:00, clinic time zone Europe/Lisbon." or any ISO instant. */
function readClock(system: string, fallbackZone: string): { now: Date; timeZone: string } {
  const local = system.match(/(\d{4}-\d{2}-\d{2}),? (\d{2}:\d{2})(?:, clinic time zone ([A-Za-z_]+\/[A-Za-z_/]+))?/);
  const timeZone = local?.[3] ?? system.match(/\b[A-Z][a-z]+\/[A-Z][A-Za-z_]+\b/)?.[0] ?? fallbackZone;
  if (local?.[1] && local[2]) {
    const at = DateTime.fromISO(`${local[1]}T${local[2]}`, { zone: timeZone });
    if (at.isValid) return { now: at.toJSDate(), timeZone };
  }
  const iso = system.match(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})/);
  return { now: iso ? new Date(iso[0]) : new Date(), timeZone };
}

function readLocale(system: string): Locale | null {
  const named = sectionLines(system, "Patient's language")[0]?.trim();
  if (named && LANGUAGE_NAMES[named]) return LANGUAGE_NAMES[named] ?? null;
  const code = system.match(/\blanguage\b[^a-z]*\b(en|es|ru|he|pt)\b/i)?.[1]?.toLowerCase();
  return SUPPORTED_LOCALES.find((l) => l === code) ?? null;
}

/** The lines under a "## Title…" heading, up to the next heading. */
function sectionLines(system: string, title: string): string[] {
  const lines = system.split('\n');
  const start = lines.findIndex((line) => line.startsWith(`## ${title}`));
  if (start < 0) return [];
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((line) => line.startsWith('## '));
  return (end < 0 ? rest : rest.slice(0, end)).filter((line) => line.trim() !== '');
}

/** "1. dr-dan@2026-11-23T10:00:00.000Z: Mon 23 Nov…" → the id, in menu order. */
function numberedIds(lines: string[]): string[] {
  return lines.map((line) => line.match(/^\s*\d+\.\s+(\S+?):\s/)?.[1]).filter((id): id is string => Boolean(id));
}

function parameterNames(schema: unknown): string[] {
  const properties = (schema as { properties?: Record<string, unknown> } | undefined)?.properties;
  return properties ? Object.keys(properties) : [];
}
