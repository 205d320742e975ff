/**
 * The Teams channel on the running app (startApp) with the real Redis and PostgreSQL and
 * authentication off: Activities are POSTed to /api/messages as Teams posts them, and a fake
 * Bot Connector (an HTTP server at the activities' serviceUrl) records the replies, proactive
 * messages and card updates. Nothing of ours is mocked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Records, StaffUser } from '../../src/core/ports/records.js';
import { formatWhen } from '../../src/i18n/format.js';
import { hashPassword } from '../../src/staff/passwords.js';
import { replyLanguage } from '../support/language.js';
import { BOT, personalActivity, postActivity, readable, startTeamsApp, submitValues, teamsUser, TENANT, type TeamsHarness, type TeamsUser } from '../support/teams.js';

let harness: TeamsHarness;
let records: Records;

beforeAll(async () => {
  harness = await startTeamsApp('teams_e2e');
  records = harness.app.runtime.records;
});

afterAll(async () => harness?.close());

/** Everyone who wrote in this file: their ids must not appear in the logs. */
const people: TeamsUser[] = [];

function newUser(locale?: string, name?: string): TeamsUser {
  const user = teamsUser(locale, name);
  people.push(user);
  return user;
}

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
  return records.appointments.listUpcomingForPatient(patient?.id ?? '', new Date('2031-11-24T00:00:00Z'));
}

describe('Teams: bad requests', () => {
  it('answers 400 with a reason to a body that is not an activity', async () => {
    for (const body of [[], { text: 'no type' }]) {
      const response = await postActivity(harness.app, body as unknown as Record<string, unknown>);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: 'invalid_activity', reason: expect.stringContaining('type') });
    }
  });
});

describe('Teams: a booking with card buttons', () => {
  it('in English: the menu is a card, a button picks the option as "1" would, and the booking is written', async () => {
    const user = newUser('en-US');
    await say(user, { text: "Hi, I'd like to book a cleaning with Dr. Ana tomorrow at 10" });
    const menu = await nextMessage(user, 1);
    expect(menu.body.attachments?.[0]?.contentType).toBe('application/vnd.microsoft.card.adaptive');
    const card = menu.body.attachments?.[0]?.content;
    expect(card?.rtl).toBeUndefined();
    expect(readable(menu)).toContain('Teeth cleaning');
    expect(card?.actions?.map((action) => action.title)).toContain('1. Tue, Nov 25, 10:00 with Dr. Ana Silva');
    expect(card?.fallbackText).toContain('1. Tue, Nov 25, 10:00 with Dr. Ana Silva');
    const values = submitValues(menu);
    expect(values).toHaveLength(4);

    // Teams sends a card button's data as the activity's value, with no text.
    await say(user, { text: undefined, value: values[0] });
    const confirm = await nextMessage(user, 2);
    expect(confirm.body.text).toMatch(/Shall I book Teeth cleaning with Dr\. Ana Silva on Tue, Nov 25, 10:00/);
    expect(replyLanguage(confirm.body.text ?? '')).toBe('en');

    await say(user, { text: 'yes' });
    const done = await nextMessage(user, 3);
    expect(done.body.text).toMatch(/Done!.*Teeth cleaning.*Tue, Nov 25, 10:00/s);

    const appointments = await bookedFor(user);
    expect(appointments.map((a) => [a.serviceId, a.doctorId, a.startsAt.toISOString()])).toEqual([['cleaning', 'dr-ana', '2031-11-25T10:00:00.000Z']]);
    const transcript = await records.transcripts.listForConversation('teams', user.conversationId);
    expect(transcript.map((entry) => entry.author)).toEqual(['patient', 'bot', 'patient', 'bot', 'patient', 'bot']);
    expect(transcript[2]?.text).toBe('1');
    const stored = await records.teams.findConversation(user.conversationId);
    expect(stored).toMatchObject({ kind: 'personal', userAadId: user.aadObjectId });
  });
});

