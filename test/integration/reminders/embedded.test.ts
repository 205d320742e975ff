/**
 * Reminders on the embedded default (no Redis, PGlite): in-process timers, which a restart
 * forgets — the reconciliation at start-up schedules the reminder again, and it is sent once.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bookDueSoon, eventually, mondayAt, openDeployment, patient, type Deployment } from './harness.js';

let deployment: Deployment;

beforeAll(async () => {
  deployment = await openDeployment({}, { embedded: true });
});

afterAll(async () => {
  await deployment?.cleanup();
});

it('a reminder scheduled on a timer, lost in a restart, is reconciled at start-up and sent once', async () => {
  const before = await deployment.start();
  const chat = patient(before);
  const startsAt = await bookDueSoon(deployment, chat, before, { request: 'I want a teeth cleaning tomorrow at 10', yes: 'yes' }, { day: mondayAt('08:00'), leadMs: 5_000 });
  await deployment.stop(before);

  const after = await deployment.start();
  const received = patient(after, chat.conversationId);
  await eventually(() => expect(received.pushed).toHaveLength(1));
  expect(received.pushed[0]?.replies[0]?.text).toMatch(/^Reminder from Smile Dental Clinic: you have Teeth cleaning/);
  const [day] = await after.records.reminders.listStartingBetween(startsAt, new Date(startsAt.getTime() + 1));
  expect(day?.reminders).toHaveLength(1);
  expect(day?.reminders[0]).toMatchObject({ status: 'sent', mode: 'prompt', conversation: { channel: 'webchat', conversationId: chat.conversationId } });
  expect(await after.reminders.reconcile()).toBe(0);
});
