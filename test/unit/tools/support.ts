/** A conversation in a given state, in the demo clinic, at a fixed moment: Monday 2026-11-23 09:30 in Lisbon (UTC+0). */
import { loadClinic } from '../../../src/config/clinic.js';
import type { Locale } from '../../../src/core/locale.js';
import type { ToolCallContext, ToolIssue } from '../../../src/tools/types.js';
import { checkToolCall, type ToolCallResult } from '../../../src/tools/validate.js';
import { initialContext, type AppointmentSummary, type ConversationContext, type Slot } from '../../../statecharts/conversation.js';

export const clinic = await loadClinic();
export const NOW = new Date('2026-11-23T09:30:00.000Z');

export function slot(doctorId: string, startsAt: string, serviceId = 'filling'): Slot {
  const endsAt = new Date(Date.parse(startsAt) + 60 * 60_000).toISOString();
  return { id: `${doctorId}@${startsAt}`, doctorId, serviceId, startsAt, endsAt };
}

export const OFFERED: Slot[] = [slot('dr-dan', '2026-11-24T10:00:00.000Z'), slot('dr-ivan', '2026-11-24T11:00:00.000Z')];

export const FILLING: AppointmentSummary = {
  id: '6f1c2b9e-3d4a-4c1b-9a55-2b7f0e8d1a01',
  doctorId: 'dr-dan',
  serviceId: 'filling',
  startsAt: '2026-11-30T10:00:00.000Z',
};
export const CLEANING: AppointmentSummary = {
  id: '9a3e7d21-51b8-4f0e-8c6d-7e2a4b9c0d02',
  doctorId: 'dr-ana',
  serviceId: 'cleaning',
  startsAt: '2026-12-02T15:00:00.000Z',
};

export function ctxIn(state: string, context: Partial<ConversationContext> = {}, locale: Locale = 'en'): ToolCallContext {
  return { state, context: { ...initialContext(), ...context }, clinic, now: NOW, locale };
}

export function call(ctx: ToolCallContext, name: string, args: Record<string, unknown> | string): ToolCallResult {
  return checkToolCall(name, typeof args === 'string' ? args : JSON.stringify(args), ctx);
}

/** The refusal's issues, failing the test when the call was accepted. */
export function refusal(result: ToolCallResult) {
  if (result.ok) throw new Error(`expected a refusal, got ${JSON.stringify(result.event)}`);
  return result.error;
}

export function codes(result: ToolCallResult): Pick<ToolIssue, 'path' | 'code'>[] {
  return refusal(result).issues.map(({ path, code }) => ({ path, code }));
}

export function ids(list: { id: string }[] | undefined): string[] {
  return (list ?? []).map((entry) => entry.id);
}
