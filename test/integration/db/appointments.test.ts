import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlotTakenError } from '../../../src/core/errors.js';
import type { Records } from '../../../src/core/ports/records.js';
import type { SqlDatabase } from '../../../src/db/database.js';
import { createRecords } from '../../../src/db/records.js';
import { at, backends, newPatient, openMigrated } from './backends.js';

let doctorCounter = 0;
/** A doctor no other test books, so tests do not see each other's appointments. */
function doctor(): string {
  doctorCounter += 1;
  return `dr_${doctorCounter}`;
}

describe.each(backends)('appointments on $name', (backend) => {
  let db: SqlDatabase;
  let records: Records;

  beforeAll(async () => {
    // 20 connections on PostgreSQL, so the race below is a real one.
    db = await openMigrated(backend, { poolSize: 20 });
    records = createRecords(db);
  });

  afterAll(async () => {
    if (db) await backend.dispose(db);
  });

  it('50 concurrent bookings of one slot: exactly one succeeds, 49 get SlotTakenError', async () => {
    const doctorId = doctor();
    const patients = await Promise.all(Array.from({ length: 50 }, (_, i) => newPatient(records, `P${i}`)));

    const results = await Promise.allSettled(
      patients.map((patientId) =>
        records.appointments.create({
          patientId,
          doctorId,
          serviceId: 'cleaning',
          startsAt: at('10:00'),
          endsAt: at('11:00'),
        }),
      ),
    );

    const booked = results.filter((result) => result.status === 'fulfilled');
    const refused = results.filter((result) => result.status === 'rejected');
    expect(booked).toHaveLength(1);
    expect(refused).toHaveLength(49);
    for (const result of refused) expect(result.reason).toBeInstanceOf(SlotTakenError);

    const rows = await db.query<{ n: number }>(
      "select count(*)::int as n from appointments where doctor_id = $1 and status = 'booked'",
      [doctorId],
    );
    expect(rows[0]?.n).toBe(1);
  });

  it('refuses an overlapping interval, accepts an adjacent one and another doctor at the same time', async () => {
    const doctorId = doctor();
    const alice = await newPatient(records);
    const bob = await newPatient(records);
    const base = { serviceId: 'checkup', doctorId };

    const first = await records.appointments.create({ ...base, patientId: alice, startsAt: at('10:00'), endsAt: at('11:00') });
    expect(first).toMatchObject({ patientId: alice, doctorId, status: 'booked', startsAt: at('10:00'), endsAt: at('11:00') });
    expect(first.createdAt).toBeInstanceOf(Date);

    await expect(
      records.appointments.create({ ...base, patientId: bob, startsAt: at('10:30'), endsAt: at('11:30') }),
    ).rejects.toBeInstanceOf(SlotTakenError);
    await expect(
      records.appointments.create({ ...base, patientId: bob, startsAt: at('09:00'), endsAt: at('12:00') }),
    ).rejects.toBeInstanceOf(SlotTakenError);

    const adjacent = await records.appointments.create({ ...base, patientId: bob, startsAt: at('11:00'), endsAt: at('12:00') });
    expect(adjacent.status).toBe('booked');
    const before = await records.appointments.create({ ...base, patientId: bob, startsAt: at('09:00'), endsAt: at('10:00') });
    expect(before.status).toBe('booked');

    const other = await records.appointments.create({
      ...base,
      doctorId: doctor(),
      patientId: bob,
      startsAt: at('10:00'),
      endsAt: at('11:00'),
    });
    expect(other.status).toBe('booked');
  });

  it('rejects an empty or reversed interval before touching the database', async () => {
    const patientId = await newPatient(records);
    await expect(
      records.appointments.create({ patientId, doctorId: doctor(), serviceId: 's', startsAt: at('10:00'), endsAt: at('10:00') }),
    ).rejects.toBeInstanceOf(RangeError);
  });

  it('a cancelled appointment frees its slot', async () => {
    const doctorId = doctor();
    const alice = await newPatient(records);
    const bob = await newPatient(records);
    const slot = { doctorId, serviceId: 'filling', startsAt: at('14:00'), endsAt: at('15:00') };

    const booked = await records.appointments.create({ ...slot, patientId: alice });
    await expect(records.appointments.create({ ...slot, patientId: bob })).rejects.toBeInstanceOf(SlotTakenError);

    const cancelled = await records.appointments.cancel(booked.id, alice);
    expect(cancelled).toMatchObject({ id: booked.id, status: 'cancelled' });
    expect(await records.appointments.cancel(booked.id, alice)).toBeNull();

    const rebooked = await records.appointments.create({ ...slot, patientId: bob });
    expect(rebooked.patientId).toBe(bob);
    expect((await records.appointments.findById(booked.id))?.status).toBe('cancelled');
  });

  it('reschedules within its own slot, refuses a taken one and keeps the original', async () => {
    const doctorId = doctor();
    const alice = await newPatient(records);
    const bob = await newPatient(records);
    const mine = await records.appointments.create({ patientId: alice, doctorId, serviceId: 's', startsAt: at('09:00'), endsAt: at('10:00') });
    await records.appointments.create({ patientId: bob, doctorId, serviceId: 's', startsAt: at('12:00'), endsAt: at('13:00') });

    // Overlapping its own old interval is fine.
    const moved = await records.appointments.reschedule(mine.id, alice, at('09:30'), at('10:30'));
    expect(moved).toMatchObject({ id: mine.id, startsAt: at('09:30'), endsAt: at('10:30'), status: 'booked' });

    await expect(records.appointments.reschedule(mine.id, alice, at('12:30'), at('13:30'))).rejects.toBeInstanceOf(
      SlotTakenError,
    );
    const unchanged = await records.appointments.findById(mine.id);
    expect(unchanged).toMatchObject({ startsAt: at('09:30'), endsAt: at('10:30'), status: 'booked' });
  });

  it("returns null for someone else's appointment, a cancelled one, or a malformed id", async () => {
    const doctorId = doctor();
    const alice = await newPatient(records);
    const mallory = await newPatient(records);
    const appointment = await records.appointments.create({ patientId: alice, doctorId, serviceId: 's', startsAt: at('16:00'), endsAt: at('17:00') });

    expect(await records.appointments.cancel(appointment.id, mallory)).toBeNull();
    expect(await records.appointments.reschedule(appointment.id, mallory, at('17:00'), at('18:00'))).toBeNull();
    expect(await records.appointments.findById(appointment.id)).toMatchObject({ status: 'booked', startsAt: at('16:00') });

    expect(await records.appointments.cancel('not-a-uuid', alice)).toBeNull();
    expect(await records.appointments.findById('42')).toBeNull();
    expect(await records.appointments.findById('00000000-0000-4000-8000-000000000000')).toBeNull();

    await records.appointments.cancel(appointment.id, alice);
    expect(await records.appointments.reschedule(appointment.id, alice, at('17:00'), at('18:00'))).toBeNull();
  });

  it('lists a patient\'s upcoming booked appointments, earliest first', async () => {
    const doctorId = doctor();
    const patientId = await newPatient(records);
    const book = (start: string, end: string, day: number) =>
      records.appointments.create({ patientId, doctorId, serviceId: 's', startsAt: at(start, day), endsAt: at(end, day) });
    const late = await book('15:00', '16:00', 6);
    const early = await book('08:00', '09:00', 5);
    const middle = await book('11:00', '12:00', 5);
    const past = await book('08:00', '09:00', 1);
    const cancelled = await book('08:00', '09:00', 7);
    await records.appointments.cancel(cancelled.id, patientId);

    const upcoming = await records.appointments.listUpcomingForPatient(patientId, at('00:00', 2));
    expect(upcoming.map((appointment) => appointment.id)).toEqual([early.id, middle.id, late.id]);
    expect(upcoming.map((appointment) => appointment.id)).not.toContain(past.id);
  });

  it('lists busy intervals of the asked doctors overlapping [from, to)', async () => {
    const [d1, d2, d3] = [doctor(), doctor(), doctor()];
    const patientId = await newPatient(records);
    const book = (doctorId: string, start: string, end: string) =>
      records.appointments.create({ patientId, doctorId, serviceId: 's', startsAt: at(start, 10), endsAt: at(end, 10) });
    await book(d1, '09:00', '10:00');
    await book(d1, '11:00', '12:00');
    await book(d2, '10:30', '11:30');
    await book(d3, '10:00', '11:00');
    const gone = await book(d2, '13:00', '14:00');
    await records.appointments.cancel(gone.id, patientId);

    const busy = await records.appointments.listBusy([d1, d2], at('10:00', 10), at('14:00', 10));
    expect(busy).toEqual([
      { doctorId: d2, startsAt: at('10:30', 10), endsAt: at('11:30', 10) },
      { doctorId: d1, startsAt: at('11:00', 10), endsAt: at('12:00', 10) },
    ]);
    expect(await records.appointments.listBusy([], at('00:00', 10), at('23:00', 10))).toEqual([]);
  });

  it('inside a transaction, SlotTakenError leaves the transaction usable; a throw rolls everything back', async () => {
    const doctorId = doctor();
    const alice = await newPatient(records);
    const bob = await newPatient(records);
    const slot = { doctorId, serviceId: 's', startsAt: at('10:00', 12), endsAt: at('11:00', 12) };
    await records.appointments.create({ ...slot, patientId: alice });

    const fallback = await records.transaction(async (tx) => {
      await expect(tx.appointments.create({ ...slot, patientId: bob })).rejects.toBeInstanceOf(SlotTakenError);
      const next = await tx.appointments.create({ ...slot, startsAt: at('11:00', 12), endsAt: at('12:00', 12), patientId: bob });
      await tx.audit.record({ actorType: 'bot', actorId: 'test', action: 'appointment.booked', patientId: bob, details: { id: next.id } });
      return next;
    });
    expect((await records.appointments.findById(fallback.id))?.status).toBe('booked');

    await expect(
      records.transaction(async (tx) => {
        await tx.appointments.create({ ...slot, startsAt: at('13:00', 12), endsAt: at('14:00', 12), patientId: bob });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await records.appointments.listBusy([doctorId], at('13:00', 12), at('14:00', 12))).toEqual([]);
  });
});
