/**
 * Clinic-time instants, each worked out once. Luxon computes a zone's offset through Intl every
 * time it builds or moves a zoned DateTime, and a slot search builds a few per doctor and day:
 * that was most of a search's time. The answers depend only on the zone, the day and the minute,
 * so they are kept (bounded: a clinic books a few weeks ahead).
 */
import { DateTime } from 'luxon';

/** An instant as epoch milliseconds, with the zone's offset from UTC then (minutes). */
export interface ClinicInstant {
  ms: number;
  offsetMinutes: number;
}

/** More than any booking horizon needs; beyond it the memo starts over. */
const MAX_ENTRIES = 20_000;

export class ClinicClock {
  private readonly instants = new Map<string, ClinicInstant>();
  private readonly nextDays = new Map<number, DateTime>();
  private readonly daysOf = new Map<number, DateTime>();
  private readonly moments = new Map<number, DateTime>();

  constructor(readonly zone: string) {}

  /** Minute `minute` of the clinic day starting at `day` (24 * 60: the next midnight), right across summer time. */
  at(day: DateTime, minute: number): ClinicInstant {
    const key = `${day.toMillis()}|${minute}`;
    let instant = this.instants.get(key);
    if (!instant) {
      const moment =
        minute >= 24 * 60 ? this.next(day) : day.set({ hour: Math.floor(minute / 60), minute: minute % 60, second: 0, millisecond: 0 });
      instant = { ms: moment.toMillis(), offsetMinutes: moment.offset };
      this.remember(this.instants, key, instant);
    }
    return instant;
  }

  /** The start of the clinic day after `day`. */
  next(day: DateTime): DateTime {
    const key = day.toMillis();
    let next = this.nextDays.get(key);
    if (!next) {
      next = day.plus({ days: 1 });
      this.remember(this.nextDays, key, next);
    }
    return next;
  }

  /**
   * The start of the clinic day an instant falls in. Remembered per instant: slot times and
   * "now" (to the minute) come back again and again.
   */
  dayOf(ms: number): DateTime {
    let day = this.daysOf.get(ms);
    if (!day) {
      day = DateTime.fromMillis(ms, { zone: this.zone }).startOf('day');
      this.remember(this.daysOf, ms, day);
    }
    return day;
  }

  /** The instant as a clinic-time DateTime (remembered: callers round to the minute). */
  instant(ms: number): DateTime {
    let moment = this.moments.get(ms);
    if (!moment) {
      moment = DateTime.fromMillis(ms, { zone: this.zone });
      this.remember(this.moments, ms, moment);
    }
    return moment;
  }

  /** The last millisecond of the clinic day `days` days after the one starting at `day` (0: that day). */
  endOfDay(day: DateTime, days = 0): DateTime {
    let next = this.next(day);
    for (let i = 0; i < days; i += 1) next = this.next(next);
    return this.instant(next.toMillis() - 1);
  }

  private remember<K, V>(memo: Map<K, V>, key: K, value: V): void {
    if (memo.size >= MAX_ENTRIES) memo.clear();
    memo.set(key, value);
  }
}

const clocks = new Map<string, ClinicClock>();

/** One clock per zone for the whole process: what it remembers is true for every caller. */
export function clinicClock(zone: string): ClinicClock {
  let clock = clocks.get(zone);
  if (!clock) {
    clock = new ClinicClock(zone);
    clocks.set(zone, clock);
  }
  return clock;
}
