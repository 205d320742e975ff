/**
 * Reminders on Microsoft Teams, over the running app with the fake Bot Connector (as in
 * teams.test.ts) on the real Redis and PostgreSQL, on a clock the test sets: a patient books in
 * their personal chat, the reminder comes proactively into that chat as a card with the three
 * answers, and "1" confirms; when the connector refuses (403: the bot was removed or blocked)
 * the reminder is recorded as undeliverable — in the database, the audit log and /metrics — and
 * not retried.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replyLanguage } from '../support/language.js';
import { personalActivity, postActivity, readable, startTeamsApp, submitValues, teamsUser, type TeamsHarness, type TeamsUser } from '../support/teams.js';
import { eventually, mondayAt, TestClock } from '../integration/reminders/harness.js';

const clock = new TestClock();
let harness: TeamsHarness;
let week = 0;

beforeAll(async () => {
  clock.set(mondayAt('08:00'));
  harness = await startTeamsApp('teams_reminders', { LOG_LEVEL: 'info' }, { now: clock.now });
});

afterAll(async () => harness?.close());

async function say(user: TeamsUser, fields: Record<string, unknown>): Promise<void> {
  const response = await postActivity(harness.app, personalActivity(harness.connector, user, fields));
  expect(response.status).toBe(200);
}

async function messages(user: TeamsUser, count: number) {
  return harness.connector.waitForMessages(user.conversationId, count, 20_000);
}

/** Books Tuesday 10:00 with Dr. Ana (a week further each time) so that its reminder falls due 1.5 s later. */
async function bookDueSoon(user: TeamsUser): Promise<Date> {
  const startsAt = mondayAt('10:00', week++);
  startsAt.setTime(startsAt.getTime() + 86_400_000);
  clock.set(new Date(startsAt.getTime() - 86_400_000 - 60_000));
  await say(user, { text: 'I would like a teeth cleaning with Dr. Ana tomorrow at 10' });
  expect(readable((await messages(user, 1))[0]!)).toContain('1. Tue');
  await say(user, { text: '1' });
  expect((await messages(user, 2))[1]?.body.text).toMatch(/Shall I book Teeth cleaning with Dr\. Ana Silva on Tue, .*, 10:00/);
  clock.set(new Date(startsAt.getTime() - 86_400_000 - 1_500));
  await say(user, { text: 'yes' });
  expect((await messages(user, 3))[2]?.body.text).toMatch(/You're booked for Teeth cleaning/);
  return startsAt;
}

function metric(text: string, outcome: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`clinic_reminders_total{outcome="${outcome}"}`));
  return line ? Number(line.split(' ').pop()) : 0;
}

describe('Teams reminders', () => {
  it('arrive proactively in the personal chat as a card with the three answers; "1" confirms', async () => {
    const user = teamsUser('en-US');
    await bookDueSoon(user);
    const reminder = (await messages(user, 4))[3]!;
    const text = readable(reminder);
    expect(text).toMatch(/Reminder from Smile Dental Clinic: you have Teeth cleaning with Dr\. Ana Silva on Tue, .*, 10:00\. Reply 1 to confirm/);
    expect(replyLanguage(text)).toBe('en');
    expect(submitValues(reminder)).toHaveLength(3);
    expect(text).toContain('1. Confirm: I\'ll be there');

    // The card's first button sends what "1" would.
    await say(user, { text: undefined, value: submitValues(reminder)[0] });
    expect((await messages(user, 5))[4]?.body.text).toMatch(/Thank you! Your Teeth cleaning with Dr\. Ana Silva on Tue, .*, 10:00 is confirmed/);
    const patient = await harness.app.runtime.records.patients.findByIdentity({ channel: 'teams', externalId: user.aadObjectId });
    const [appointment] = await harness.app.runtime.records.appointments.listUpcomingForPatient(patient!.id, clock.now());
    expect(appointment?.status).toBe('confirmed');
    expect(appointment?.bookedFrom).toEqual({ channel: 'teams', conversationId: user.conversationId });
  });

  it('a reminder the channel refuses for good is recorded as undeliverable, visibly, and not retried', async () => {
    const user = teamsUser('en-US');
    await bookDueSoon(user);
    harness.connector.failNextMessages(user.conversationId, { status: 403 });
    const { records } = harness.app.runtime;
    const patient = await records.patients.findByIdentity({ channel: 'teams', externalId: user.aadObjectId });
    const [appointment] = await records.appointments.listUpcomingForPatient(patient!.id, clock.now());
    const day = await eventually(async () => {
      const [entry] = (await records.reminders.listStartingBetween(appointment!.startsAt, new Date(appointment!.startsAt.getTime() + 1))).filter(
        (e) => e.appointment.id === appointment!.id,
      );
      expect(entry?.reminders[0]?.status).toBe('undeliverable');
      return entry!;
    });
    expect(day.reminders[0]?.failure).toMatch(/403/);
    const refused = harness.connector.forConversation(user.conversationId).filter((r) => r.status === 403);
    expect(refused).toHaveLength(1);
    const outbox = await records.outbox.findByDeliveryId(`reminder:${appointment!.id}:86400000:${appointment!.startsAt.getTime()}`);
    expect(outbox).toMatchObject({ status: 'failed', attempts: 1 });
    const audit = await records.audit.listForPatient(patient!.id);
    expect(audit.map((entry) => entry.action)).toEqual(expect.arrayContaining(['reminder.sent', 'reminder.undeliverable']));
    const { body } = await harness.app.runtime.metrics.exposition();
    expect(metric(body, 'undeliverable')).toBe(1);
    expect(harness.logs.some((line) => line.includes('recorded as undeliverable'))).toBe(true);
    // Nothing else went to the chat after the refusal.
    expect(harness.connector.messages(user.conversationId)).toHaveLength(3);
  });
});
