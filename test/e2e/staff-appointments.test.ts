/**
 * The staff console's Appointments tab over the real app (Redis + PostgreSQL) on a clock the
 * test sets: today's and tomorrow's appointments with their reminder and confirmation, marking a
 * no-show (API refusals, audit), the reminder counts; then the page in headless Chromium, with
 * screenshots in /tmp/screens/ (reminders-*.png).
 *
 * The appointments are written to the database as the booking and reminder code leaves them
 * (test/integration/reminders/ drives those end to end); here only the console is under test.
 */
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import pg from 'pg';
import { type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app.js';
import { hashPassword } from '../../src/staff/passwords.js';
import { launchChromium } from '../support/browser.js';
import { DATABASE_URL, REDIS_URL, removeTestPlace, requirePostgres, requireRedis, uniqueName } from '../support/services.js';
import { TestClock, mondayAt } from '../integration/reminders/harness.js';

const SHOTS = '/tmp/screens';
const STAFF = { email: 'rita@clinic.test', displayName: 'Rita', password: 'front-desk-password-9' };
const SLOW = { timeout: 30_000 };
const ZONE = 'Europe/Lisbon';

const schema = uniqueName('staff_appts');
const prefix = `test:${schema}`;
const clock = new TestClock();
/** Now, for the app: Monday 10:00 clinic time. */
const NOW = mondayAt('10:00');
let app: RunningApp;
let db: pg.Pool;
let browser: Browser | undefined;
let cookie = '';

const at = (day: 'today' | 'tomorrow', time: string): Date => {
  const [hour = 0, minute = 0] = time.split(':').map(Number);
  return DateTime.fromJSDate(NOW, { zone: ZONE }).plus({ days: day === 'today' ? 0 : 1 }).set({ hour, minute }).toJSDate();
};

interface Seeded {
  id: string;
  patient: string;
}

async function seedPatient(name: string, options: { remindersOff?: boolean; locale?: string } = {}): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    'insert into patients (display_name, preferred_locale, reminders_off_at) values ($1, $2, $3) returning id',
    [name, options.locale ?? 'en', options.remindersOff ? NOW : null],
  );
  return rows[0]!.id;
}

async function seedAppointment(input: {
  patient: string;
  doctor: string;
  service: string;
  startsAt: Date;
  minutes: number;
  status?: string;
  channel?: string | null;
  timeSetAt?: Date;
}): Promise<string> {
  const channel = input.channel === undefined ? 'webchat' : input.channel;
  const { rows } = await db.query<{ id: string }>(
    `insert into appointments (patient_id, doctor_id, service_id, starts_at, ends_at, status, booked_channel, booked_conversation_id, time_set_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning id`,
    [
      input.patient,
      input.doctor,
      input.service,
      input.startsAt,
      new Date(input.startsAt.getTime() + input.minutes * 60_000),
      input.status ?? 'booked',
      channel,
      channel ? `conv-${randomUUID()}` : null,
      input.timeSetAt ?? new Date(NOW.getTime() - 3 * 86_400_000),
    ],
  );
  return rows[0]!.id;
}

async function seedReminder(appointment: string, patient: string, startsAt: Date, fields: { outcome?: string; status?: string; failure?: string; mode?: string }): Promise<void> {
  await db.query(
    `insert into appointment_reminders (appointment_id, offset_minutes, starts_at, patient_id, channel, conversation_id, delivery_id, mode, status, failure, outcome, sent_at, answered_at)
     values ($1, 1440, $2, $3, 'webchat', 'c', $4, $5, $6, $7, $8, $9, $10)`,
    [
      appointment,
      startsAt,
      patient,
      `reminder:${appointment}`,
      fields.mode ?? 'prompt',
      fields.status ?? 'sent',
      fields.failure ?? null,
      fields.outcome ?? null,
      new Date(startsAt.getTime() - 86_400_000),
      fields.outcome ? new Date(startsAt.getTime() - 80_000_000) : null,
    ],
  );
}

