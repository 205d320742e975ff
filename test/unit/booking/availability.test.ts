import { describe, expect, it } from 'vitest';
import { computeFreeSlots, isWithinWorkingHours } from '../../../src/booking/availability.js';
import { loadClinic } from '../../../src/config/clinic.js';
import type { DateEntity } from '../../../src/core/nlu.js';
import type { BusyInterval } from '../../../src/core/ports/records.js';
import { testClinic } from '../../fixtures/clinic.js';

const clinic = testClinic();
const dan = clinic.doctors[0]!;
// Monday 23 Nov 2026, 08:00 in Lisbon (UTC+0 in winter).
const monday8 = new Date('2026-11-23T08:00:00Z');

describe('computeFreeSlots', () => {
  it('offers the earliest slot after the minimum notice, then a spread over the day, on the slot grid', () => {
    const slots = computeFreeSlots(clinic, { serviceId: 'filling', doctorId: null, date: null, now: monday8, limit: 3 }, []);
    // Free: 09:00…12:00 and 14:00…17:00 (60 min, 30-min grid): the first, the middle, the last.
    expect(slots.map((s) => s.startsAt)).toEqual(['2026-11-23T09:00:00.000Z', '2026-11-23T12:00:00.000Z', '2026-11-23T17:00:00.000Z']);
    expect(slots[0]).toMatchObject({ doctorId: 'dr-dan', serviceId: 'filling', endsAt: '2026-11-23T10:00:00.000Z', local: '2026-11-23T09:00' });
  });

  it('leaves out booked time and never crosses the lunch break', () => {
    const busy = [{ doctorId: 'dr-dan', startsAt: new Date('2026-11-23T09:00:00Z'), endsAt: new Date('2026-11-23T12:00:00Z') }];
    const slots = computeFreeSlots(clinic, { serviceId: 'filling', doctorId: null, date: null, now: monday8, limit: 8 }, busy);
    // 12:00–13:00 fits; 12:30 would run into lunch; afternoon starts 14:00: eight free hours that day, all offered.
    expect(slots.map((s) => s.startsAt.slice(11, 16))).toEqual(['12:00', '14:00', '14:30', '15:00', '15:30', '16:00', '16:30', '17:00']);
    expect(slots.every((s) => s.startsAt.startsWith('2026-11-23'))).toBe(true);
  });

  it('searches only the named day, and nothing on a day off', () => {
    const tuesday = { start: '2026-11-24T00:00:00.000Z', hasTime: false };
    expect(computeFreeSlots(clinic, { serviceId: 'xray', doctorId: null, date: tuesday, now: monday8, limit: 3 }, [])).toEqual([]);
    const wednesday = { start: '2026-11-25T00:00:00.000Z', hasTime: false };
    const slots = computeFreeSlots(clinic, { serviceId: 'xray', doctorId: null, date: wednesday, now: monday8, limit: 10 }, []);
    expect(slots).toHaveLength(6);
    expect(slots.every((s) => s.startsAt.startsWith('2026-11-25'))).toBe(true);
  });

  it('puts the slots nearest a requested time first', () => {
    const at15 = { start: '2026-11-23T15:00:00.000Z', hasTime: true };
    const slots = computeFreeSlots(clinic, { serviceId: 'xray', doctorId: null, date: at15, now: monday8, limit: 3 }, []);
    expect(slots.map((s) => s.startsAt)).toEqual(['2026-11-23T14:30:00.000Z', '2026-11-23T15:00:00.000Z', '2026-11-23T15:30:00.000Z']);
  });

  it('offers nothing for an unknown service', () => {
    expect(computeFreeSlots(clinic, { serviceId: 'massage', doctorId: null, date: null, now: monday8, limit: 3 }, [])).toEqual([]);
  });
});

describe('isWithinWorkingHours', () => {
  it('accepts a slot inside hours and refuses one across lunch or on a day off', () => {
    expect(isWithinWorkingHours(clinic, dan, new Date('2026-11-23T12:00:00Z'), new Date('2026-11-23T13:00:00Z'))).toBe(true);
    expect(isWithinWorkingHours(clinic, dan, new Date('2026-11-23T12:30:00Z'), new Date('2026-11-23T13:30:00Z'))).toBe(false);
    expect(isWithinWorkingHours(clinic, dan, new Date('2026-11-24T10:00:00Z'), new Date('2026-11-24T11:00:00Z'))).toBe(false);
  });
});

describe('part of the day', () => {
  it('offers only afternoon slots for "Monday afternoon"', () => {
    const afternoon = { start: '2026-11-23T00:00:00.000Z', hasTime: false, partOfDay: 'afternoon' as const };
    const slots = computeFreeSlots(clinic, { serviceId: 'xray', doctorId: null, date: afternoon, now: monday8, limit: 3 }, []);
    expect(slots.map((s) => s.startsAt)).toEqual(['2026-11-23T12:00:00.000Z', '2026-11-23T14:00:00.000Z', '2026-11-23T16:30:00.000Z']);
  });
});

