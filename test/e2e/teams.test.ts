/**
 * The Teams channel on the running app (startApp) with the real Redis and PostgreSQL and
 * authentication off: Activities are POSTed to /api/messages as Teams posts them, and a fake
 * Bot Connector (an HTTP server at the activities' serviceUrl) records the replies, proactive
 * messages and card updates. Nothing of ours is mocked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Records } from '../../src/core/ports/records.js';
import { replyLanguage } from '../support/language.js';
import { personalActivity, postActivity, readable, startTeamsApp, submitValues, teamsUser, type TeamsHarness, type TeamsUser } from '../support/teams.js';

let harness: TeamsHarness;
let records: Records;

beforeAll(async () => {
  harness = await startTeamsApp('teams_e2e');
  records = harness.app.runtime.records;
});

afterAll(async () => harness?.close());

async function say(user: TeamsUser, fields: Record<string, unknown>): Promise<void> {
  const response = await postActivity(harness.app, personalActivity(harness.connector, user, fields));
  expect(response.status).toBe(200);
}

async function nextMessage(user: TeamsUser, count: number) {
  const messages = await harness.connector.waitForMessages(user.conversationId, count);
  expect(messages).toHaveLength(count);
  const last = messages[count - 1];
  if (!last) throw new Error('no message');
  return last;
}

async function bookedFor(user: TeamsUser) {
  const patient = await records.patients.findByIdentity({ channel: 'teams', externalId: user.aadObjectId });
  expect(patient).not.toBeNull();
  return records.appointments.listUpcomingForPatient(patient?.id ?? '', new Date('2026-11-23T00:00:00Z'));
}

describe('Teams: a booking with card buttons', () => {
  it('in English: the menu is a card, a button picks the option as "1" would, and the booking is written', async () => {
    const user = teamsUser('en-US');
    await say(user, { text: "Hi, I'd like to book a cleaning with Dr. Ana tomorrow at 10" });
    const menu = await nextMessage(user, 1);
    expect(menu.body.attachments?.[0]?.contentType).toBe('application/vnd.microsoft.card.adaptive');
    const card = menu.body.attachments?.[0]?.content;
    expect(card?.rtl).toBeUndefined();
    expect(readable(menu)).toContain('Teeth cleaning');
    expect(card?.actions?.map((action) => action.title)).toContain('1. Tue, Nov 24, 10:00 with Dr. Ana Silva');
    expect(card?.fallbackText).toContain('1. Tue, Nov 24, 10:00 with Dr. Ana Silva');
    const values = submitValues(menu);
    expect(values).toHaveLength(4);

    // Teams sends a card button's data as the activity's value, with no text.
    await say(user, { text: undefined, value: values[0] });
    const confirm = await nextMessage(user, 2);
    expect(confirm.body.text).toMatch(/Shall I book Teeth cleaning with Dr\. Ana Silva on Tue, Nov 24, 10:00/);
    expect(replyLanguage(confirm.body.text ?? '')).toBe('en');

    await say(user, { text: 'yes' });
    const done = await nextMessage(user, 3);
    expect(done.body.text).toMatch(/Done!.*Teeth cleaning.*Tue, Nov 24, 10:00/s);

    const appointments = await bookedFor(user);
    expect(appointments.map((a) => [a.serviceId, a.doctorId, a.startsAt.toISOString()])).toEqual([['cleaning', 'dr-ana', '2026-11-24T10:00:00.000Z']]);
    const transcript = await records.transcripts.listForConversation('teams', user.conversationId);
    expect(transcript.map((entry) => entry.author)).toEqual(['patient', 'bot', 'patient', 'bot', 'patient', 'bot']);
    expect(transcript[2]?.text).toBe('1');
    const stored = await records.teams.findConversation(user.conversationId);
    expect(stored).toMatchObject({ kind: 'personal', userAadId: user.aadObjectId });
  });
});