async function call(method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${app.url}${path}`, {
    method,
    headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

const seeded: Record<'confirmedEarly' | 'unanswered' | 'byPhone' | 'planned' | 'optedOut' | 'failed' | 'cancelled', Seeded> = {} as never;

beforeAll(async () => {
  await requireRedis();
  await requirePostgres();
  await mkdir(SHOTS, { recursive: true });
  clock.set(NOW);
  app = await startApp(
    {
      PORT: '0',
      HOST: '127.0.0.1',
      APP_ENV: 'test',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
      REDIS_URL,
      DATABASE_URL,
      DATABASE_SCHEMA: schema,
      REDIS_KEY_PREFIX: prefix,
      OPENAI_API_KEY: '',
      OPENAI_BASE_URL: '',
    },
    { watchLocales: false, now: clock.now },
  );
  db = new pg.Pool({ connectionString: DATABASE_URL, options: `-c search_path=${schema}`, max: 2 });
  await app.runtime.records.staff.create({ email: STAFF.email, displayName: STAFF.displayName, role: 'staff', passwordHash: await hashPassword(STAFF.password) });
  const signIn = await fetch(`${app.url}/staff/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: STAFF.email, password: STAFF.password }),
  });
  cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';

  // Today: 09:00 confirmed after its reminder (started, so a no-show can be marked), 11:30
  // reminded without an answer, 15:00 booked by phone; a cancelled one at 16:00.
  const maria = await seedPatient('Maria Santos');
  const confirmedEarly = await seedAppointment({ patient: maria, doctor: 'dr-dan', service: 'cleaning', startsAt: at('today', '09:00'), minutes: 60, status: 'confirmed' });
  await seedReminder(confirmedEarly, maria, at('today', '09:00'), { outcome: 'confirmed' });
  const yosef = await seedPatient('Yosef Levi', { locale: 'he' });
  const unanswered = await seedAppointment({ patient: yosef, doctor: 'dr-ana', service: 'whitening', startsAt: at('today', '11:30'), minutes: 60 });
  await seedReminder(unanswered, yosef, at('today', '11:30'), {});
  const olga = await seedPatient('Olga Ivanova', { locale: 'ru' });
  const byPhone = await seedAppointment({ patient: olga, doctor: 'dr-ivan', service: 'filling', startsAt: at('today', '15:00'), minutes: 60, channel: null });
  const carlos = await seedPatient('Carlos Ruiz', { locale: 'es' });
  const cancelled = await seedAppointment({ patient: carlos, doctor: 'dr-dan', service: 'consultation', startsAt: at('today', '16:00'), minutes: 30, status: 'cancelled' });
  await seedReminder(cancelled, carlos, at('today', '16:00'), { outcome: 'cancelled' });
  // Tomorrow: 10:30 just booked (its reminder is planned for today 10:30), 12:00 a patient who
  // turned reminders off, 14:00 a reminder the channel could not deliver.
  const ana = await seedPatient('Ana Costa', { locale: 'pt' });
  const planned = await seedAppointment({ patient: ana, doctor: 'dr-ana', service: 'consultation', startsAt: at('tomorrow', '10:30'), minutes: 30, timeSetAt: NOW });
  const john = await seedPatient('John Smith', { remindersOff: true });
  const optedOut = await seedAppointment({ patient: john, doctor: 'dr-dan', service: 'xray', startsAt: at('tomorrow', '12:00'), minutes: 30 });
  const lea = await seedPatient('Léa Martin');
  const failed = await seedAppointment({ patient: lea, doctor: 'dr-dan', service: 'filling', startsAt: at('tomorrow', '14:00'), minutes: 60, channel: 'teams' });
  await seedReminder(failed, lea, at('tomorrow', '14:00'), { status: 'undeliverable', failure: 'the Teams conversation is gone (403)' });
  Object.assign(seeded, {
    confirmedEarly: { id: confirmedEarly, patient: maria },
    unanswered: { id: unanswered, patient: yosef },
    byPhone: { id: byPhone, patient: olga },
    planned: { id: planned, patient: ana },
    optedOut: { id: optedOut, patient: john },
    failed: { id: failed, patient: lea },
    cancelled: { id: cancelled, patient: carlos },
  });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await db?.end();
  await removeTestPlace(schema, prefix);
});

