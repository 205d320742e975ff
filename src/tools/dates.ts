/**
 * The model names a day as `YYYY-MM-DD` and a time as `HH:MM`, both meant in the clinic's time
 * zone; this turns them into the same DateEntity the offline NLU builds for "Friday at 10".
 */
import { DateTime } from 'luxon';
import type { DateEntity } from '../core/nlu.js';
import type { ToolIssue } from './types.js';

export const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
export const TIME_PATTERN = /^([01]\d|2[0-3]):[0-5]\d$/;
export const PARTS_OF_DAY = ['morning', 'afternoon', 'evening'] as const;
export type PartOfDay = (typeof PARTS_OF_DAY)[number];

export interface RequestedWhen {
  date: string | null;
  time: string | null;
  /** "after 3pm" / "before 10": the time is a bound. */
  timeRelation?: 'after' | 'before' | null;
  partOfDay?: PartOfDay | null;
}

/** `at` is the clinic-time instant when a time was named, for the working-hours check. */
export type ResolvedWhen =
  | { ok: true; entity: DateEntity | null; at: DateTime | null }
  | { ok: false; issue: ToolIssue };

export function clinicNow(now: Date, zone: string): DateTime {
  return DateTime.fromJSDate(now, { zone });
}

export function resolveWhen(when: RequestedWhen, zone: string, now: Date): ResolvedWhen {
  const today = clinicNow(now, zone).startOf('day');
  const day = when.date === null ? null : DateTime.fromISO(when.date, { zone });
  if (day !== null && !day.isValid) {
    return { ok: false, issue: { path: 'date', code: 'schema', message: `${when.date} is not a calendar date; use YYYY-MM-DD.` } };
  }
  if (day !== null && day < today) {
    return { ok: false, issue: { path: 'date', code: 'in_past', message: `${when.date} is in the past; today is ${isoDay(today)} in the clinic's time zone.` } };
  }
  // As the offline NLU reads it: with no day named, any day will do.
  const anyDay = day === null ? { anyDay: true } : {};
  if (when.time === null) {
    const partOfDay = when.partOfDay ?? null;
    const named = day ?? (partOfDay ? today : null);
    if (named === null) return { ok: true, entity: null, at: null };
    const entity: DateEntity = { start: isoInstant(named), hasTime: false, ...(partOfDay ? { partOfDay } : {}), ...anyDay, local: isoDay(named) };
    return { ok: true, entity, at: null };
  }
  const [hour, minute] = when.time.split(':').map(Number);
  let at = (day ?? today).set({ hour, minute, second: 0, millisecond: 0 });
  if (at.toMillis() <= now.getTime()) {
    if (day !== null) {
      return { ok: false, issue: { path: 'time', code: 'in_past', message: `${when.date} ${when.time} has already passed; it is now ${clinicNow(now, zone).toFormat('yyyy-LL-dd HH:mm')} at the clinic.` } };
    }
    // "At 10" with no day means the next 10:00, as the offline NLU reads it.
    at = at.plus({ days: 1 });
  }
  const relation = when.timeRelation ? { timeRelation: when.timeRelation } : {};
  return { ok: true, entity: { start: isoInstant(at), hasTime: true, ...relation, ...anyDay, local: at.toFormat("yyyy-LL-dd'T'HH:mm") }, at };
}

export function isoDay(value: DateTime): string {
  return value.toFormat('yyyy-LL-dd');
}

function isoInstant(value: DateTime): string {
  return value.toUTC().toISO() ?? value.toJSDate().toISOString();
}
