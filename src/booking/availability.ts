import { DateTime, Interval } from 'luxon';
import { clinicClock, type ClinicClock, type ClinicInstant } from './clinic-clock.js';
import type { Clinic, Doctor, Service, Weekday } from '../config/catalog-schema.js';
import type { DateEntity } from '../core/nlu.js';
import type { BusyInterval } from '../core/ports/records.js';
import type { Slot } from '../../statecharts/conversation.js';

const WEEKDAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const MINUTE = 60_000;

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

/** The window to search: the named day, or from now to the booking horizon (also when any day will do). */
export function searchWindow(clinic: Clinic, query: SlotQuery): Interval {
  const clock = clinicClock(clinic.timeZone);
  // To the next whole minute: slots are on a coarser grid, and the clock remembers whole minutes.
  const earliest = clock.instant(Math.ceil((query.now.getTime() + clinic.minNoticeMinutes * MINUTE) / MINUTE) * MINUTE);
  if (query.date && !query.date.anyDay) {
    const day = clock.dayOf(Date.parse(query.date.start));
    const start = DateTime.max(day, earliest);
    return Interval.fromDateTimes(start, DateTime.max(start, clock.endOfDay(day)));
  }
  // Any day from the one named on ("next week"), or from a later instant (the day after a full one).
  const firstDay = query.date?.anyDay ? clock.dayOf(Date.parse(query.date.start)) : earliest;
  const notBefore = query.notBefore ? clock.instant(query.notBefore.getTime()) : earliest;
  const from = DateTime.max(earliest, firstDay, notBefore);
  return Interval.fromDateTimes(from, clock.endOfDay(clock.dayOf(earliest.toMillis()), clinic.bookingHorizonDays));
}

/** Whether [start, end) lies inside one of the doctor's working intervals that day. */
export function isWithinWorkingHours(clinic: Clinic, doctor: Doctor, start: Date, end: Date): boolean {
  const clock = clinicClock(clinic.timeZone);
  const day = clock.dayOf(start.getTime());
  // Working hours end by midnight, so an interval inside them is inside one day.
  const hours = workingIntervals(clock, doctor, day);
  return hours.some(({ open, close }) => open.ms <= start.getTime() && end.getTime() <= close.ms);
}

/** A doctor's working hours on one clinic day, as instants. */
function workingIntervals(clock: ClinicClock, doctor: Doctor, day: DateTime): { open: ClinicInstant; close: ClinicInstant }[] {
  const weekday = WEEKDAYS[day.weekday - 1] as Weekday;
  return (doctor.workingHours[weekday] ?? []).map(([from, to]) => ({
    open: clock.at(day, minuteOf(from)),
    close: clock.at(day, minuteOf(to)),
  }));
}

/** "09:30" → 570. */
function minuteOf(hhmm: string): number {
  const [hour, minute] = hhmm.split(':').map(Number);
  return (hour ?? 0) * 60 + (minute ?? 0);
}

/** Clinic-time minutes [from, to) of each part of the day. */
const PARTS_OF_DAY = { morning: [0, 12 * 60], afternoon: [12 * 60, 17 * 60], evening: [17 * 60, 24 * 60] } as const;

/**
 * The clinic-time minutes of a day a slot may start in, from what the patient asked: a part of
 * the day, a bound ("after 3pm": from 15:00; "before 10": until 10:00), or, for a time asked for,
 * the part of the day it falls in. The same every day, so it is worked out once per search.
 */
function allowedMinutes(date: DateEntity | null, zone: string): readonly [number, number] {
  if (!date) return [0, 24 * 60];
  if (date.partOfDay) return PARTS_OF_DAY[date.partOfDay];
  if (!date.hasTime) return [0, 24 * 60];
  const at = DateTime.fromISO(date.start, { zone });
  const minute = at.hour * 60 + at.minute;
  if (date.timeRelation === 'after') return [minute, 24 * 60];
  if (date.timeRelation === 'before') return [0, minute];
  const part = Object.values(PARTS_OF_DAY).find(([from, to]) => minute >= from && minute < to) ?? [0, 24 * 60];
  return part;
}