interface AppointmentJson {
  id: string;
  status: string;
  channel: string | null;
  started: boolean;
  nextReminderAt: string | null;
  noReminderReason: string | null;
  patient: { displayName: string; remindersOff: boolean };
  reminders: { outcome: string | null; status: string; failure: string | null; mode: string }[];
}

describe('appointments API', () => {
  it("lists today's appointments in clinic time, with their reminders and confirmation", async () => {
    const response = await call('GET', '/staff/api/appointments?day=today');
    expect(response.status).toBe(200);
    const body = (await response.json()) as { date: string; timeZone: string; appointments: AppointmentJson[] };
    expect(body.date).toBe(DateTime.fromJSDate(NOW, { zone: ZONE }).toISODate());
    expect(body.timeZone).toBe(ZONE);
    expect(body.appointments.map((a) => a.patient.displayName)).toEqual(['Maria Santos', 'Yosef Levi', 'Olga Ivanova', 'Carlos Ruiz']);
    const [maria, yosef, olga, carlos] = body.appointments;
    expect(maria).toMatchObject({ status: 'confirmed', started: true, channel: 'webchat' });
    expect(maria?.reminders).toEqual([expect.objectContaining({ outcome: 'confirmed', status: 'sent', mode: 'prompt' })]);
    expect(yosef).toMatchObject({ status: 'booked', started: false, nextReminderAt: null, noReminderReason: null });
    expect(yosef?.reminders).toEqual([expect.objectContaining({ outcome: null, status: 'sent' })]);
    expect(olga).toMatchObject({ channel: null, noReminderReason: 'not_booked_here', reminders: [] });
    expect(carlos).toMatchObject({ status: 'cancelled' });

    const audit = await db.query<{ details: { patientIds: string[] } }>(
      "select details from audit_log where action = 'appointments.viewed' and actor_type = 'staff' order by id desc limit 1",
    );
    expect(new Set(audit.rows[0]?.details.patientIds)).toEqual(new Set([seeded.confirmedEarly.patient, seeded.unanswered.patient, seeded.byPhone.patient, seeded.cancelled.patient]));
  });

  it("lists tomorrow's: a planned reminder, a patient who turned them off, an undeliverable one", async () => {
    const body = (await (await call('GET', '/staff/api/appointments?day=tomorrow')).json()) as { appointments: AppointmentJson[] };
    const [planned, optedOut, failed] = body.appointments;
    expect(planned?.nextReminderAt).toBe(at('today', '10:30').toISOString());
    expect(optedOut).toMatchObject({ noReminderReason: 'patient_off', nextReminderAt: null, patient: { remindersOff: true } });
    expect(failed?.reminders).toEqual([expect.objectContaining({ status: 'undeliverable', failure: 'the Teams conversation is gone (403)' })]);
    expect(failed?.channel).toBe('teams');
  });

  it('refuses a bad day, a no-show before the visit, an unknown or a cancelled appointment', async () => {
    const bad = await call('GET', '/staff/api/appointments?day=yesterday');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'invalid_request', reason: 'day: must be "today" or "tomorrow"' });
    expect((await call('GET', '/staff/api/reminders/summary?days=0')).status).toBe(400);
    const early = await call('POST', `/staff/api/appointments/${seeded.unanswered.id}/no-show`, {});
    expect(early.status).toBe(409);
    expect(((await early.json()) as { error: string }).error).toBe('too_early');
    expect((await call('POST', `/staff/api/appointments/${randomUUID()}/no-show`, {})).status).toBe(404);
    expect((await call('POST', `/staff/api/appointments/not-an-id/no-show`, {})).status).toBe(404);
    const cancelled = await call('POST', `/staff/api/appointments/${seeded.cancelled.id}/no-show`, {});
    expect(cancelled.status).toBe(409);
    expect(await cancelled.json()).toEqual({ error: 'not_active', reason: 'the appointment is cancelled' });
    const unchanged = await db.query<{ status: string }>('select status from appointments where id = any($1::uuid[]) order by status', [[seeded.unanswered.id, seeded.cancelled.id]]);
    expect(unchanged.rows.map((r) => r.status)).toEqual(['booked', 'cancelled']);
  });

  it('counts the reminders of the last 30 days by what became of them', async () => {
    const body = (await (await call('GET', '/staff/api/reminders/summary')).json()) as Record<string, number>;
    expect(body).toMatchObject({ days: 30, sent: 4, confirmed: 1, changed: 0, cancelled: 1, notAnswered: 1, undeliverable: 1 });
  });
});

