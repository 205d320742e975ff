/**
 * The web chat's live stream over HTTP, on the real Redis and PostgreSQL: a patient's page
 * (the SSE stream) receives a staff reply sent through the outbound port, also when another
 * process of the app sends it; claim and hand back go through the control port. Staff replies
 * the stream missed are fetched from GET /api/webchat/staff-replies.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app.js';
import { createStaffDesk, type StaffDesk, type StaffMember } from '../../src/escalation/staff-desk.js';
import { DATABASE_URL, noStaffChange, REDIS_URL, removeTestPlace, requirePostgres, requireRedis, uniqueName } from '../support/services.js';

interface SseEvent {
  event: string;
  data: string;
}

/** An open event stream as a browser's EventSource would read it. */
class SseClient {
  readonly events: SseEvent[] = [];
  readonly comments: string[] = [];
  private ended = false;

  private constructor(
    readonly response: Response,
    private readonly abort: AbortController,
  ) {}

  static async open(url: string): Promise<SseClient> {
    const abort = new AbortController();
    const response = await fetch(url, { signal: abort.signal, headers: { accept: 'text/event-stream' } });
    const client = new SseClient(response, abort);
    if (response.ok) void client.read();
    return client;
  }

  get isEnded(): boolean {
    return this.ended;
  }

  close(): void {
    this.abort.abort();
  }

  private async read(): Promise<void> {
    const body = this.response.body;
    if (!body) return;
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for (let next = await reader.read(); !next.done; next = await reader.read()) {
        buffer += decoder.decode(next.value, { stream: true });
        let boundary = buffer.indexOf('\n\n');
        while (boundary >= 0) {
          this.parse(buffer.slice(0, boundary));
          buffer = buffer.slice(boundary + 2);
          boundary = buffer.indexOf('\n\n');
        }
      }
    } catch (error) {
      if (!(error instanceof Error && error.name === 'AbortError')) throw error;
    } finally {
      this.ended = true;
    }
  }

  private parse(block: string): void {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) this.comments.push(line.slice(1).trim());
      else if (line.startsWith('event: ')) event = line.slice(7);
      else if (line.startsWith('data: ')) data.push(line.slice(6));
    }
    if (data.length > 0) this.events.push({ event, data: data.join('\n') });
  }
}

async function eventually<T>(check: () => Promise<T> | T, deadlineMs = 15_000): Promise<T> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > until) throw error;
      await sleep(25);
    }
  }
}

const name = uniqueName('webchat_live');
const env = {
  PORT: '0',
  HOST: '127.0.0.1',
  REDIS_URL,
  DATABASE_URL,
  DATABASE_SCHEMA: name,
  REDIS_KEY_PREFIX: `test:${name}`,
  APP_ENV: 'test',
  LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
  TURN_TIMEOUT_MS: '120000',
};
let first: RunningApp;
let second: RunningApp;
const streams: SseClient[] = [];

beforeAll(async () => {
  await requireRedis();
  await requirePostgres();
  first = await startApp(env, { watchLocales: false });
  second = await startApp(env, { watchLocales: false });
});

afterAll(async () => {
  for (const stream of streams) stream.close();
  await second?.stop();
  await first?.stop();
  await removeTestPlace(name, `test:${name}`);
});

async function openStream(app: RunningApp, conversationId: string): Promise<SseClient> {
  const stream = await SseClient.open(`${app.url}/api/webchat/events?conversationId=${encodeURIComponent(conversationId)}`);
  streams.push(stream);
  // The stream is live once the server's first comment arrived.
  await eventually(() => expect(stream.comments).toContain('connected'));
  return stream;
}

