/**
 * Exactly one reminder per appointment and time, with several processes and restarts, on the
 * real Redis (BullMQ) and PostgreSQL: app runtimes with their own connections and BullMQ workers
 * play the processes. Each test counts what the patient received, the reminder rows, the outbox
 * rows, the transcript lines and the audit rows.
 */
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../../src/app.js';
import { reminderDeliveryId, reminderJobId, type ReminderJob } from '../../../src/core/ports/reminders.js';
import { REDIS_URL, requirePostgres, requireRedis } from '../../support/services.js';
import { appointmentsOf, bookDueSoon, eventually, mondayAt, openDeployment, patient, remindersOf, type AppointmentRow, type Deployment } from './harness.js';

const REQUEST = { request: 'I want a teeth cleaning tomorrow at 10', yes: 'yes' };
let deployment: Deployment;
let week = 0;

beforeAll(async () => {
  await requireRedis();
  await requirePostgres();
  deployment = await openDeployment();
});

afterAll(async () => {
  await deployment?.cleanup();
});

function jobOf(appointment: AppointmentRow): ReminderJob {
  return {
    appointmentId: appointment.id,
    offsetMinutes: 1440,
    startsAt: appointment.starts_at.toISOString(),
    timeSetAt: appointment.time_set_at.toISOString(),
  };
}

/** Everything one reminder leaves behind: each must be there once. */
async function traces(appointment: AppointmentRow, conversationId: string) {
  const deliveryId = reminderDeliveryId({ appointmentId: appointment.id, offsetMinutes: 1440, startsAt: appointment.starts_at });
  const count = async (sql: string, params: unknown[]) => Number((await deployment.db.query<{ n: string }>(sql, params)).rows[0]?.n);
  return {
    reminders: (await remindersOf(deployment.db, appointment.id)).length,
    outbox: await count('select count(*) as n from outbox where delivery_id = $1', [deliveryId]),
    transcript: await count("select count(*) as n from messages where conversation_id = $1 and author = 'bot' and text like 'Reminder from%'", [conversationId]),
    audit: await count("select count(*) as n from audit_log where action = 'reminder.sent' and details->>'appointmentId' = $1", [appointment.id]),
  };
}

const ONCE = { reminders: 1, outbox: 1, transcript: 1, audit: 1 };

function reminderMetric(runtime: Runtime, outcome: string): Promise<number> {
  return runtime.metrics.exposition().then(({ body }) => Number(new RegExp(`clinic_reminders_total\\{outcome="${outcome}"\\} (\\d+)`).exec(body)?.[1] ?? 0));
}

describe('exactly one reminder', () => {
  it('two processes running the same due reminder at once, and BullMQ running it too, send it once', async () => {
    const first = await deployment.start();
    const second = await deployment.start();
    const chat = patient(first);
    await bookDueSoon(deployment, chat, first, REQUEST, { day: mondayAt('08:00', week++), leadMs: 4_000 });
    const [appointment] = await appointmentsOf(deployment.db, chat.conversationId);
    // Both processes run the job now; the scheduled BullMQ job runs it again in one of them 4 s later.
    await Promise.all([first.reminders.fire(jobOf(appointment!)), second.reminders.fire(jobOf(appointment!))]);
    await eventually(async () => expect((await reminderMetric(first, 'duplicate')) + (await reminderMetric(second, 'duplicate'))).toBe(2));
    expect((await reminderMetric(first, 'sent')) + (await reminderMetric(second, 'sent'))).toBe(1);
    await eventually(() => expect(chat.pushed).toHaveLength(1));
    expect(await traces(appointment!, chat.conversationId)).toEqual(ONCE);
    await deployment.stop(first);
    await deployment.stop(second);
  });

  it('a restart: the process that booked stops before the reminder is due, the next one sends it once', async () => {
    const booking = await deployment.start();
    const other = await deployment.start();
    const chat = patient(booking);
    await bookDueSoon(deployment, chat, booking, REQUEST, { day: mondayAt('08:00', week++), leadMs: 3_000 });
    const [appointment] = await appointmentsOf(deployment.db, chat.conversationId);
    await deployment.stop(booking);
    await deployment.stop(other);
    expect(await remindersOf(deployment.db, appointment!.id)).toEqual([]);

    const restarted = await deployment.start();
    const received = patient(restarted, chat.conversationId);
    await eventually(() => expect(received.pushed).toHaveLength(1));
    expect(received.pushed[0]?.replies[0]?.text).toMatch(/^Reminder from Smile Dental Clinic/);
    expect(await traces(appointment!, chat.conversationId)).toEqual(ONCE);
    await deployment.stop(restarted);
  });

  it('a process that died between the booking and scheduling its job: the next start-up reconciles it, and it goes once', async () => {
    const booking = await deployment.start();
    const chat = patient(booking);
    await bookDueSoon(deployment, chat, booking, REQUEST, { day: mondayAt('08:00', week++), leadMs: 3_000 });
    const [appointment] = await appointmentsOf(deployment.db, chat.conversationId);
    // The job never made it to Redis.
    const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    const queue = new Queue('reminders', { connection, prefix: `${deployment.prefix}:bull` });
    expect(await queue.remove(reminderJobId(jobOf(appointment!)))).toBe(1);
    await queue.close();
    connection.disconnect();
    await deployment.stop(booking);

    const restarted = await deployment.start();
    const received = patient(restarted, chat.conversationId);
    await eventually(() => expect(received.pushed).toHaveLength(1));
    expect(await traces(appointment!, chat.conversationId)).toEqual(ONCE);
    // Reconciling again later finds it sent and schedules nothing for it.
    expect(await restarted.reminders.reconcile()).toBe(0);
    await deployment.stop(restarted);
  });
});
