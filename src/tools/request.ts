/**
 * What a booking-like request names — service, doctor, day, time — checked together, so the
 * model hears about every problem at once and fixes them in one retry.
 */
import type { DateEntity } from '../core/nlu.js';
import { doctorIssue, doctorsToAsk, unknownServiceIssue, workingHoursIssue } from './checks.js';
import { resolveWhen, type PartOfDay } from './dates.js';
import { doctorSuggestions, serviceSuggestions, todaySuggestion, workingHoursSuggestions } from './suggestions.js';
import type { ToolCallContext, ToolIssue, ToolSuggestions } from './types.js';

export interface RequestDetails {
  /** The service the request is about: the one named, or the one the booking under way is for. */
  serviceId: string | null;
  doctorId: string | null;
  date: string | null;
  time: string | null;
  timeRelation?: 'after' | 'before' | null;
  partOfDay?: PartOfDay | null;
}

export type CheckedRequest =
  | { ok: true; date: DateEntity | null }
  | { ok: false; issues: ToolIssue[]; suggestions: ToolSuggestions };

export function checkRequest(details: RequestDetails, ctx: ToolCallContext): CheckedRequest {
  const { clinic } = ctx;
  const serviceIssue = unknownServiceIssue(clinic, details.serviceId);
  const serviceId = serviceIssue ? null : details.serviceId;
  const issues = [serviceIssue, doctorIssue(clinic, details.doctorId, serviceId)].filter((issue) => issue !== null);
  const when = resolveWhen(details, clinic.timeZone, ctx.now);
  const suggestions = requestSuggestions(ctx, serviceId);
  if (!when.ok) issues.push(when.issue);
  // A bound ("after 5") need not fall inside working hours; a time wanted as such must.
  else if (when.at !== null && !details.timeRelation && issues.length === 0) {
    const doctors = doctorsToAsk(clinic, details.doctorId, serviceId);
    const hoursIssue = workingHoursIssue(doctors, when.at);
    if (hoursIssue) {
      issues.push(hoursIssue);
      suggestions.workingHours = workingHoursSuggestions(doctors);
    }
  }
  if (issues.length > 0 || !when.ok) return { ok: false, issues, suggestions };
  return { ok: true, date: when.entity };
}

export function requestSuggestions(ctx: ToolCallContext, serviceId: string | null): ToolSuggestions {
  return { serviceId: serviceSuggestions(ctx), doctorId: doctorSuggestions(ctx, serviceId), today: todaySuggestion(ctx) };
}