/**
 * Free slots: working hours minus booked intervals, on the clinic's slot grid, only at times the
 * patient asked for (`allowedMinutes`). A time asked for puts the nearest slots first; otherwise
 * the menu is spread over the day (or days) found and over the practitioners who do the service.
 * Work is per day and doctor: the allowed range, the zone offset and the busy list are taken once
 * for each, and candidates outside the range are never built.
 */
export function computeFreeSlots(clinic: Clinic, query: SlotQuery, busy: BusyInterval[], window = searchWindow(clinic, query)): Slot[] {
  const service = clinic.services.find((s) => s.id === query.serviceId);
  if (!service) return [];
  const doctors = doctorsFor(clinic, query.serviceId, query.doctorId);
  const [fromMinute, toMinute] = allowedMinutes(query.date, clinic.timeZone);
  const clock = clinicClock(clinic.timeZone);
  const candidates: Slot[] = [];
  const starts = new Set<string>();
  const last = window.end!.toMillis();
  for (let day: DateTime = window.start!.startOf('day'); day.toMillis() <= last; day = clock.next(day)) {
    const dayStart = day.toMillis();
    const dayEnd = clock.next(day).toMillis();
    const busyToday = busy.filter((b) => b.startsAt.getTime() < dayEnd && b.endsAt.getTime() > dayStart);
    const range = { from: clock.at(day, fromMinute).ms, to: clock.at(day, toMinute).ms };
    for (const doctor of doctors) {
      const doctorBusy = busyToday.filter((b) => b.doctorId === doctor.id);
      for (const slot of daySlots(clock, clinic, service, doctor, day, window, range, doctorBusy)) {
        candidates.push(slot);
        starts.add(slot.startsAt);
      }
    }
    // Later days only come after what was found; a time on a named day keeps to that day anyway.
    if (starts.size >= query.limit) break;
  }
  return pickSlots(candidates, query, clinic);
}

/** One doctor's free slots on one day within `range`, stepping in epoch milliseconds. */
function daySlots(
  clock: ClinicClock,
  clinic: Clinic,
  service: Service,
  doctor: Doctor,
  day: DateTime,
  window: Interval,
  range: { from: number; to: number },
  busy: BusyInterval[],
): Slot[] {
  const slots: Slot[] = [];
  const duration = service.durationMinutes * MINUTE;
  const step = clinic.slotStepMinutes * MINUTE;
  const earliest = Math.max(window.start!.toMillis(), range.from);
  for (const hours of workingIntervals(clock, doctor, day)) {
    const open = hours.open.ms;
    const close = hours.close.ms;
    const offset = hours.open.offsetMinutes * MINUTE;
    // First grid point at or after the earliest allowed start.
    const first = open + Math.max(0, Math.ceil((earliest - open) / step)) * step;
    for (let start = first; start + duration <= close && start < range.to; start += step) {
      const end = start + duration;
      if (busy.some((b) => b.startsAt.getTime() < end && start < b.endsAt.getTime())) continue;
      const startsAt = new Date(start).toISOString();
      const local = new Date(start + offset).toISOString().slice(0, 16);
      slots.push({ id: slotId(doctor.id, startsAt), doctorId: doctor.id, serviceId: service.id, startsAt, endsAt: new Date(end).toISOString(), local });
    }
  }
  return slots;
}