describe('Teams: Hebrew', () => {
  it('books in Hebrew: the card reads right to left, a button picks, the confirmation is in Hebrew only', async () => {
    const user = newUser('he-IL', 'דנה');
    await say(user, { text: 'אני רוצה לקבוע ניקוי אצל ד״ר אנה מחר ב-10' });
    const menu = await nextMessage(user, 1);
    const card = menu.body.attachments?.[0]?.content;
    expect(card?.rtl).toBe(true);
    expect(card?.lang).toBe('he');
    expect(readable(menu)).toContain('ניקוי שיניים');
    const second = card?.actions?.[1]?.title ?? '';
    expect(second).toMatch(/^2\. .*25 בנוב׳, \d\d:\d\d אצל ד״ר אנה סילבה$/);
    const slot = /25 בנוב׳, \d\d:\d\d/.exec(second)?.[0] ?? 'no slot';
    expect(menu.body.summary).toContain('ניקוי שיניים');

    await say(user, { value: submitValues(menu)[1] });
    const confirm = await nextMessage(user, 2);
    expect(confirm.body.text).toContain(slot);
    expect(replyLanguage(confirm.body.text ?? '')).toBe('he');
    expect(confirm.body.text).not.toMatch(/Dr\.|Ana/);

    await say(user, { text: 'כן' });
    const done = await nextMessage(user, 3);
    expect(done.body.text).toContain('התור נקבע');
    const appointments = await bookedFor(user);
    expect(appointments).toHaveLength(1);
    expect(appointments[0]).toMatchObject({ serviceId: 'cleaning', doctorId: 'dr-ana', status: 'booked' });
    const patient = await records.patients.findByIdentity({ channel: 'teams', externalId: user.aadObjectId });
    expect(patient?.preferredLocale).toBe('he');
  });
});

