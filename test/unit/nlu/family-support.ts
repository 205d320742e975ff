/** Shared set-up for the issue 11 tests: the family clinic on Monday 2026-12-07 09:00, and a table check. */
import path from 'node:path';
import { DateTime } from 'luxon';
import { beforeAll, expect, it } from 'vitest';
import { toConversationEvent } from '../../../src/conversation/events.js';
import { initialContext, type Slot } from '../../../statecharts/conversation.js';
import { loadClinic } from '../../../src/config/clinic.js';
import type { Locale } from '../../../src/core/locale.js';
import type { Intent, NluResult } from '../../../src/core/nlu.js';
import { createNlu, loadNluLexicons, type Nlu } from '../../../src/nlu/index.js';
import { LOCALES_DIR } from './support.js';

export const NOW = new Date('2026-12-07T09:00:00Z');
let nlu: Nlu | undefined;

/** Call at the top of a test file: builds the family clinic's NLU once before its tests. */
export function useFamilyClinic(): void {
  beforeAll(async () => {
    const clinic = await loadClinic(path.join(import.meta.dirname, '../../fixtures/family-clinic.json'));
    nlu = createNlu(clinic, await loadNluLexicons(LOCALES_DIR));
  });
}

export const read = (text: string, locale: Locale | null = null): NluResult => {
  if (!nlu) throw new Error('useFamilyClinic() was not called');
  return nlu.understand(text, { locale, now: NOW });
};
const local = (result: NluResult) => result.entities.date && DateTime.fromISO(result.entities.date.start, { zone: 'Europe/Lisbon' });
export const dayOf = (result: NluResult) => (result.entities.date?.anyDay ? undefined : local(result)?.toFormat('yyyy-MM-dd'));

export interface Case {
  text: string;
  intent: Intent;
  service?: string;
  doctor?: string;
  day?: string | null;
  negated?: string[];
}

export function check(cases: readonly Case[]): void {
  it.each(cases.map((c) => [c.text, c] as const))('%s', (_text, c) => {
    const result = read(c.text);
    expect(result.intent).toBe(c.intent);
    if (c.service !== undefined) expect(result.entities.serviceId).toBe(c.service);
    if (c.doctor !== undefined) expect(result.entities.doctorId).toBe(c.doctor);
    if (c.day !== undefined) expect(dayOf(result) ?? null).toBe(c.day);
    if (c.negated !== undefined) expect([...result.negated.serviceIds, ...result.negated.doctorIds].sort()).toEqual(c.negated);
  });
}

/** Each message is an emergency of that kind. */
export function checkEmergencies(cases: readonly (readonly [string, string])[]): void {
  it.each(cases)('%s → %s', (text, kind) => {
    const result = read(text);
    expect(result.intent).toBe('emergency');
    expect(result.emergencyKind).toBe(kind);
  });
}

/** A 15-minute slot at a clinic-local time (the family clinic is on UTC in December). */
export function slotAt(id: string, doctorId: string, serviceId: string, local: string): Slot {
  const startsAt = `${local}:00Z`;
  const endsAt = new Date(Date.parse(startsAt) + 15 * 60_000).toISOString().replace('.000', '');
  return { id, doctorId, serviceId, startsAt, endsAt, local };
}

/** In front of this menu each message picks that option. */
export function checkMenuChoices(slots: readonly Slot[], cases: readonly (readonly [string, number])[]): void {
  const context = { ...initialContext(), serviceId: slots[0]?.serviceId ?? null, offeredSlots: [...slots] };
  it.each(cases)('%s → option %i', (text, option) => {
    expect(toConversationEvent(read(text), 'booking.choosingSlot', context)).toEqual({ type: 'CHOOSE', option });
  });
}
