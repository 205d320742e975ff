import { DateTime, Interval } from 'luxon';
import type { Clinic, Doctor, Service, Weekday } from '../config/catalog-schema.js';
import type { DateEntity } from '../core/nlu.js';
import type { BusyInterval } from '../core/ports/records.js';
import type { Slot } from '../../statecharts/conversation.js';

const WEEKDAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

export interface SlotQuery {
  serviceId: string;
  doctorId: string | null;
  date: DateEntity | null;
  now: Date;
  /** How many slots to offer. */
  limit: number;
  /** Without a date: search from this instant on (e.g. the day after a full one). */
  notBefore?: Date;
}

export function slotId(doctorId: string, startsAt: string): string {
  return `${doctorId}@${startsAt}`;
}

/** The doctors who can do the service: the named one if they do it, otherwise all who do. */
export function doctorsFor(clinic: Clinic, serviceId: string, doctorId: string | null): Doctor[] {
  const able = clinic.doctors.filter((d) => d.services.includes(serviceId));
  const named = able.filter((d) => d.id === doctorId);
  return named.length > 0 ? named : able;
}

/** The window to search: the named day, or from now to the booking horizon. */
export function searchWindow(clinic: Clinic, query: SlotQuery): Interval {
  const earliest = DateTime.fromJSDate(query.now, { zone: clinic.timeZone }).plus({ minutes: clinic.minNoticeMinutes });
  if (query.date) {
    const day = DateTime.fromISO(query.date.start, { zone: clinic.timeZone }).startOf('day');
    const start = DateTime.max(day, earliest);
    return Interval.fromDateTimes(start, DateTime.max(start, day.endOf('day')));
  }
  const from = query.notBefore ? DateTime.max(earliest, DateTime.fromJSDate(query.notBefore, { zone: clinic.timeZone })) : earliest;
  return Interval.fromDateTimes(from, earliest.plus({ days: clinic.bookingHorizonDays }).endOf('day'));
}

/** Whether [start, end) lies inside one of the doctor's working intervals that day. */
export function isWithinWorkingHours(clinic: Clinic, doctor: Doctor, start: Date, end: Date): boolean {
  const from = DateTime.fromJSDate(start, { zone: clinic.timeZone });
  const to = DateTime.fromJSDate(end, { zone: clinic.timeZone });
  if (!from.hasSame(to, 'day')) return false;
  return workingIntervals(doctor, from).some((interval) => interval.start! <= from && to <= interval.end!);
}

function workingIntervals(doctor: Doctor, day: DateTime): Interval[] {
  const weekday = WEEKDAYS[day.weekday - 1] as Weekday;
  return (doctor.workingHours[weekday] ?? []).map(([from, to]) =>
    Interval.fromDateTimes(atTime(day, from), atTime(day, to)),
  );
}

function atTime(day: DateTime, hhmm: string): DateTime {
  const [hour, minute] = hhmm.split(':').map(Number);
  return day.set({ hour, minute, second: 0, millisecond: 0 });
}

/**
 * Free slots: working hours minus booked intervals, on the clinic's slot grid. With a time
 * of day requested, the nearest slots to it come first; otherwise the earliest.
 */
export function computeFreeSlots(clinic: Clinic, query: SlotQuery, busy: BusyInterval[], window = searchWindow(clinic, query)): Slot[] {
  const service = clinic.services.find((s) => s.id === query.serviceId);
  if (!service) return [];
  const doctors = doctorsFor(clinic, query.serviceId, query.doctorId);
  const part = query.date?.partOfDay;
  const candidates: Slot[] = [];
  const starts = new Set<string>();
  for (let day = window.start!.startOf('day'); day <= window.end!; day = day.plus({ days: 1 })) {
    const dayStart = day.toMillis();
    const dayEnd = day.plus({ days: 1 }).toMillis();
    const busyToday = busy.filter((b) => b.startsAt.getTime() < dayEnd && b.endsAt.getTime() > dayStart);
    for (const doctor of doctors) {
      const doctorBusy = busyToday.filter((b) => b.doctorId === doctor.id);
      for (const slot of daySlots(clinic, service, doctor, day, window, doctorBusy)) {
        if (part && !inPartOfDay(clinic, slot, part)) continue;
        candidates.push(slot);
        starts.add(slot.startsAt);
      }
    }
    // Later days only come after what was found; a named time keeps to its one day anyway.
    if (!query.date?.hasTime && starts.size >= query.limit) break;
  }
  return pickSlots(candidates, query);
}

/** One doctor's free slots on one day, stepping in epoch milliseconds (Luxon only for the day's hours). */
function daySlots(clinic: Clinic, service: Service, doctor: Doctor, day: DateTime, window: Interval, busy: BusyInterval[]): Slot[] {
  const slots: Slot[] = [];
  const duration = service.durationMinutes * 60_000;
  const step = clinic.slotStepMinutes * 60_000;
  const earliest = window.start!.toMillis();
  for (const hours of workingIntervals(doctor, day)) {
    const close = hours.end!.toMillis();
    for (let start = hours.start!.toMillis(); start + duration <= close; start += step) {
      const end = start + duration;
      if (start < earliest || busy.some((b) => b.startsAt.getTime() < end && start < b.endsAt.getTime())) continue;
      const startsAt = new Date(start).toISOString();
      slots.push({ id: slotId(doctor.id, startsAt), doctorId: doctor.id, serviceId: service.id, startsAt, endsAt: new Date(end).toISOString() });
    }
  }
  return slots;
}

/** Clinic-time hours [from, to) of each part of the day. */
const PARTS_OF_DAY = { morning: [0, 12], afternoon: [12, 17], evening: [17, 24] } as const;

function inPartOfDay(clinic: Clinic, slot: Slot, part: keyof typeof PARTS_OF_DAY): boolean {
  const hour = DateTime.fromISO(slot.startsAt, { zone: clinic.timeZone }).hour;
  const [from, to] = PARTS_OF_DAY[part];
  return hour >= from && hour < to;
}

function pickSlots(candidates: Slot[], query: SlotQuery): Slot[] {
  const byTime = (a: Slot, b: Slot) => a.startsAt.localeCompare(b.startsAt) || a.doctorId.localeCompare(b.doctorId);
  if (query.date?.hasTime) {
    const wanted = Date.parse(query.date.start);
    const distance = (slot: Slot) => Math.abs(Date.parse(slot.startsAt) - wanted);
    return spreadAcrossStarts([...candidates].sort((a, b) => distance(a) - distance(b) || byTime(a, b)), query.limit);
  }
  return spreadAcrossStarts([...candidates].sort(byTime), query.limit);
}

/** Picks in the given order, distinct start times first, so three doctors free at 09:00 don't fill the menu. */
function spreadAcrossStarts(sorted: Slot[], limit: number): Slot[] {
  const picked: Slot[] = [];
  const starts = new Set<string>();
  for (const slot of sorted) {
    if (picked.length >= limit) break;
    if (starts.has(slot.startsAt)) continue;
    starts.add(slot.startsAt);
    picked.push(slot);
  }
  for (const slot of sorted) {
    if (picked.length >= limit) break;
    if (!picked.includes(slot)) picked.push(slot);
  }
  return picked.sort((a, b) => a.startsAt.localeCompare(b.startsAt));
}
