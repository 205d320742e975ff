/**
 * When a reminder goes out: pure rules over the clinic's reminder settings, in its time zone.
 *
 * A reminder is due `offsetMinutes` before the appointment. Reminders go out only inside the
 * send window (08:00–21:00 clinic time by default, both ends included). One due in the quiet
 * hours moves:
 * - to the end of the quiet hours (the window's next opening, 08:00);
 * - unless the visit is in the morning — it starts before 12:00 clinic time on the day those
 *   quiet hours end — then to their start instead (the window's last close, 21:00 the evening
 *   before), so the patient is not told first thing in the morning about a visit hours away.
 * A reminder is owed only if it would go at or after the moment the appointment got its time
 * (booking within the offset sends none) and before the appointment starts. When the evening
 * before is already past that moment, the morning opening is used if it is still before the
 * visit.
 *
 * Room: reminders domain; imports luxon only.
 */
import { DateTime } from 'luxon';

export interface SendWindow {
  /** HH:MM clinic time. */
  from: string;
  /** HH:MM clinic time, or 24:00. */
  to: string;
}

export interface ReminderTiming {
  startsAt: Date;
  offsetMinutes: number;
  /** When the appointment got its current start time. */
  timeSetAt: Date;
  window: SendWindow;
  zone: string;
}

const HOUR_MS = 3_600_000;
/** A visit starting before this (clinic time) on the morning the quiet hours end is "in the morning". */
const MORNING_ENDS_MS = 12 * HOUR_MS;

function wallMs(hhmm: string): number {
  const [hours = 0, minutes = 0] = hhmm.split(':').map(Number);
  return hours * HOUR_MS + minutes * 60_000;
}

/** Time of day on the clock on the clinic's wall, in ms since its midnight. */
function timeOfDay(at: DateTime): number {
  return at.hour * HOUR_MS + at.minute * 60_000 + at.second * 1000 + at.millisecond;
}

/** The instant `ms` of wall time on `day`'s date (24:00 is the next midnight). */
function atWallTime(day: DateTime, ms: number): DateTime {
  const midnight = day.startOf('day');
  if (ms >= 24 * HOUR_MS) return midnight.plus({ days: 1 });
  return midnight.set({ hour: Math.floor(ms / HOUR_MS), minute: Math.floor((ms % HOUR_MS) / 60_000) });
}

export function isInSendWindow(at: Date, window: SendWindow, zone: string): boolean {
  const local = timeOfDay(DateTime.fromJSDate(at, { zone }));
  return local >= wallMs(window.from) && local <= wallMs(window.to);
}

/** The quiet hours `at` falls in: when they began (the window's close) and end (its opening). */
function quietHoursAround(at: Date, window: SendWindow, zone: string): { closing: Date; opening: Date } {
  const local = DateTime.fromJSDate(at, { zone });
  const from = wallMs(window.from);
  const to = wallMs(window.to);
  if (timeOfDay(local) < from) {
    return { closing: atWallTime(local.minus({ days: 1 }), to).toJSDate(), opening: atWallTime(local, from).toJSDate() };
  }
  return { closing: atWallTime(local, to).toJSDate(), opening: atWallTime(local.plus({ days: 1 }), from).toJSDate() };
}

function isMorningVisit(startsAt: Date, opening: Date, zone: string): boolean {
  const visit = DateTime.fromJSDate(startsAt, { zone });
  return visit.hasSame(DateTime.fromJSDate(opening, { zone }), 'day') && timeOfDay(visit) < MORNING_ENDS_MS;
}

/** When this reminder goes out, or null when none is owed (see the module comment). */
export function reminderSendTime(timing: ReminderTiming): Date | null {
  const { startsAt, offsetMinutes, timeSetAt, window, zone } = timing;
  const due = new Date(startsAt.getTime() - offsetMinutes * 60_000);
  let candidates: Date[];
  if (isInSendWindow(due, window, zone)) {
    candidates = [due];
  } else {
    const { closing, opening } = quietHoursAround(due, window, zone);
    candidates = isMorningVisit(startsAt, opening, zone) ? [closing, opening] : [opening];
  }
  return candidates.find((at) => at.getTime() >= timeSetAt.getTime() && at.getTime() < startsAt.getTime()) ?? null;
}

/**
 * For a reminder found in the quiet hours when it fired (late, after a restart): the next
 * opening of the window, or null when the visit starts before that.
 */
export function nextSendTimeAfter(now: Date, startsAt: Date, window: SendWindow, zone: string): Date | null {
  if (isInSendWindow(now, window, zone)) return now;
  const { opening } = quietHoursAround(now, window, zone);
  return opening.getTime() < startsAt.getTime() ? opening : null;
}
