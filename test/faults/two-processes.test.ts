/**
 * Two real app processes on the shared Redis and PostgreSQL (own key prefix and schema), as a
 * load balancer would use them: races on one conversation, concurrent escalations, and a
 * kill -9 of one process under load with every unanswered message retried on the other. Each
 * test checks the invariant: every message is answered exactly once, and what the patient was
 * told is what the database holds (the answer, the transcript, the appointments, the
 * escalations).
 *
 * FAULT_CONVERSATIONS scales the kill -9 scenario (default 40; `npm run test:faults` runs 200).
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppProcess, type AppProcess } from '../support/app-process.js';
import { DATABASE_URL, REDIS_URL, requirePostgres, requireRedis, uniqueName } from '../support/services.js';
import { apologyTexts, isApology, postMessage, type PostedMessage, type WebchatReply } from '../support/webchat-client.js';

const CONVERSATIONS = Number(process.env.FAULT_CONVERSATIONS ?? 40);

const schema = uniqueName('faults');
const prefix = `test:${schema}`;
const env: NodeJS.ProcessEnv = {
  REDIS_URL,
  DATABASE_URL,
  DATABASE_SCHEMA: schema,
  REDIS_KEY_PREFIX: prefix,
  APP_ENV: 'test',
  // A dead process's turn locks lapse within a second and a half.
  TURN_LOCK_LEASE_MS: '1500',
  TURN_TIMEOUT_MS: '20000',
  RATE_LIMIT_MAX: '10000',
  RATE_LIMIT_ADDRESS_MAX: '100000',
  DATABASE_POOL_SIZE: '20',
};

let first: AppProcess;
let second: AppProcess;
let db: pg.Pool;
let apologies: Set<string>;

beforeAll(async () => {
  await requireRedis();
  await requirePostgres();
  apologies = await apologyTexts();
  first = await startAppProcess(env);
  second = await startAppProcess(env);
  db = new pg.Pool({ connectionString: DATABASE_URL, options: `-c search_path=${schema}` });
}, 120_000);

afterAll(async () => {
  await Promise.all([first?.stop(), second?.stop()]);
  await db?.query(`drop schema if exists ${schema} cascade`);
  await db?.end();
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

/** How many posts got no answer (a dropped connection) or an apology, and were sent again. */
const retried = { network: 0, apology: 0 };

/** Posts until answered (not an apology, not a dropped connection), trying the live processes in turn. */
async function answered(message: PostedMessage, processes: () => AppProcess[]): Promise<WebchatReply[]> {
  for (let attempt = 0; attempt < 60; attempt += 1) {
    const alive = processes();
    const target = alive[attempt % alive.length];
    if (!target) throw new Error('no process left');
    const result = await postMessage(target.url, message);
    if (result.kind === 'replies' && !isApology(result.replies, apologies)) return result.replies;
    if (result.kind === 'network') retried.network += 1;
    else retried.apology += 1;
    await sleep(100);
  }
  throw new Error(`"${message.text}" (${message.messageId}) was never answered`);
}

function message(conversationId: string, text: string, locale = 'en'): PostedMessage {
  return { conversationId, text, messageId: `m-${randomUUID()}`, locale };
}

async function inboxReplies(conversationId: string): Promise<Map<string, WebchatReply[]>> {
  const rows = (await db.query<{ message_id: string; replies: WebchatReply[] }>(
    `select message_id, replies from inbox where channel = 'webchat' and conversation_id = $1`,
    [conversationId],
  )).rows;
  return new Map(rows.map((row) => [row.message_id, row.replies]));
}

async function appointmentsOf(conversationId: string): Promise<number> {
  const rows = (await db.query<{ n: string }>(
    `select count(*) as n from appointments a
       join patient_identities i on i.patient_id = a.patient_id
      where i.channel = 'webchat' and i.external_id = $1 and a.status = 'booked'`,
    [conversationId],
  )).rows;
  return Number(rows[0]?.n ?? 0);
}

const BOOKED = /^Done! You're booked/;

/** What the patient was told and what the database holds agree, message by message. */
async function expectToldMatchesCommitted(conversationId: string, told: Map<string, WebchatReply[]>): Promise<void> {
  const inbox = await inboxReplies(conversationId);
  expect([...inbox.keys()].sort()).toEqual([...told.keys()].sort());
  for (const [messageId, replies] of told) {
    expect(inbox.get(messageId)?.map((r) => r.text), messageId).toEqual(replies.map((r) => r.text));
  }
  const transcript = (await db.query<{ message_id: string | null; author: string }>(
    `select message_id, author from messages where channel = 'webchat' and conversation_id = $1`,
    [conversationId],
  )).rows;
  const patientLines = transcript.filter((row) => row.author === 'patient').map((row) => row.message_id).sort();
  expect(patientLines).toEqual([...told.keys()].sort());
  const botLines = transcript.filter((row) => row.author === 'bot').length;
  expect(botLines).toBe([...told.values()].reduce((sum, replies) => sum + replies.length, 0));
  const bookedTold = [...told.values()].filter((replies) => replies.some((r) => BOOKED.test(r.text))).length;
  expect(await appointmentsOf(conversationId)).toBe(bookedTold);
}

