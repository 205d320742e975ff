/**
 * When reminders go and which jobs exist, on the real Redis (BullMQ) and PostgreSQL with the
 * test's clock, for a clinic reminding 10 hours before (so the due times fall in the quiet
 * hours): the evening before for a morning visit, the window's opening for an afternoon one,
 * a late job found in the quiet hours moved to their end; rescheduling moves the job,
 * cancelling removes it, erasing the patient removes it too; "stop reminders" and "start
 * reminders" in two languages; a reminder arriving mid-task or while staff have the
 * conversation is information only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import type { Runtime } from '../../../src/app.js';
import { reminderJobId, type ReminderJob } from '../../../src/core/ports/reminders.js';
import { reminderSendTime } from '../../../src/reminders/schedule.js';
import { requirePostgres, requireRedis } from '../../support/services.js';
import {
  appointmentsOf,
  committedState,
  delayedReminderJobs,
  eventually,
  mondayAt,
  openDeployment,
  patient,
  remindersOf,
  ZONE,
  type AppointmentRow,
  type Deployment,
} from './harness.js';

const OFFSET = 600;
let deployment: Deployment;
let runtime: Runtime;
let week = 0;

beforeAll(async () => {
  await requireRedis();
  await requirePostgres();
  deployment = await openDeployment({ offsetsMinutes: [OFFSET] });
  runtime = await deployment.start();
});

afterAll(async () => {
  await deployment?.cleanup();
});

const lisbon = (at: Date) => DateTime.fromJSDate(at, { zone: ZONE });

function jobOf(appointment: AppointmentRow, notBefore?: Date): ReminderJob {
  return {
    appointmentId: appointment.id,
    offsetMinutes: OFFSET,
    startsAt: appointment.starts_at.toISOString(),
    timeSetAt: appointment.time_set_at.toISOString(),
    ...(notBefore ? { notBefore: notBefore.toISOString() } : {}),
  };
}

/** When its reminder is planned (for the afternoon visits below: 08:00 that day). */
function plannedFor(appointment: AppointmentRow): Date {
  const at = reminderSendTime({
    startsAt: appointment.starts_at,
    offsetMinutes: OFFSET,
    timeSetAt: appointment.time_set_at,
    window: { from: '08:00', to: '21:00' },
    zone: ZONE,
  });
  if (!at) throw new Error('no reminder planned');
  return at;
}

/** Books the first time offered for `request`, at the clock's current time; returns the appointment. */
async function book(chat: ReturnType<typeof patient>, request: string): Promise<AppointmentRow> {
  const offered = await chat.say(request, deployment.clock.now);
  expect(offered.flatMap((r) => r.options ?? []).length, offered.map((r) => r.text).join(' | ')).toBeGreaterThan(0);
  await chat.say('1', deployment.clock.now);
  await chat.say('yes', deployment.clock.now);
  const [appointment] = await appointmentsOf(deployment.db, chat.conversationId);
  if (!appointment) throw new Error('not booked');
  return appointment;
}

/** The waiting job of this appointment, and in how many ms (app time) it runs. */
async function pendingJob(appointment: AppointmentRow): Promise<{ id: string; inMs: number } | null> {
  const jobs = (await delayedReminderJobs(deployment.prefix)).filter((job) => job.id.includes(appointment.id));
  expect(jobs.length).toBeLessThanOrEqual(1);
  const [job] = jobs;
  return job ? { id: job.id, inMs: job.runAt - Date.now() } : null;
}

