/**
 * Valid values the model can pick instead of a refused one, each with a label it can match to
 * what the patient said. Names are in the patient's language; days and times in clinic time.
 */
import { DateTime } from 'luxon';
import type { Clinic, Doctor } from '../config/catalog-schema.js';
import type { Locale } from '../core/locale.js';
import type { AppointmentSummary } from '../../statecharts/conversation.js';
import { toolsAllowedIn } from '../../statecharts/agent-policy.js';
import { clinicNow, isoDay } from './dates.js';
import type { ToolCallContext, ToolSuggestions } from './types.js';

type Suggestion = ToolSuggestions[string][number];

export function serviceSuggestions({ clinic, locale }: ToolCallContext): Suggestion[] {
  return clinic.services.map((service) => ({ id: service.id, label: service.text[locale].name }));
}

/** The doctors who do the service, or every doctor when no service is known. */
export function doctorsDoing(clinic: Clinic, serviceId: string | null): Doctor[] {
  const known = serviceId !== null && clinic.services.some((service) => service.id === serviceId);
  return known ? clinic.doctors.filter((doctor) => doctor.services.includes(serviceId)) : clinic.doctors;
}

export function doctorSuggestions({ clinic, locale }: ToolCallContext, serviceId: string | null): Suggestion[] {
  return doctorsDoing(clinic, serviceId).map((doctor) => ({ id: doctor.id, label: doctor.names[locale] }));
}

export function slotSuggestions(ctx: ToolCallContext): Suggestion[] {
  return ctx.context.offeredSlots.map((slot) => ({
    id: slot.id,
    label: `${clinicTime(ctx, slot.startsAt)} ${doctorName(ctx, slot.doctorId)}`,
  }));
}

/** The patient's appointments this conversation has seen: the choices offered, or the one being changed. */
export function seenAppointments({ context }: ToolCallContext): AppointmentSummary[] {
  const seen = [...context.appointmentChoices];
  if (context.appointment && !seen.some((a) => a.id === context.appointment?.id)) seen.push(context.appointment);
  return seen;
}

export function appointmentSuggestions(ctx: ToolCallContext): Suggestion[] {
  return seenAppointments(ctx).map((appointment) => ({
    id: appointment.id,
    label: `${serviceName(ctx, appointment.serviceId)}, ${clinicTime(ctx, appointment.startsAt)} ${doctorName(ctx, appointment.doctorId)}`,
  }));
}

/** Today's date at the clinic, so the model can work out "tomorrow" or "Friday". */
export function todaySuggestion({ clinic, now }: ToolCallContext): Suggestion[] {
  const today = clinicNow(now, clinic.timeZone).setLocale('en');
  return [{ id: isoDay(today), label: `today (${today.toFormat('cccc')}) in the clinic's time zone ${clinic.timeZone}` }];
}

/** Who works when, e.g. "Mon 09:00-13:00, 14:00-18:00; Tue …", for the doctors given. */
export function workingHoursSuggestions(doctors: readonly Doctor[]): Suggestion[] {
  return doctors.map((doctor) => ({
    id: doctor.id,
    label: Object.entries(doctor.workingHours)
      .map(([weekday, intervals]) => `${weekday} ${intervals.map(([from, to]) => `${from}-${to}`).join(', ')}`)
      .join('; '),
  }));
}

export function allowedToolSuggestions(state: string): Suggestion[] {
  return toolsAllowedIn(state).map((name) => ({ id: name, label: `allowed in state ${state}` }));
}

function clinicTime({ clinic }: ToolCallContext, iso: string): string {
  return DateTime.fromISO(iso, { zone: clinic.timeZone }).setLocale('en').toFormat('ccc yyyy-LL-dd HH:mm');
}

function doctorName({ clinic, locale }: { clinic: Clinic; locale: Locale }, doctorId: string): string {
  return clinic.doctors.find((doctor) => doctor.id === doctorId)?.names[locale] ?? doctorId;
}

function serviceName({ clinic, locale }: { clinic: Clinic; locale: Locale }, serviceId: string): string {
  return clinic.services.find((service) => service.id === serviceId)?.text[locale].name ?? serviceId;
}