describe('two processes on one Redis and PostgreSQL', () => {
  it('a double-tapped "yes" on both processes books once, and the patient is told exactly that', async () => {
    for (let round = 0; round < 4; round += 1) {
      const conversationId = `race-${randomUUID()}`;
      const told = new Map<string, WebchatReply[]>();
      const say = async (text: string, via: AppProcess) => {
        const posted = message(conversationId, text);
        told.set(posted.messageId, await answered(posted, () => [via]));
        return told.get(posted.messageId) ?? [];
      };
      await say('I want to book a cleaning', first);
      await say('1', second);
      const [a, b] = [message(conversationId, 'yes'), message(conversationId, 'yes')];
      const [repliesA, repliesB] = await Promise.all([answered(a, () => [first]), answered(b, () => [second])]);
      told.set(a.messageId, repliesA);
      told.set(b.messageId, repliesB);
      const booked = [repliesA, repliesB].filter((replies) => replies.some((r) => BOOKED.test(r.text)));
      expect(booked).toHaveLength(1);
      // The second "yes" meets the booked conversation, never "someone else took it".
      expect([...repliesA, ...repliesB].some((r) => /someone else has just booked/.test(r.text))).toBe(false);
      await expectToldMatchesCommitted(conversationId, told);
    }
  });

  it('the same message delivered to both processes at once is answered once, the same way', async () => {
    for (let round = 0; round < 4; round += 1) {
      const conversationId = `twice-${randomUUID()}`;
      const posted = message(conversationId, 'I want to book a filling');
      const [one, two] = await Promise.all([answered(posted, () => [first]), answered(posted, () => [second])]);
      expect(two).toEqual(one);
      expect(one[0]?.options?.length).toBeGreaterThan(0);
      await expectToldMatchesCommitted(conversationId, new Map([[posted.messageId, one]]));
    }
  });

  it('"a person" and an emergency at once on the two processes leave one escalation, at the higher urgency', async () => {
    for (let round = 0; round < 4; round += 1) {
      const conversationId = `esc-${randomUUID()}`;
      const person = message(conversationId, 'I want to talk to a person');
      const emergency = message(conversationId, 'I have severe chest pain');
      const [toPerson, toEmergency] = await Promise.all([answered(person, () => [first]), answered(emergency, () => [second])]);
      const active = (await db.query<{ urgency: string }>(
        `select urgency from escalations where channel = 'webchat' and conversation_id = $1 and status <> 'resolved'`,
        [conversationId],
      )).rows;
      expect(active).toEqual([{ urgency: 'urgent' }]);
      // The patient heard the emergency number whichever came first.
      expect(toEmergency.some((r) => /112/.test(r.text))).toBe(true);
      await expectToldMatchesCommitted(conversationId, new Map([[person.messageId, toPerson], [emergency.messageId, toEmergency]]));
    }
  });

  it(`kill -9 of one process under ${CONVERSATIONS} conversations: every message retried elsewhere is answered once`, async () => {
    const script = ['I want to book a cleaning', '1', 'yes', 'what are my appointments'];
    const processes = [first, second];
    let killed = false;
    const alive = () => processes.filter((p) => !(killed && p === first));
    const conversations = Array.from({ length: CONVERSATIONS }, () => ({ id: `kill-${randomUUID()}`, told: new Map<string, WebchatReply[]>() }));
    let sent = 0;
    const killAt = Math.floor((CONVERSATIONS * script.length) / 3);
    const run = conversations.map(async (conversation, index) => {
      await sleep(index * 5);
      for (const text of script) {
        const posted = message(conversation.id, text);
        sent += 1;
        if (!killed && sent >= killAt) {
          killed = true;
          first.kill('SIGKILL');
        }
        conversation.told.set(posted.messageId, await answered(posted, alive));
      }
    });
    retried.network = 0;
    await Promise.all(run);
    expect(killed).toBe(true);
    // Turns were in flight in the killed process: their posts got no answer and were sent again.
    expect(retried.network).toBeGreaterThan(0);
    expect(await first.exited).toBeNull();
    for (const conversation of conversations) await expectToldMatchesCommitted(conversation.id, conversation.told);
    // Someone booked: the scenario exercised confirmations, not only questions.
    const bookings = await Promise.all(conversations.map((c) => appointmentsOf(c.id)));
    expect(bookings.reduce((sum, n) => sum + n, 0)).toBeGreaterThan(0);
  }, 240_000);
});