describe('the quiet hours (08:00–21:00 clinic time, 10 h before)', () => {
  it('due in the night before a morning visit: sent at 21:00 the evening before', async () => {
    // Booked at 20:59:57 for the next morning; 10 h before 10:00 is midnight.
    deployment.clock.set(mondayAt('20:59:57', week++));
    const chat = patient(runtime);
    const appointment = await book(chat, 'I want a teeth cleaning tomorrow at 10');
    expect(lisbon(appointment.starts_at).hour).toBeLessThan(12);
    await eventually(() => expect(chat.pushed).toHaveLength(1));
    const [sent] = await remindersOf(deployment.db, appointment.id);
    expect(lisbon(sent!.sent_at).toFormat('HH:mm')).toBe('21:00');
    expect(lisbon(sent!.sent_at).hasSame(lisbon(appointment.starts_at).minus({ days: 1 }), 'day')).toBe(true);
  });

  it('due in the early hours before an afternoon visit: scheduled for 08:00 that morning', async () => {
    deployment.clock.set(mondayAt('20:00', week++));
    const chat = patient(runtime);
    const appointment = await book(chat, 'I want a teeth cleaning tomorrow at 3 pm');
    expect(lisbon(appointment.starts_at).hour).toBeGreaterThanOrEqual(12);
    const job = await pendingJob(appointment);
    const opening = lisbon(appointment.starts_at).set({ hour: 8, minute: 0, second: 0, millisecond: 0 }).toJSDate();
    // The job runs at 08:00 app time: that far from the app's now, give or take the test's own run time.
    expect(Math.abs(job!.inMs - (opening.getTime() - deployment.clock.now().getTime()))).toBeLessThan(10_000);
    expect(chat.pushed).toHaveLength(0);
  });

  it('a job that fires late, in the quiet hours, is moved to their end and goes then', async () => {
    deployment.clock.set(mondayAt('19:00', week++));
    const chat = patient(runtime);
    const appointment = await book(chat, 'I want a teeth cleaning tomorrow at 10');
    // The process was down at 21:00; it runs the job at 03:00.
    deployment.clock.set(lisbon(appointment.starts_at).set({ hour: 3, minute: 0 }).toJSDate());
    await runtime.reminders.fire(jobOf(appointment));
    expect(chat.pushed).toHaveLength(0);
    const opening = lisbon(appointment.starts_at).set({ hour: 8, minute: 0 }).toJSDate();
    const deferred = (await delayedReminderJobs(deployment.prefix)).map((job) => job.id);
    expect(deferred).toContain(reminderJobId(jobOf(appointment, opening)));
    // 08:00: the moved job runs (fired here rather than waited for five hours).
    deployment.clock.set(opening);
    await runtime.reminders.fire(jobOf(appointment, opening));
    await eventually(() => expect(chat.pushed).toHaveLength(1));
    const [sent] = await remindersOf(deployment.db, appointment.id);
    expect(lisbon(sent!.sent_at).toFormat('HH:mm')).toBe('08:00');
  });
});

describe('jobs follow the appointment', () => {
  it('rescheduling moves the job to the new time; cancelling removes it; nothing fires for the old times', async () => {
    deployment.clock.set(mondayAt('09:00', week++));
    const chat = patient(runtime);
    const first = await book(chat, 'I want a teeth cleaning on Thursday at 3 pm');
    const before = await pendingJob(first);
    expect(before?.id).toBe(reminderJobId(jobOf(first)));

    await chat.say('I want to reschedule my appointment to Friday', deployment.clock.now);
    await chat.say('1', deployment.clock.now);
    await chat.say('yes', deployment.clock.now);
    const [moved] = await appointmentsOf(deployment.db, chat.conversationId);
    expect(moved?.starts_at).not.toEqual(first.starts_at);
    const after = await pendingJob(moved!);
    expect(after?.id).toBe(reminderJobId(jobOf(moved!)));
    expect(after?.id).not.toBe(before?.id);

    await chat.say('cancel my appointment', deployment.clock.now);
    await chat.say('yes', deployment.clock.now);
    expect((await appointmentsOf(deployment.db, chat.conversationId))[0]?.status).toBe('cancelled');
    expect(await pendingJob(moved!)).toBeNull();
    // A job left over anyway (removal is best effort) finds the appointment changed and sends nothing.
    await runtime.reminders.fire(jobOf(first));
    await runtime.reminders.fire(jobOf(moved!));
    expect(chat.pushed).toHaveLength(0);
    expect(await remindersOf(deployment.db, first.id)).toEqual([]);
  });

  it("erasing the patient removes the pending job with the appointment", async () => {
    deployment.clock.set(mondayAt('09:00', week++));
    const chat = patient(runtime);
    const appointment = await book(chat, 'I want a teeth cleaning on Thursday at 3 pm');
    expect(await pendingJob(appointment)).not.toBeNull();
    const erased = await runtime.privacy.erasePatientByIdentity({ channel: 'webchat', externalId: chat.conversationId });
    expect(erased?.deleted.appointments).toBe(1);
    expect(await pendingJob(appointment)).toBeNull();
    await runtime.reminders.fire(jobOf(appointment));
    expect(chat.pushed).toHaveLength(0);
  });
});