function pickSlots(candidates: Slot[], query: SlotQuery, clinic: Clinic): Slot[] {
  const byTime = (a: Slot, b: Slot) => a.startsAt.localeCompare(b.startsAt) || a.doctorId.localeCompare(b.doctorId);
  const sorted = [...candidates].sort(byTime);
  if (query.date?.hasTime && (query.date.timeRelation ?? 'at') === 'at') {
    const wanted = DateTime.fromISO(query.date.start, { zone: clinic.timeZone });
    const wantedMinute = wanted.hour * 60 + wanted.minute;
    // Nearest to the time of day asked for; any day will do only when no day was named.
    const distance = (slot: Slot) => Math.abs(minuteOfDay(slot) - wantedMinute) + (query.date?.anyDay ? dayIndex(slot, sorted) * 24 * 60 : 0);
    return nearestFirst([...sorted].sort((a, b) => distance(a) - distance(b) || byTime(a, b)), query.limit);
  }
  return spreadOver(sorted, query.limit);
}

function minuteOfDay(slot: Slot): number {
  const local = slot.local ?? slot.startsAt;
  return Number(local.slice(11, 13)) * 60 + Number(local.slice(14, 16));
}

/** 0 for the first day among the candidates, 1 for the next… */
function dayIndex(slot: Slot, sorted: Slot[]): number {
  const firstDay = Date.parse((sorted[0]?.local ?? sorted[0]?.startsAt ?? '').slice(0, 10));
  return Math.round((Date.parse((slot.local ?? slot.startsAt).slice(0, 10)) - firstDay) / (24 * 60 * MINUTE));
}

/** In the given order, distinct start times first, and another practitioner before the same one again. */
function nearestFirst(sorted: Slot[], limit: number): Slot[] {
  const picked: Slot[] = [];
  const starts = new Set<string>();
  const doctors = new Set<string>();
  const take = (slot: Slot) => {
    picked.push(slot);
    starts.add(slot.startsAt);
    doctors.add(slot.doctorId);
  };
  for (const slot of sorted) {
    if (picked.length >= limit) break;
    if (starts.has(slot.startsAt)) continue;
    // Among slots as near as this one, one with a practitioner not offered yet goes first.
    const tie = sorted.find((s) => !starts.has(s.startsAt) && !doctors.has(s.doctorId) && s.startsAt === slot.startsAt);
    take(tie ?? slot);
  }
  for (const slot of sorted) {
    if (picked.length >= limit) break;
    if (!picked.includes(slot)) take(slot);
  }
  return picked.sort((a, b) => a.startsAt.localeCompare(b.startsAt));
}

/**
 * A useful spread: the earliest slot, then times spaced evenly up to the last one found (over the
 * part of the day asked for, or the day), each from the practitioner offered least so far among
 * those free near that time. `sorted` is in time order.
 */
function spreadOver(sorted: Slot[], limit: number): Slot[] {
  if (sorted.length <= limit) return sorted;
  const time = (slot: Slot) => Date.parse(slot.startsAt);
  const first = time(sorted[0] as Slot);
  const span = time(sorted[sorted.length - 1] as Slot) - first;
  const radius = limit > 1 ? span / (2 * (limit - 1)) : span;
  const picked: Slot[] = [];
  const starts = new Set<string>();
  const offered = new Map<string, number>();
  const timesOffered = (slot: Slot) => offered.get(slot.doctorId) ?? 0;
  for (let j = 0; j < limit; j++) {
    const target = limit > 1 ? first + (j * span) / (limit - 1) : first;
    const open = sorted.filter((slot) => !starts.has(slot.startsAt));
    const near = open.filter((slot) => Math.abs(time(slot) - target) <= radius);
    const pool = near.length > 0 ? near : open;
    // The practitioner offered least so far, then the time nearest the target.
    const best = pool.reduce<Slot | null>((chosen, slot) => {
      if (chosen === null) return slot;
      const fewer = timesOffered(slot) - timesOffered(chosen);
      if (fewer !== 0) return fewer < 0 ? slot : chosen;
      return Math.abs(time(slot) - target) < Math.abs(time(chosen) - target) ? slot : chosen;
    }, null);
    if (best === null) break;
    picked.push(best);
    starts.add(best.startsAt);
    offered.set(best.doctorId, timesOffered(best) + 1);
  }
  return picked.sort((a, b) => a.startsAt.localeCompare(b.startsAt));
}
