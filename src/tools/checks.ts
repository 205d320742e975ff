/**
 * Checks the tools share: placeholder ids, catalog ids, doctor and service that go together,
 * and times inside working hours. Each returns the problem found, or nothing.
 */
import type { DateTime } from 'luxon';
import type { Clinic, Doctor, Weekday } from '../config/catalog-schema.js';
import type { ConversationEvent } from '../../statecharts/conversation.js';
import { doctorsDoing } from './suggestions.js';
import type { ToolCallContext, ToolCheck, ToolIssue, ToolSuggestions } from './types.js';

export function accept(event: ConversationEvent): ToolCheck {
  return { ok: true, event };
}

export function refuse(issues: ToolIssue | ToolIssue[], suggestions: ToolSuggestions): ToolCheck {
  return { ok: false, issues: Array.isArray(issues) ? issues : [issues], suggestions };
}

// Values models write when they have no real id: echoes of the field name, schema words,
// template markers, counters ("slot_1") and nil UUIDs.
const PLACEHOLDER_PATTERNS: readonly RegExp[] = [
  /^$/,
  /^\d+$/,
  /^[0-]+$/,
  /^(test|testing|string|null|undefined|none|nil|n\/a|na|example|sample|placeholder|unknown|tbd|todo|id|uuid|foo|bar|abc|xyz|value|any)$/,
  /^x{2,}$/,
  /^\.{2,}$|…/,
  /^<.*>$|^\{.*\}$|^\[.*\]$|^\$\{?\w+\}?$/,
  /^(your|the|some|a|an|my)[ _-]\w*id$/,
  /^(doctor|dr|service|slot|appointment|appt|patient|clinic|booking|option|item)[ _-]?(id|uuid|\d+)$/,
  /^(example|test|sample|fake|dummy)[ _-]/,
];

export function isPlaceholder(value: string): boolean {
  const normalized = value.trim().toLowerCase();
  return PLACEHOLDER_PATTERNS.some((pattern) => pattern.test(normalized));
}

/** Every id the conversation has really seen: the catalog, offered slots, the patient's appointments. */
export function knownIds({ clinic, context }: ToolCallContext): Set<string> {
  return new Set([
    ...clinic.services.map((service) => service.id),
    ...clinic.doctors.map((doctor) => doctor.id),
    ...context.offeredSlots.map((slot) => slot.id),
    ...context.appointmentChoices.map((appointment) => appointment.id),
    ...(context.appointment ? [context.appointment.id] : []),
  ]);
}

/** Placeholders among the id arguments (every argument whose name ends in "Id"). A real id never counts as one. */
export function placeholderIssues(args: Record<string, unknown>, known: ReadonlySet<string>): ToolIssue[] {
  return Object.entries(args)
    .filter((entry): entry is [string, string] => entry[0].endsWith('Id') && typeof entry[1] === 'string')
    .filter(([, value]) => !known.has(value) && isPlaceholder(value))
    .map(([path, value]) => ({
      path,
      code: 'placeholder' as const,
      message: `${JSON.stringify(value)} is a placeholder, not an id from this conversation; use one of the suggested ids.`,
    }));
}

export function unknownServiceIssue(clinic: Clinic, serviceId: string | null): ToolIssue | null {
  if (serviceId === null || clinic.services.some((service) => service.id === serviceId)) return null;
  return { path: 'serviceId', code: 'unknown_id', message: `There is no service "${serviceId}" in the clinic's catalog.` };
}

/** An unknown doctor, or one who does not do the service. */
export function doctorIssue(clinic: Clinic, doctorId: string | null, serviceId: string | null): ToolIssue | null {
  if (doctorId === null) return null;
  const doctor = clinic.doctors.find((candidate) => candidate.id === doctorId);
  if (!doctor) return { path: 'doctorId', code: 'unknown_id', message: `There is no doctor "${doctorId}" at this clinic.` };
  if (serviceId !== null && !doctor.services.includes(serviceId)) {
    return { path: 'doctorId', code: 'mismatch', message: `${doctorId} does not do "${serviceId}"; pick a doctor who does.` };
  }
  return null;
}

/** The doctors a named time must suit: the one named, else those who do the service, else all. */
export function doctorsToAsk(clinic: Clinic, doctorId: string | null, serviceId: string | null): Doctor[] {
  const named = clinic.doctors.filter((doctor) => doctor.id === doctorId);
  return named.length > 0 ? named : doctorsDoing(clinic, serviceId);
}

const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** A named time must fall inside one of these doctors' working intervals on that weekday. */
export function workingHoursIssue(doctors: readonly Doctor[], at: DateTime): ToolIssue | null {
  const weekday = WEEKDAYS[at.weekday - 1] ?? 'mon';
  const clock = at.toFormat('HH:mm');
  const works = doctors.some((doctor) => (doctor.workingHours[weekday] ?? []).some(([from, to]) => from <= clock && clock < to));
  if (works) return null;
  const whose = doctors.length === 1 ? `${doctors[0]?.id ?? 'the doctor'}'s working hours` : 'the working hours of every doctor who does this service';
  return {
    path: 'time',
    code: 'outside_hours',
    message: `${clock} on ${weekday} is outside ${whose}; see the suggested working hours.`,
  };
}
