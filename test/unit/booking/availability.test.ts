import { describe, expect, it } from 'vitest';
import { computeFreeSlots, isWithinWorkingHours } from '../../../src/booking/availability.js';
import { testClinic } from '../../fixtures/clinic.js';

const clinic = testClinic();
const dan = clinic.doctors[0]!;
// Monday 23 Nov 2026, 08:00 in Lisbon (UTC+0 in winter).
const monday8 = new Date('2026-11-23T08:00:00Z');

describe('computeFreeSlots', () => {
  it('offers the earliest slots after the minimum notice, on the slot grid', () => {
    const slots = computeFreeSlots(clinic, { serviceId: 'filling', doctorId: null, date: null, now: monday8, limit: 3 }, []);
    expect(slots.map((s) => s.startsAt)).toEqual(['2026-11-23T09:00:00.000Z', '2026-11-23T09:30:00.000Z', '2026-11-23T10:00:00.000Z']);
    expect(slots[0]).toMatchObject({ doctorId: 'dr-dan', serviceId: 'filling', endsAt: '2026-11-23T10:00:00.000Z' });
  });

  it('leaves out booked time and never crosses the lunch break', () => {
    const busy = [{ doctorId: 'dr-dan', startsAt: new Date('2026-11-23T09:00:00Z'), endsAt: new Date('2026-11-23T12:00:00Z') }];
    const slots = computeFreeSlots(clinic, { serviceId: 'filling', doctorId: null, date: null, now: monday8, limit: 3 }, busy);
    // 12:00–13:00 fits; 12:30 would run into lunch; afternoon starts 14:00.
    expect(slots.map((s) => s.startsAt)).toEqual(['2026-11-23T12:00:00.000Z', '2026-11-23T14:00:00.000Z', '2026-11-23T14:30:00.000Z']);
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
    expect(slots.map((s) => s.startsAt)).toEqual(['2026-11-23T12:00:00.000Z', '2026-11-23T12:30:00.000Z', '2026-11-23T14:00:00.000Z']);
  });
});