describe('Appointments tab in the browser', () => {
  it('shows the day, switches to tomorrow, and marks a no-show with the audit row', { timeout: 120_000 }, async () => {
    if (!browser) throw new Error('no browser');
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB' });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${app.url}/staff`);
    await page.locator('#signin-email').fill(STAFF.email);
    await page.locator('#signin-password').fill(STAFF.password);
    await page.locator('#signin-password').press('Enter');
    await page.locator('#console-view').waitFor(SLOW);

    await page.locator('#tab-appointments').click();
    const rows = page.locator('#appointments-body tr');
    await rows.nth(3).waitFor(SLOW);
    expect(await rows.count()).toBe(4);
    expect(await rows.nth(0).innerText()).toMatch(/09:00[\s\S]*Maria Santos[\s\S]*Teeth cleaning[\s\S]*Dr\. Dan Cohen[\s\S]*Web chat[\s\S]*confirmed[\s\S]*Confirmed/i);
    expect(await rows.nth(1).innerText()).toMatch(/11:30[\s\S]*Yosef Levi[\s\S]*no answer yet/);
    expect(await rows.nth(2).innerText()).toContain('None: not booked through the assistant');
    expect(await rows.nth(1).locator('button').count()).toBe(0);
    const counts = await page.locator('#reminder-counts').innerText();
    expect(counts).toMatch(/Sent\s+4[\s\S]*Confirmed\s+1[\s\S]*Changed\s+0[\s\S]*Cancelled\s+1[\s\S]*Not answered\s+1[\s\S]*Undeliverable\s+1/i);
    await page.screenshot({ path: join(SHOTS, 'reminders-1-today.png'), fullPage: true });

    await page.locator('#day-tomorrow').click();
    await page.locator('#appointments-body tr', { hasText: 'Léa Martin' }).waitFor(SLOW);
    const tomorrow = await page.locator('#appointments-body').innerText();
    expect(tomorrow).toMatch(/Ana Costa[\s\S]*Planned for/);
    expect(tomorrow).toMatch(/John Smith[\s\S]*Turned reminders off[\s\S]*None: the patient turned reminders off/);
    expect(tomorrow).toMatch(/Léa Martin[\s\S]*Could not be delivered[\s\S]*403/);
    expect(await page.locator('#day-tomorrow').getAttribute('aria-pressed')).toBe('true');
    await page.screenshot({ path: join(SHOTS, 'reminders-2-tomorrow.png'), fullPage: true });

    await page.locator('#day-today').click();
    const maria = page.locator('#appointments-body tr', { hasText: 'Maria Santos' });
    await maria.locator('button', { hasText: 'Mark no-show' }).click();
    await page.locator('#confirm-dialog[open]').waitFor(SLOW);
    expect(await page.locator('#confirm-text').innerText()).toContain('Maria Santos did not come to Teeth cleaning at 09:00');
    await page.screenshot({ path: join(SHOTS, 'reminders-3-confirm-no-show.png') });
    await page.locator('#confirm-ok').click();
    await page.locator('#appointments-status', { hasText: 'Maria Santos is marked as a no-show.' }).waitFor(SLOW);
    await maria.locator('.status--no_show').waitFor(SLOW);
    expect(await maria.locator('button').count()).toBe(0);
    await page.screenshot({ path: join(SHOTS, 'reminders-4-no-show.png'), fullPage: true });
    expect(errors).toEqual([]);
    await context.close();

    const row = await db.query<{ status: string }>('select status from appointments where id = $1', [seeded.confirmedEarly.id]);
    expect(row.rows[0]?.status).toBe('no_show');
    const audit = await db.query<{ actor_type: string; patient_id: string; details: { appointmentId: string } }>(
      "select actor_type, patient_id, details from audit_log where action = 'appointment.no_show'",
    );
    expect(audit.rows).toEqual([{ actor_type: 'staff', patient_id: seeded.confirmedEarly.patient, details: expect.objectContaining({ appointmentId: seeded.confirmedEarly.id }) }]);
  });
});