describe('stop and start reminders', () => {
  it.each([
    { locale: 'en', stop: 'Please stop sending reminders', start: 'start reminders again', stopped: /won't send you appointment reminders/, started: /I'll remind you/ },
    { locale: 'es', stop: 'no más recordatorios, gracias', start: 'quiero recibir recordatorios', stopped: /ya no le enviaré recordatorios/, started: /le recordaré sus citas/ },
  ])('in $locale: confirmed to the patient, saved for them, and followed', async ({ stop, start, stopped, started }) => {
    deployment.clock.set(mondayAt('09:00', week++));
    const chat = patient(runtime);
    const appointment = await book(chat, 'I want a teeth cleaning on Thursday at 3 pm');
    const off = await chat.say(stop, deployment.clock.now);
    expect(off.map((r) => r.text).join(' ')).toMatch(stopped);
    const row = async () => (await deployment.db.query<{ reminders_off_at: Date | null }>('select reminders_off_at from patients p join appointments a on a.patient_id = p.id where a.id = $1', [appointment.id])).rows[0];
    expect((await row())?.reminders_off_at).not.toBeNull();
    expect(await committedState(runtime, 'webchat', chat.conversationId)).toBe('idle');

    // Its reminder falls due: skipped.
    deployment.clock.set(plannedFor(appointment));
    await runtime.reminders.fire(jobOf(appointment));
    expect(chat.pushed).toHaveLength(0);
    expect(await remindersOf(deployment.db, appointment.id)).toEqual([]);

    const on = await chat.say(start, deployment.clock.now);
    expect(on.map((r) => r.text).join(' ')).toMatch(started);
    expect((await row())?.reminders_off_at).toBeNull();
    await runtime.reminders.fire(jobOf(appointment));
    await eventually(() => expect(chat.pushed).toHaveLength(1));
    const audit = await deployment.db.query<{ action: string }>(
      "select action from audit_log where action like 'reminders.%' and patient_id = (select patient_id from appointments where id = $1) order by id",
      [appointment.id],
    );
    expect(audit.rows.map((r) => r.action)).toEqual(['reminders.disabled', 'reminders.enabled']);
  });
});

describe('a reminder arriving while the conversation is busy', () => {
  it('mid-task: information only; the booking in progress carries on', async () => {
    deployment.clock.set(mondayAt('09:00', week++));
    const chat = patient(runtime);
    const appointment = await book(chat, 'I want a teeth cleaning on Thursday at 3 pm');
    deployment.clock.set(plannedFor(appointment));
    const menu = await chat.say('I would also like a teeth whitening on Friday', deployment.clock.now);
    expect(menu[0]?.options?.length).toBeGreaterThan(0);
    await runtime.reminders.fire(jobOf(appointment));
    await eventually(() => expect(chat.pushed).toHaveLength(1));
    expect(chat.pushed[0]?.replies[0]?.text).toMatch(/^Reminder from Smile Dental Clinic: .*When we've finished here/);
    expect(chat.pushed[0]?.replies[0]?.options).toBeUndefined();
    expect(await committedState(runtime, 'webchat', chat.conversationId)).toBe('booking.choosingSlot');
    expect((await remindersOf(deployment.db, appointment.id))[0]?.mode).toBe('info');
    // "1" still picks the first time offered for the whitening.
    const confirm = await chat.say('1', deployment.clock.now);
    expect(confirm[0]?.text).toMatch(/Shall I book Teeth whitening/);
  });

  it('escalated: information pointing to staff, shown to staff live; the conversation stays with staff', async () => {
    deployment.clock.set(mondayAt('09:00', week++));
    const chat = patient(runtime);
    const appointment = await book(chat, 'I want a teeth cleaning on Thursday at 3 pm');
    await chat.say('I want to talk to a person', deployment.clock.now);
    const staffSees: string[] = [];
    runtime.liveEvents.subscribe((event) => {
      if (event.type === 'conversation.message' && event.conversationId === chat.conversationId) staffSees.push(event.entry.text);
    });
    deployment.clock.set(plannedFor(appointment));
    await runtime.reminders.fire(jobOf(appointment));
    await eventually(() => expect(chat.pushed).toHaveLength(1));
    expect(chat.pushed[0]?.replies[0]?.text).toMatch(/tell our staff here/);
    expect(await committedState(runtime, 'webchat', chat.conversationId)).toBe('escalated.waitingForStaff');
    await eventually(() => expect(staffSees.some((text) => text.includes('tell our staff here'))).toBe(true));
    expect((await remindersOf(deployment.db, appointment.id))[0]?.mode).toBe('info');
  });
});
