/**
 * A reminder the channel cannot deliver, on the real PostgreSQL: the outbox tries a bounded
 * number of times (here 3) when the channel keeps failing, or once on a PermanentDeliveryError,
 * then tells the reminders, which record it as undeliverable with the reason, audit it and count
 * it; nothing is tried again. (test/e2e/teams-reminders.test.ts does the same through Teams.)
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOutbound, type OutboundRegistry } from '../../../src/channels/outbound.js';
import { loadClinic } from '../../../src/config/clinic.js';
import { PermanentDeliveryError } from '../../../src/core/errors.js';
import type { Records } from '../../../src/core/ports/records.js';
import { reminderDeliveryId } from '../../../src/core/ports/reminders.js';
import type { SqlDatabase } from '../../../src/db/database.js';
import { createRecords } from '../../../src/db/records.js';
import { createReminders, type ReminderMetric } from '../../../src/reminders/reminders.js';
import { MemoryLiveEvents } from '../../../src/store/live-events-memory.js';
import { TimerReminderScheduler } from '../../../src/store/reminder-queue.js';
import { openMigrated, postgresBackend } from '../db/backends.js';
import { eventually } from './harness.js';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
let db: SqlDatabase;
let records: Records;
let outbound: OutboundRegistry;
const metrics: ReminderMetric[] = [];
let attempts = 0;
let failure: () => Error = () => new Error('socket hang up');

beforeAll(async () => {
  await postgresBackend.require();
  db = await openMigrated(postgresBackend);
  records = createRecords(db);
  const reminders = createReminders({
    clinic: await loadClinic(),
    records,
    scheduler: new TimerReminderScheduler(),
    control: { remind: () => Promise.reject(new Error('not used here')) },
    recordReminder: (outcome) => void metrics.push(outcome),
    log: silent,
    now: () => new Date(),
  });
  outbound = createOutbound({
    records,
    liveEvents: new MemoryLiveEvents(),
    log: silent,
    settings: { pollIntervalMs: 20, retryBaseMs: 10, retryMaxMs: 20, maxAttempts: 3 },
  });
  outbound.onDeliveryFailed(({ deliveryId, reason }) => reminders.deliveryFailed(deliveryId, reason));
  outbound.register('whatsapp', {
    async send() {
      attempts += 1;
      throw failure();
    },
  });
  outbound.start();
});

afterAll(async () => {
  await outbound?.close();
  if (db) await postgresBackend.dispose(db);
});

/** A reminder recorded as sent with its message in the outbox, as a reminder's turn leaves them. */
async function sentReminder(): Promise<{ appointmentId: string; patientId: string; deliveryId: string }> {
  const conversation = { channel: 'whatsapp' as const, conversationId: `wa-${randomUUID()}` };
  const patient = await records.patients.findOrCreateByIdentity({ channel: 'whatsapp', externalId: conversation.conversationId }, {});
  const startsAt = new Date(Date.now() + 3 * 86_400_000 + Math.floor(Math.random() * 1000) * 3_600_000);
  const appointment = await records.appointments.create({ patientId: patient.id, doctorId: 'dr-dan', serviceId: 'xray', startsAt, endsAt: new Date(startsAt.getTime() + 30 * 60_000) });
  const key = { appointmentId: appointment.id, offsetMinutes: 1440, startsAt };
  const deliveryId = reminderDeliveryId(key);
  await records.transaction(async (tx) => {
    await tx.reminders.recordSent({ ...key, patientId: patient.id, conversation, deliveryId, mode: 'prompt', sentAt: new Date() });
    await tx.outbox.add([{ deliveryId, conversation, patientId: patient.id, message: { deliveryId, author: 'bot', replies: [{ text: 'Reminder', locale: 'en' }] } }]);
  });
  outbound.wake('whatsapp');
  return { appointmentId: appointment.id, patientId: patient.id, deliveryId };
}

async function reminderOf(appointmentId: string) {
  const [entry] = (await records.reminders.listStartingBetween(new Date(0), new Date(Date.now() + 3_650 * 86_400_000))).filter((e) => e.appointment.id === appointmentId);
  return entry?.reminders[0];
}

describe('an undeliverable reminder', () => {
  it('after the outbox gave up retrying a channel that keeps failing', async () => {
    attempts = 0;
    failure = () => new Error('socket hang up');
    const { appointmentId, patientId, deliveryId } = await sentReminder();
    const reminder = await eventually(async () => {
      const found = await reminderOf(appointmentId);
      expect(found?.status).toBe('undeliverable');
      return found;
    });
    expect(reminder?.failure).toBe('socket hang up');
    expect(attempts).toBe(3);
    expect(await records.outbox.findByDeliveryId(deliveryId)).toMatchObject({ status: 'failed', attempts: 3 });
    expect((await records.audit.listForPatient(patientId)).map((entry) => entry.action)).toEqual(['reminder.undeliverable']);
    expect(metrics.filter((m) => m === 'undeliverable')).toHaveLength(1);
    expect(await records.reminders.countSince(new Date(Date.now() - 60_000))).toMatchObject({ undeliverable: 1, notAnswered: 0 });
  });

  it('at once when the channel says retrying cannot help (WhatsApp logged out)', async () => {
    attempts = 0;
    failure = () => new PermanentDeliveryError('WhatsApp is logged out');
    const { appointmentId } = await sentReminder();
    await eventually(async () => expect((await reminderOf(appointmentId))?.failure).toBe('WhatsApp is logged out'));
    expect(attempts).toBe(1);
    expect(metrics.filter((m) => m === 'undeliverable')).toHaveLength(2);
  });
});