describe('Teams: redelivery and expectReplies', () => {
  it('answers a redelivered activity once', async () => {
    const user = newUser('en-US');
    const activity = personalActivity(harness.connector, user, { text: 'How much is whitening?' });
    const [first, second] = await Promise.all([postActivity(harness.app, activity), postActivity(harness.app, activity)]);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect((await postActivity(harness.app, activity)).status).toBe(200);
    const messages = await harness.connector.waitForMessages(user.conversationId, 1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(harness.connector.messages(user.conversationId)).toHaveLength(1);
    expect(messages[0]?.body.text).toMatch(/whitening/i);
    const transcript = await records.transcripts.listForConversation('teams', user.conversationId);
    expect(transcript.filter((entry) => entry.author === 'patient')).toHaveLength(1);
  });

  it('sends a message pushed twice under one delivery id once, and a retry after a partial failure sends only the rest', async () => {
    const user = newUser('en-US');
    await say(user, { text: 'hello' });
    await harness.connector.waitForMessages(user.conversationId, 1);
    const conversation = { channel: 'teams' as const, conversationId: user.conversationId };
    const message = { author: 'bot' as const, deliveryId: `test:${user.conversationId}`, replies: [{ text: 'One reminder', locale: 'en' as const }, { text: 'Two parts', locale: 'en' as const }] };
    await harness.app.runtime.outbound.send(conversation, message);
    await harness.app.runtime.outbound.send(conversation, message);
    await outboxStatus(message.deliveryId, 'sent');
    const texts = harness.connector.messages(user.conversationId).map((request) => request.body.text);
    expect(texts.filter((text) => text === 'One reminder' || text === 'Two parts')).toEqual(['One reminder', 'Two parts']);

    // A retry of a message half sent (the connector refused its second part) sends only the rest.
    const halves = { author: 'bot' as const, deliveryId: `halves:${user.conversationId}`, replies: [{ text: 'Part one', locale: 'en' as const }, { text: 'Part two', locale: 'en' as const }] };
    const refused = { status: 412, text: 'Part two' };
    harness.connector.failNextMessages(user.conversationId, refused, refused, refused, refused);
    await harness.app.runtime.outbound.send(conversation, halves);
    await outboxStatus(halves.deliveryId, 'sent');
    const parts = harness.connector.forConversation(user.conversationId).filter((r) => r.body.text === 'Part one' || r.body.text === 'Part two');
    expect(parts.map((r) => `${r.body.text}:${r.status}`)).toEqual(['Part one:200', 'Part two:412', 'Part two:412', 'Part two:412', 'Part two:412', 'Part two:200']);
  });

  it('puts the replies in the HTTP answer with deliveryMode expectReplies, and sends nothing to the connector', async () => {
    const user = newUser('es-ES');
    const response = await postActivity(harness.app, personalActivity(harness.connector, user, { text: 'Quiero reservar una limpieza con la Dra. Ana mañana a las 10', deliveryMode: 'expectReplies' }));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { activities: { type: string; text?: string; attachments?: { content: { fallbackText?: string } }[] }[] };
    const messages = body.activities.filter((activity) => activity.type === 'message');
    expect(messages).toHaveLength(1);
    expect(messages[0]?.attachments?.[0]?.content.fallbackText).toMatch(/Limpieza dental[\s\S]*1\. /);
    expect(harness.connector.forConversation(user.conversationId)).toEqual([]);
  });
});

/** Waits until the outbox has the message in this state; if it never does, says where it stands and what the delivery loop logged. */
async function outboxStatus(deliveryId: string, status: 'sent' | 'failed') {
  let item = null;
  for (let tries = 0; tries < 200; tries += 1) {
    item = await records.outbox.findByDeliveryId(deliveryId);
    if (item?.status === status) return item;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const state = item ? `${item.status} after ${item.attempts} attempt(s), last error ${item.lastError ?? 'none'}` : 'not in the outbox';
  const loopLines = harness.logs.filter((line) => line.includes('"outbound: ') || line.includes('"teams: ')).slice(-10);
  throw new Error(`outbox message ${deliveryId} never became ${status}: ${state}\n${loopLines.join('')}`);
}

async function metricsText(): Promise<string> {
  return (await fetch(new URL('/metrics', harness.app.url))).text();
}

function counter(text: string, name: string, labels: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
  return line ? Number(line.split(' ').pop()) : 0;
}

describe('Teams: when the connector pushes back', () => {
  it('waits out a 429 with Retry-After and then delivers once', async () => {
    const user = newUser('en-US');
    harness.connector.failNextMessages(user.conversationId, { status: 429, headers: { 'retry-after': '1' } });
    await say(user, { text: 'How long does a filling take?' });
    const [reply] = await harness.connector.waitForMessages(user.conversationId, 1);
    expect(reply?.body.text).toMatch(/Filling/);
    const attempts = harness.connector.forConversation(user.conversationId).filter((r) => r.body.type === 'message');
    expect(attempts.map((r) => r.status)).toEqual([429, 200]);
  });

  it('retries 412 with back-off, counts the retries, and delivers once', async () => {
    const before = await metricsText();
    const user = newUser('en-US');
    harness.connector.failNextMessages(user.conversationId, { status: 412 }, { status: 412 });
    await say(user, { text: 'How much is whitening?' });
    await harness.connector.waitForMessages(user.conversationId, 1);
    const attempts = harness.connector.forConversation(user.conversationId).filter((r) => r.body.type === 'message');
    expect(attempts.map((r) => r.status)).toEqual([412, 412, 200]);
    const after = await metricsText();
    const retries = (text: string) => counter(text, 'clinic_teams_connector_retries_total', 'status="412"');
    expect(retries(after) - retries(before)).toBe(2);
  });

  it('gives up at once on 403 (the bot was blocked), logs and counts it, and never retries', async () => {
    const user = newUser('en-US');
    await say(user, { text: 'hello' });
    await harness.connector.waitForMessages(user.conversationId, 1);
    const before = await metricsText();
    harness.connector.failNextMessages(user.conversationId, { status: 403 });
    const conversation = { channel: 'teams' as const, conversationId: user.conversationId };
    const deliveryId = `forbidden:${user.conversationId}`;
    await harness.app.runtime.outbound.send(conversation, { author: 'bot', deliveryId, replies: [{ text: 'A notice', locale: 'en' }] });
    expect((await outboxStatus(deliveryId, 'failed')).attempts).toBe(1);
    const attempts = harness.connector.forConversation(user.conversationId).filter((r) => r.body.text === 'A notice');
    expect(attempts.map((r) => r.status)).toEqual([403]);
    const after = await metricsText();
    const failures = (text: string) => counter(text, 'clinic_teams_deliveries_total', 'kind="bot",outcome="permanent_failure"');
    expect(failures(after) - failures(before)).toBe(1);
  });
});

describe('Teams: lifecycle', () => {
  it('greets once in the person\'s language when installed, and forgets the conversation when removed', async () => {
    const user = newUser('es-ES', 'Lucía');
    await say(user, { type: 'conversationUpdate', text: undefined, membersAdded: [{ id: user.accountId }, { id: '28:clinic-bot' }] });
    await say(user, { type: 'installationUpdate', action: 'add' });
    const messages = await harness.connector.waitForMessages(user.conversationId, 1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(harness.connector.messages(user.conversationId)).toHaveLength(1);
    expect(messages[0]?.body.text).toMatch(/¡Hola!|Hola/);
    expect(replyLanguage(messages[0]?.body.text ?? '')).toBe('es');
    const patient = await records.patients.findByIdentity({ channel: 'teams', externalId: user.aadObjectId });
    expect(patient?.displayName).toBe('Lucía');
    expect(await records.teams.findConversation(user.conversationId)).not.toBeNull();

    await say(user, { type: 'installationUpdate', action: 'remove' });
    expect(await records.teams.findConversation(user.conversationId)).toBeNull();
    const deliveryId = `after-removal:${user.conversationId}`;
    await harness.app.runtime.outbound.send({ channel: 'teams', conversationId: user.conversationId }, { author: 'staff', authorName: 'Ana', deliveryId, replies: [{ text: 'Hola', locale: 'es' }] });
    // Nothing to send it through: failed for good at once, not retried.
    expect(await outboxStatus(deliveryId, 'failed')).toMatchObject({ attempts: 1, lastError: expect.stringMatching(/no Teams conversation reference/i) });
  });

  it('answers an attachment with the unsupported-media notice and an edit with a notice, in the person\'s language', async () => {
    const user = newUser('pt-PT');
    await say(user, { text: undefined, attachments: [{ contentType: 'image/png', contentUrl: 'https://example.invalid/x.png', name: 'x.png' }] });
    const [notice] = await harness.connector.waitForMessages(user.conversationId, 1);
    expect(notice?.body.text).toMatch(/texto/);
    expect(replyLanguage(notice?.body.text ?? '')).toBe('pt');

    await say(user, { type: 'messageUpdate', text: 'olá (editado)' });
    const [, edited] = await harness.connector.waitForMessages(user.conversationId, 2);
    expect(edited?.body.text).toMatch(/nova|novamente/);
  });

  it('strips its own mention and the HTML Teams adds', async () => {
    const user = newUser('en-US');
    await say(user, {
      text: '<at>Clinic assistant</at> <p>How much is <b>whitening</b>?&nbsp;</p>',
      entities: [{ type: 'mention', text: '<at>Clinic assistant</at>', mentioned: { id: '28:clinic-bot', name: 'Clinic assistant' } }],
    });
    const [reply] = await harness.connector.waitForMessages(user.conversationId, 1);
    expect(reply?.body.text).toMatch(/^Teeth whitening/);
    const transcript = await records.transcripts.listForConversation('teams', user.conversationId);
    expect(transcript[0]?.text).toBe('How much is whitening?');
  });

  it('in a group chat points people to a personal chat instead of answering as the assistant', async () => {
    const user = newUser('en-US');
    await say(user, { conversation: { id: user.conversationId, conversationType: 'groupChat', isGroup: true }, text: '<at>Clinic assistant</at> book a cleaning' });
    const [reply] = await harness.connector.waitForMessages(user.conversationId, 1);
    expect(reply?.body.text).toMatch(/personal chat/);
    expect(await records.patients.findByIdentity({ channel: 'teams', externalId: user.aadObjectId })).toBeNull();
  });
});

const PASSWORD = 'correct horse battery staple';

async function staffUser(name: string, role: 'staff' | 'admin'): Promise<StaffUser> {
  const created = await records.staff.create({ email: `${name.toLowerCase()}-${Date.now()}@clinic.example`, displayName: name, role, passwordHash: await hashPassword(PASSWORD) });
  if (created.outcome !== 'created') throw new Error('staff user not created');
  return created.user;
}

async function staffCall(cookie: string, path: string, body: unknown = {}): Promise<Response> {
  return fetch(new URL(path, harness.app.url), { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

async function signIn(user: StaffUser): Promise<string> {
  const response = await fetch(new URL('/staff/api/session', harness.app.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: user.email, password: PASSWORD }),
  });
  expect(response.status).toBe(200);
  return (response.headers.getSetCookie()[0] ?? '').split(';')[0] ?? '';
}

const TEAM = { id: '19:clinic-team@thread.tacv2', name: 'Smile staff' };
const CHANNEL = { id: '19:front-desk@thread.tacv2', name: 'Front desk' };

/** A staff member mentioning the bot in the team's Front desk channel. */
async function mentionInChannel(member: { id: string; aadObjectId: string }, command: string) {
  const conversationId = `${CHANNEL.id};messageid=${Date.now()}`;
  const response = await postActivity(harness.app, {
    type: 'message',
    id: `${Date.now()}`,
    channelId: 'msteams',
    serviceUrl: harness.connector.url,
    from: { id: member.id, aadObjectId: member.aadObjectId, name: 'Staff' },
    recipient: BOT,
    conversation: { id: conversationId, conversationType: 'channel', isGroup: true, tenantId: TENANT },
    channelData: { team: TEAM, channel: CHANNEL, tenant: { id: TENANT } },
    locale: 'en-US',
    text: `<at>${BOT.name}</at> ${command}`,
    entities: [{ type: 'mention', text: `<at>${BOT.name}</at>`, mentioned: BOT }],
  });
  expect(response.status).toBe(200);
  const [answer] = await harness.connector.waitForMessages(conversationId, 1);
  return answer?.body.text ?? '';
}

describe('Teams: staff', () => {
  it('delivers a staff reply from the console to the patient in Teams, under the staff member\'s name', async () => {
    const ana = await staffUser('Ana', 'staff');
    const user = newUser('ru-RU');
    await say(user, { text: 'Я хочу поговорить с человеком' });
    await harness.connector.waitForMessages(user.conversationId, 1);
    const escalation = await records.escalations.findOpenForConversation('teams', user.conversationId);
    expect(escalation).not.toBeNull();
    const cookie = await signIn(ana);
    expect((await staffCall(cookie, `/staff/api/escalations/${escalation?.id}/claim`)).status).toBe(200);
    expect((await staffCall(cookie, `/staff/api/escalations/${escalation?.id}/reply`, { text: 'Здравствуйте, это Анна. Чем помочь?' })).status).toBe(201);
    const messages = await harness.connector.waitForMessages(user.conversationId, 2);
    expect(messages[1]?.body.text).toBe('Ana · Сотрудник клиники\nЗдравствуйте, это Анна. Чем помочь?');
  });

  it('posts an alert card for an urgent escalation in the channel an admin chose, and updates it when claimed and resolved', async () => {
    const admin = await staffUser('Dora', 'admin');
    const member = { id: '29:dora', aadObjectId: 'c5a1d9e2-0000-4000-8000-000000000001' };
    harness.connector.members.set(member.id, { ...member, name: 'Dora', email: admin.email.toUpperCase(), userPrincipalName: admin.email });
    const outsider = { id: '29:someone', aadObjectId: 'c5a1d9e2-0000-4000-8000-000000000002' };
    harness.connector.members.set(outsider.id, { ...outsider, name: 'Someone', email: 'someone@clinic.example' });

    expect(await mentionInChannel(outsider, 'alerts here')).toMatch(/Only an admin/);
    expect(await records.teams.findAlertChannel()).toBeNull();
    expect(await mentionInChannel(member, 'alerts here')).toMatch(/will be posted in this channel/);
    expect(await records.teams.findAlertChannel()).toMatchObject({ teamName: TEAM.name, channelName: CHANNEL.name, setBy: admin.email });
    expect(await mentionInChannel(outsider, 'alerts')).toMatch(/"Front desk" of the team "Smile staff"/);

    // A request for a person (medium) posts nothing; an emergency (urgent) does.
    const calm = newUser('en-US');
    await say(calm, { text: 'I want to talk to a person' });
    const user = newUser('es-ES');
    await say(user, { text: 'Tengo un dolor fuerte en el pecho' });
    const escalation = await records.escalations.findOpenForConversation('teams', user.conversationId);
    expect(escalation?.urgency).toBe('urgent');
    const channelRequests = () => harness.connector.forConversation(CHANNEL.id);
    const posted = await harness.connector.waitFor(() => channelRequests().find((r) => r.method === 'POST'), 10_000, 'the alert card');
    expect(posted.activityId).toBeNull();
    expect(readable(posted)).toMatch(/^Urgent: Emergency: chest pain/);
    expect(readable(posted)).toMatch(/Status: Waiting for staff/);
    // The escalation's time comes from the database's clock, shown in the clinic's time zone.
    expect(readable(posted)).toContain(`Waiting since: ${formatWhen('en', escalation?.raisedAt.toISOString() ?? '', 'Europe/Lisbon')}`);
    expect(posted.body.attachments?.[0]?.content.actions?.[0]).toMatchObject({ type: 'Action.OpenUrl', url: `https://clinic.example/staff#${escalation?.id}` });
    // The card is posted as the escalation opens; the patient's language follows once their turn is recorded.
    const shown = (pattern: RegExp) => () => channelRequests().find((r) => pattern.test(readable(r)));
    const spanish = await harness.connector.waitFor(shown(/Language: Spanish/), 10_000, 'the language on the card');
    if (spanish !== posted) expect(spanish.activityId).toBe(posted.assignedId);

    const cookie = await signIn(admin);
    expect((await staffCall(cookie, `/staff/api/escalations/${escalation?.id}/claim`)).status).toBe(200);
    const claimed = await harness.connector.waitFor(shown(/Status: Claimed by Dora/), 10_000, 'the claimed card');
    expect(claimed).toMatchObject({ method: 'PUT', activityId: posted.assignedId });
    expect(readable(claimed)).toMatch(/Language: Spanish/);

    expect((await staffCall(cookie, `/staff/api/escalations/${escalation?.id}/resolve`)).status).toBe(200);
    const resolved = await harness.connector.waitFor(shown(/Status: Resolved/), 10_000, 'the resolved card');
    expect(resolved).toMatchObject({ method: 'PUT', activityId: posted.assignedId });
    await new Promise((resolve) => setTimeout(resolve, 200));
    // One card in the channel for the two escalations: the medium one posted nothing.
    expect(channelRequests().filter((r) => r.method === 'POST')).toHaveLength(1);
  });
});

describe('Teams: privacy', () => {
  it('patient:erase by the Entra object id removes the patient\'s data and the conversation reference', async () => {
    const user = newUser('en-US');
    await say(user, { text: "Hi, I'd like to book a filling with Dr. Dan tomorrow at 11" });
    await harness.connector.waitForMessages(user.conversationId, 1);
    expect(await records.teams.findConversation(user.conversationId)).not.toBeNull();
    const result = await harness.app.runtime.privacy.erasePatientByIdentity({ channel: 'teams', externalId: user.aadObjectId });
    expect(result?.deleted).toMatchObject({ teamsConversations: 1, identities: 1 });
    expect(await records.teams.findConversation(user.conversationId)).toBeNull();
    expect(await records.transcripts.listForConversation('teams', user.conversationId)).toEqual([]);
  });

  it('logged nothing that identifies anyone: no Entra ids, conversation ids or message text', () => {
    expect(people.length).toBeGreaterThan(10);
    expect(harness.logs.length).toBeGreaterThan(20);
    const logs = harness.logs.join('\n');
    for (const person of people) {
      expect(logs).not.toContain(person.aadObjectId);
      expect(logs).not.toContain(person.conversationId);
      expect(logs).not.toContain(person.accountId);
    }
    expect(logs).not.toContain('whitening');
    expect(logs).not.toContain('Здравствуйте');
  });
});