async function post(app: RunningApp, conversationId: string, text: string): Promise<{ text: string; locale: string }[]> {
  const response = await fetch(`${app.url}/api/webchat/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ conversationId, text, locale: 'en' }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { replies: { text: string; locale: string }[] }).replies;
}

const staffReply = (text: string) => ({
  author: 'staff' as const,
  authorName: 'Ana',
  replies: [{ text, locale: 'en' as const }],
});

describe('GET /api/webchat/events', () => {
  it('refuses a stream without a valid conversation id with a 400 and a reason', async () => {
    const missing = await fetch(`${first.url}/api/webchat/events`);
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({ error: 'invalid_request', reason: 'conversationId: is required' });
    const bad = await fetch(`${first.url}/api/webchat/events?conversationId=${encodeURIComponent('a b/c')}`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { reason: string }).reason).toMatch(/^conversationId: may contain only/);
  });

  it('streams a staff reply to the patient page, labelled with the staff name, and only to that conversation', async () => {
    const conversationId = `web-${randomUUID()}`;
    const stream = await openStream(first, conversationId);
    expect(stream.response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const other = await openStream(first, `web-${randomUUID()}`);

    await first.runtime.outbound.send({ channel: 'webchat', conversationId }, staffReply('Hello, this is Ana from the clinic.'));

    const [event] = await eventually(() => {
      expect(stream.events).toHaveLength(1);
      return stream.events;
    });
    expect(event?.event).toBe('outbound');
    expect(JSON.parse(event?.data ?? '')).toEqual({
      author: 'staff',
      authorName: 'Ana',
      replies: [{ text: 'Hello, this is Ana from the clinic.', locale: 'en', dir: 'ltr' }],
    });
    expect(other.events).toEqual([]);
  });

  it('receives what another process of the app sends (Redis pub/sub)', async () => {
    const conversationId = `web-${randomUUID()}`;
    const stream = await openStream(first, conversationId);
    await second.runtime.outbound.send({ channel: 'webchat', conversationId }, staffReply('Sent from the other process.'));
    await eventually(() => expect(stream.events.map((e) => JSON.parse(e.data) as { replies: { text: string }[] })[0]?.replies[0]?.text).toBe('Sent from the other process.'));
  });

  it('a whole handoff over HTTP: escalate, claim, staff reply on the stream, hand back, the bot answers again', async () => {
    const conversationId = `web-${randomUUID()}`;
    const stream = await openStream(first, conversationId);
    const ack = await post(first, conversationId, 'I need to talk to a person');
    expect(ack[0]?.text).toMatch(/passed your conversation to our staff/);

    await second.runtime.conversationControl.staffClaimed({ channel: 'webchat', conversationId }, noStaffChange);
    expect(await post(first, conversationId, 'hello? anyone?')).toEqual([]);
    await second.runtime.outbound.send({ channel: 'webchat', conversationId }, staffReply('Hi, I can help you now.'));
    await eventually(() => expect(stream.events).toHaveLength(1));

    await second.runtime.conversationControl.staffResolved({ channel: 'webchat', conversationId }, noStaffChange);
    // Handed back: idle, with nothing of the escalation or the task left in the context.
    const stored = await first.runtime.hotStore.getConversation(`webchat:${conversationId}`);
    expect(stored?.snapshot).toMatchObject({
      value: 'idle',
      context: { escalation: null, pendingAction: null, serviceId: null, offeredSlots: [], consecutiveFailures: 0 },
    });
    const afterHandBack = await post(first, conversationId, 'What services do you offer?');
    expect(afterHandBack.length).toBeGreaterThan(0);
    expect(afterHandBack[0]?.text).not.toMatch(/staff/);
    // Only the staff reply came over the stream: the hand-back itself says nothing to the patient.
    expect(stream.events).toHaveLength(1);
  });

  it('ends open streams when the server stops, so shutdown is not held up', async () => {
    const own = await startApp(env, { watchLocales: false });
    const stream = await SseClient.open(`${own.url}/api/webchat/events?conversationId=web-${randomUUID()}`);
    streams.push(stream);
    await eventually(() => expect(stream.comments).toContain('connected'));
    await own.stop();
    await eventually(() => expect(stream.isEnded).toBe(true));
  });
});

interface StaffRepliesBody {
  replies: { text: string; locale: string; dir: string; authorName?: string; at: string }[];
}

async function staffReplies(app: RunningApp, conversationId: string, after: string): Promise<StaffRepliesBody> {
  const query = new URLSearchParams({ conversationId, after });
  const response = await fetch(`${app.url}/api/webchat/staff-replies?${query}`);
  expect(response.status).toBe(200);
  return (await response.json()) as StaffRepliesBody;
}

/** The real desk over the app's records, as the staff console's routes use it. */
function deskOf(app: RunningApp): StaffDesk {
  return createStaffDesk({
    records: app.runtime.records,
    liveEvents: app.runtime.liveEvents,
    outbox: app.runtime.outbound,
    conversationControl: app.runtime.conversationControl,
    defaultLocale: 'en',
    now: () => new Date(),
  });
}

async function staffMember(app: RunningApp): Promise<StaffMember> {
  const created = await app.runtime.records.staff.create({
    email: `ana-${randomUUID()}@clinic.test`,
    displayName: 'Ana',
    role: 'staff',
    passwordHash: 'not-a-real-hash',
  });
  if (created.outcome !== 'created') throw new Error('could not create the staff member');
  return created.user;
}

/** A patient who asked for a person, claimed by `staff`; returns the escalation id. */
async function claimedEscalation(desk: StaffDesk, staff: StaffMember, conversationId: string): Promise<string> {
  await post(first, conversationId, 'I need to talk to a person');
  const escalation = (await first.runtime.records.escalations.listActive()).find((e) => e.conversationId === conversationId);
  if (!escalation) throw new Error('no escalation was opened');
  expect(await desk.claim(escalation.id, staff)).toMatchObject({ ok: true });
  return escalation.id;
}

async function deskReply(desk: StaffDesk, escalationId: string, staff: StaffMember, text: string): Promise<string> {
  const result = await desk.reply(escalationId, staff, text);
  if (!result.ok) throw new Error(`reply refused: ${result.refusal}`);
  // Distinct times, so `after` can fall between two replies.
  await sleep(5);
  return result.value.at.toISOString();
}

describe('GET /api/webchat/staff-replies', () => {
  it('returns staff replies sent while no stream was open, oldest first, only those after `after`', async () => {
    const desk = deskOf(second);
    const staff = await staffMember(first);
    const conversationId = `web-${randomUUID()}`;
    const escalationId = await claimedEscalation(desk, staff, conversationId);
    const firstAt = await deskReply(desk, escalationId, staff, 'Hello, this is Ana.');
    const secondAt = await deskReply(desk, escalationId, staff, 'Are you still there?');

    expect(await staffReplies(first, conversationId, '1970-01-01T00:00:00.000Z')).toEqual({
      replies: [
        { text: 'Hello, this is Ana.', locale: 'en', dir: 'ltr', authorName: 'Ana', at: firstAt },
        { text: 'Are you still there?', locale: 'en', dir: 'ltr', authorName: 'Ana', at: secondAt },
      ],
    });
    expect((await staffReplies(first, conversationId, firstAt)).replies.map((r) => r.text)).toEqual(['Are you still there?']);
    expect(await staffReplies(first, conversationId, secondAt)).toEqual({ replies: [] });
    expect(await staffReplies(first, `web-${randomUUID()}`, '1970-01-01T00:00:00Z')).toEqual({ replies: [] });

    // Live, the same reply carries the same time, which is how the page shows it once.
    const stream = await openStream(first, conversationId);
    const thirdAt = await deskReply(desk, escalationId, staff, 'I have booked you for Monday.');
    await eventually(() => expect(stream.events).toHaveLength(1));
    expect(JSON.parse(stream.events[0]?.data ?? '')).toMatchObject({ author: 'staff', authorName: 'Ana', at: thirdAt });
    expect((await staffReplies(first, conversationId, secondAt)).replies).toEqual([
      { text: 'I have booked you for Monday.', locale: 'en', dir: 'ltr', authorName: 'Ana', at: thirdAt },
    ]);
  });

  it('refuses a bad conversation id or a bad or missing `after` with a 400 naming the field', async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ after: '2026-03-02T10:00:00Z' }, /^conversationId: is required$/],
      [{ conversationId: 'a b/c', after: '2026-03-02T10:00:00Z' }, /^conversationId: may contain only/],
      [{ conversationId: 'web-abc' }, /^after: is required$/],
      [{ conversationId: 'web-abc', after: 'yesterday' }, /^after: must be an ISO 8601 time/],
    ];
    for (const [params, reason] of cases) {
      const response = await fetch(`${first.url}/api/webchat/staff-replies?${new URLSearchParams(params)}`);
      expect(response.status).toBe(400);
      const body = (await response.json()) as { error: string; reason: string };
      expect(body.error).toBe('invalid_request');
      expect(body.reason).toMatch(reason);
    }
  });
});
