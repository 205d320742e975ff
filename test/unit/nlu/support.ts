/** Shared set-up for the NLU tests: the demo clinic, the shipped phrase lists and a fixed clock. */
import { readFile } from 'node:fs/promises';
import { DateTime } from 'luxon';
import { expect, it } from 'vitest';
import { clinicSchema, type Clinic } from '../../../src/config/catalog-schema.js';
import type { Locale } from '../../../src/core/locale.js';
import type { DateEntity, Intent, NluEntities } from '../../../src/core/nlu.js';
import { createNlu, loadNluLexicons, type Nlu } from '../../../src/nlu/index.js';

export const LOCALES_DIR = new URL('../../../locales', import.meta.url).pathname;
const CLINIC_FILE = new URL('../../../src/config/demo-clinic.json', import.meta.url);
export const ZONE = 'Europe/Lisbon';
/** Monday 23 November 2026, 09:00 in Lisbon (UTC+0 in winter). */
export const NOW = new Date('2026-11-23T09:00:00Z');

export async function loadClinic(): Promise<Clinic> {
  return clinicSchema.parse(JSON.parse(await readFile(CLINIC_FILE, 'utf8')));
}

export async function demoNlu(): Promise<Nlu> {
  return createNlu(await loadClinic(), await loadNluLexicons(LOCALES_DIR));
}

type DateFlags = Pick<DateEntity, 'byWeekday' | 'anyDay' | 'timeRelation'>;

/** A day and time in the clinic's zone, e.g. at('2026-11-24T10:00'); flags as the NLU sets them. */
export function at(local: string, flags: DateFlags = {}): DateEntity {
  return { start: DateTime.fromISO(local, { zone: ZONE }).toUTC().toISO() ?? '', hasTime: true, ...flags, local };
}

/** A whole day in the clinic's zone, e.g. day('2026-11-24'); "friday" is day(…, undefined, { byWeekday: true }). */
export function day(local: string, partOfDay?: DateEntity['partOfDay'], flags: DateFlags = {}): DateEntity {
  const start = DateTime.fromISO(local, { zone: ZONE }).toUTC().toISO() ?? '';
  return { start, hasTime: false, ...(partOfDay ? { partOfDay } : {}), ...flags, local };
}

/** A day named by its weekday ("friday", "в пятницу"). */
export function weekday(local: string, partOfDay?: DateEntity['partOfDay']): DateEntity {
  return day(local, partOfDay, { byWeekday: true });
}

/** A time with no day named ("at 10"): on the nearest day it can still be met, any day will do. */
export function anyDayAt(local: string, flags: DateFlags = {}): DateEntity {
  return at(local, { anyDay: true, ...flags });
}

export interface Case {
  text: string;
  intent: Intent;
  language: Locale | null;
  entities?: NluEntities;
  negatedServices?: string[];
  negatedDoctors?: string[];
  emergencyKind?: string;
  /** The conversation's language, when the case needs it. */
  hint?: Locale;
}

/** One `it` per case, checking intent, all entities, negations, emergency kind and language. */
export function runCases(nlu: () => Nlu, cases: readonly Case[]): void {
  it.each(cases.map((c) => [c.text, c] as const))('%s', (_text, c) => {
    const result = nlu().understand(c.text, { locale: c.hint ?? null, now: NOW });
    expect({
      intent: result.intent,
      entities: result.entities,
      negated: { serviceIds: [...result.negated.serviceIds].sort(), doctorIds: [...result.negated.doctorIds].sort() },
      emergencyKind: result.emergencyKind,
      language: result.language,
    }).toEqual({
      intent: c.intent,
      entities: c.entities ?? {},
      negated: { serviceIds: [...(c.negatedServices ?? [])].sort(), doctorIds: [...(c.negatedDoctors ?? [])].sort() },
      emergencyKind: c.emergencyKind,
      language: c.language,
    });
    if (result.intent === 'unknown') expect(result.confidence).toBe(0);
    else expect(result.confidence).toBeGreaterThan(0);
  });
}