const family = await loadClinic(new URL('../../fixtures/family-clinic.json', import.meta.url).pathname);

describe('slot menus at the family clinic (issue 11, class 7)', () => {
  // Monday 7 Dec 2026, 09:00 in Porto; Tuesday 8 Dec is a full working day for everyone.
  const now = new Date('2026-12-07T09:00:00Z');
  const tuesday = (extra: Partial<DateEntity> = {}): DateEntity => ({ start: '2026-12-08T00:00:00.000Z', hasTime: false, local: '2026-12-08', ...extra });
  const tuesdayAt = (hhmm: string, extra: Partial<DateEntity> = {}): DateEntity => ({
    start: `2026-12-08T${hhmm}:00.000Z`,
    hasTime: true,
    local: `2026-12-08T${hhmm}`,
    ...extra,
  });
  const menu = (serviceId: string, date: DateEntity | null, doctorId: string | null = null, busy: BusyInterval[] = []) =>
    computeFreeSlots(family, { serviceId, doctorId, date, now, limit: 4 }, busy);
  const times = (slots: { local?: string }[]) => slots.map((s) => s.local?.slice(11));

  it('spreads a menu over the practitioners who do the service and over the day', () => {
    const slots = menu('blood_test', tuesday());
    expect(slots).toHaveLength(4);
    expect(new Set(slots.map((s) => s.doctorId))).toEqual(new Set(['costa', 'santos']));
    expect(times(slots)[0]).toBe('08:00');
    expect(times(slots)[3]! >= '14:00').toBe(true);
    // Never four back-to-back 15-minute slots.
    const starts = slots.map((s) => Date.parse(s.startsAt));
    expect(starts.slice(1).every((t, i) => t - starts[i]! > 15 * 60_000)).toBe(true);
  });

  it('"after 3pm" offers nothing before 15:00, spread until closing', () => {
    const slots = menu('blood_test', tuesdayAt('15:00', { timeRelation: 'after' }));
    expect(slots.length).toBeGreaterThan(1);
    expect(times(slots).every((t) => t! >= '15:00')).toBe(true);
    expect(times(slots)).not.toContain('14:30');
    expect(times(slots)).not.toContain('14:45');
  });

  it('"before 10" offers only earlier times, and a part of the day only that part', () => {
    expect(times(menu('ecg', tuesdayAt('10:00', { timeRelation: 'before' }))).every((t) => t! < '10:00')).toBe(true);
    const evening = menu('physio', tuesday({ partOfDay: 'evening' }));
    expect(evening.length).toBeGreaterThan(1);
    expect(times(evening).every((t) => t! >= '17:00')).toBe(true);
    expect(times(menu('gp', tuesday({ partOfDay: 'morning' }))).every((t) => t! < '12:00')).toBe(true);
  });

  it('"after 5" with no day named looks at the next days, still only after 17:00', () => {
    const after5 = { start: '2026-12-07T17:00:00.000Z', hasTime: true, anyDay: true, timeRelation: 'after' as const, local: '2026-12-07T17:00' };
    const slots = menu('vaccination', after5);
    expect(slots.length).toBe(4);
    expect(times(slots).every((t) => t! >= '17:00')).toBe(true);
    // Only Dr. Lev vaccinates after 17:00.
    expect(slots.every((s) => s.doctorId === 'lev')).toBe(true);
  });

  it('"next week" offers times from next Monday on, not this week', () => {
    const nextWeek = { start: '2026-12-14T00:00:00.000Z', hasTime: false, anyDay: true, local: '2026-12-14' };
    const slots = menu('filling', nextWeek);
    expect(slots).toHaveLength(4);
    expect(slots.every((s) => s.local! >= '2026-12-14')).toBe(true);
  });

  it('a time asked for comes first, with its neighbours in the same part of the day', () => {
    const slots = menu('blood_test', tuesdayAt('10:30'));
    expect(times(slots)).toContain('10:30');
    expect(times(slots).every((t) => t! < '12:00')).toBe(true);
  });

  it('keeps to the practitioner named and leaves out what is booked', () => {
    const busy = [{ doctorId: 'santos', startsAt: new Date('2026-12-08T08:00:00Z'), endsAt: new Date('2026-12-08T12:00:00Z') }];
    const slots = menu('blood_test', tuesday({ partOfDay: 'morning' }), 'santos', busy);
    expect(slots).toEqual([]);
    expect(menu('blood_test', tuesday(), 'santos').every((s) => s.doctorId === 'santos')).toBe(true);
  });
});
