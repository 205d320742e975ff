/** Shared shape of the per-language emergency tables: true cases, false cases, and how they are checked. */
import { expect, it } from 'vitest';
import type { Locale } from '../../../src/core/locale.js';
import type { Intent } from '../../../src/core/nlu.js';
import type { EmergencyKind, Nlu } from '../../../src/nlu/index.js';
import { NOW } from './support.js';

export const MIN_TRUE_CASES = 15;
export const MIN_FALSE_CASES = 10;

/** A message that is an emergency of this kind. */
export interface EmergencyCase {
  readonly text: string;
  readonly kind: EmergencyKind;
}

/** A message that mentions a symptom but is not an emergency: what it is instead. */
export interface CalmCase {
  readonly text: string;
  readonly intent: Exclude<Intent, 'emergency'>;
  readonly serviceId?: string;
}

export function runEmergencyTable(
  nlu: () => Nlu,
  language: Locale,
  table: { emergencies: readonly EmergencyCase[]; calm: readonly CalmCase[] },
): void {
  it('has enough cases of both kinds', () => {
    expect(table.emergencies.length).toBeGreaterThanOrEqual(MIN_TRUE_CASES);
    expect(table.calm.length).toBeGreaterThanOrEqual(MIN_FALSE_CASES);
  });

  it.each(table.emergencies.map((c) => [c.text, c] as const))('emergency: %s', (_text, c) => {
    const result = nlu().understand(c.text, { locale: null, now: NOW });
    expect({ intent: result.intent, kind: result.emergencyKind, language: result.language }).toEqual({
      intent: 'emergency',
      kind: c.kind,
      language,
    });
    expect(result.confidence).toBeGreaterThan(0);
  });

  it.each(table.calm.map((c) => [c.text, c] as const))('not an emergency: %s', (_text, c) => {
    const result = nlu().understand(c.text, { locale: null, now: NOW });
    expect({ intent: result.intent, kind: result.emergencyKind, serviceId: result.entities.serviceId }).toEqual({
      intent: c.intent,
      kind: undefined,
      serviceId: c.serviceId,
    });
  });
}
