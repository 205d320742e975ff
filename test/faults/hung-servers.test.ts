/**
 * Redis and PostgreSQL that hang rather than refuse: private servers frozen with SIGSTOP under a
 * real app process. A request must end within bounds with an apology in the conversation's
 * language, /readyz must say 503 within 2 s without naming hosts, nothing must commit late, and
 * once the server is back the same message is answered.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppProcess, type AppProcess } from '../support/app-process.js';
import { startPrivatePostgres, startPrivateRedis, type PrivateServer } from '../support/private-servers.js';
import { apologyTexts, isApology, postMessage, type PostedMessage, type WebchatReply } from '../support/webchat-client.js';

let redis: PrivateServer;
let postgres: PrivateServer;
let app: AppProcess;
let apologies: Set<string>;

/** A bound on how long a request may take while a server hangs: the turn limit plus the apology's wait. */
const TURN_TIMEOUT_MS = 3_000;
const BOUND_MS = TURN_TIMEOUT_MS + 4_000;

beforeAll(async () => {
  apologies = await apologyTexts();
  [redis, postgres] = await Promise.all([startPrivateRedis(), startPrivatePostgres()]);
  app = await startAppProcess({
    REDIS_URL: redis.url,
    DATABASE_URL: postgres.url,
    APP_ENV: 'test',
    TURN_TIMEOUT_MS: String(TURN_TIMEOUT_MS),
    TURN_LOCK_LEASE_MS: '2000',
    REDIS_COMMAND_TIMEOUT_MS: '500',
    DATABASE_QUERY_TIMEOUT_MS: '1000',
    DATABASE_CONNECT_TIMEOUT_MS: '1000',
    DATABASE_POOL_WAIT_MS: '1000',
  });
}, 120_000);

afterAll(async () => {
  redis?.thaw();
  postgres?.thaw();
  await app?.stop();
  await Promise.all([redis?.stop(), postgres?.stop()]);
});

function message(conversationId: string, text: string): PostedMessage {
  return { conversationId, text, messageId: `m-${randomUUID()}` };
}

async function replies(posted: PostedMessage): Promise<WebchatReply[]> {
  const result = await postMessage(app.url, posted, BOUND_MS);
  if (result.kind !== 'replies') throw new Error(`no replies within ${BOUND_MS} ms: ${JSON.stringify(result)}`);
  return result.replies;
}

async function readiness(): Promise<{ status: number; body: { status: string; checks: Record<string, string> }; text: string }> {
  // /readyz must answer within 2 s whatever hangs; the abort makes a slower answer a failure.
  const response = await fetch(`${app.url}/readyz`, { signal: AbortSignal.timeout(2_000) });
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text) as { status: string; checks: Record<string, string> }, text };
}

async function appointments(): Promise<number> {
  const client = new pg.Client({ connectionString: postgres.url });
  await client.connect();
  try {
    const rows = (await client.query<{ n: string }>("select count(*) as n from appointments where status = 'booked'")).rows;
    return Number(rows[0]?.n ?? 0);
  } finally {
    await client.end();
  }
}

describe('a hung Redis', () => {
  it('gets the patient a Spanish apology, /readyz a 503 naming nothing, and the same message is answered once Redis is back', async () => {
    const conversationId = `redis-${randomUUID()}`;
    expect((await replies(message(conversationId, 'Hola, quiero reservar una limpieza')))[0]?.locale).toBe('es');
    redis.freeze();
    try {
      const choice = message(conversationId, '1');
      const apology = await replies(choice);
      expect(isApology(apology, apologies)).toBe(true);
      // "1" says nothing about its language: the conversation's is used.
      expect(apology[0]?.locale).toBe('es');

      const ready = await readiness();
      expect(ready.status).toBe(503);
      expect(ready.body.checks.hotStore).toMatch(/^(timeout|failed)$/);
      expect(ready.body.checks.database).toBe('ok');
      expect(ready.text).not.toMatch(/127\.0\.0\.1|redis:\/\/|\d{4,5}/);

      redis.thaw();
      await sleep(300);
      const answer = await replies(choice);
      expect(isApology(answer, apologies)).toBe(false);
      expect(answer[0]?.text).toMatch(/^¿Le reservo una cita/);
    } finally {
      redis.thaw();
    }
    expect((await readiness()).status).toBe(200);
  });
});

describe('a hung PostgreSQL', () => {
  it('answers a confirmation with an apology, commits nothing late, and books once when the patient tries again', async () => {
    const conversationId = `pg-${randomUUID()}`;
    await replies(message(conversationId, 'Quiero reservar una limpieza'));
    await replies(message(conversationId, '1'));
    const before = await appointments();
    postgres.freeze();
    const yes = message(conversationId, 'sí');
    try {
      const apology = await replies(yes);
      expect(isApology(apology, apologies), JSON.stringify(apology)).toBe(true);
      expect(apology[0]?.locale).toBe('es');

      const ready = await readiness();
      expect(ready.status).toBe(503);
      expect(ready.body.checks.database).toMatch(/^(timeout|failed)$/);
      expect(ready.text).not.toMatch(/127\.0\.0\.1|postgres:\/\/|\d{4,5}/);
    } finally {
      postgres.thaw();
    }
    // Whatever the frozen server still had in its sockets ran now: none of it may have committed.
    await sleep(1_500);
    expect(await appointments()).toBe(before);

    const booked = await replies(yes);
    expect(booked[0]?.text).toMatch(/^¡Listo!/);
    expect(await appointments()).toBe(before + 1);
    // A redelivery after that gets the same answer and books nothing more.
    expect(await replies(yes)).toEqual(booked);
    expect(await appointments()).toBe(before + 1);
  });

  it('a database frozen in the middle of a commit lets nothing through once its deadline has passed', async () => {
    // Frozen while the turn is between its first write and its commit: the turn gives up and
    // apologizes only once its deadline has passed, and the database refuses the late commit.
    const conversationId = `pg-mid-${randomUUID()}`;
    await replies(message(conversationId, 'Quiero reservar una limpieza'));
    await replies(message(conversationId, '1'));
    const before = await appointments();
    const yes = message(conversationId, 'sí');
    const pending = replies(yes);
    await sleep(5);
    postgres.freeze();
    let outcome: WebchatReply[];
    try {
      outcome = await pending;
    } finally {
      await sleep(TURN_TIMEOUT_MS);
      postgres.thaw();
    }
    await sleep(1_500);
    const booked = (await appointments()) - before;
    // Either the booking committed before the freeze and the patient was told so, or neither.
    expect(booked).toBe(outcome.some((r) => /^¡Listo!/.test(r.text)) ? 1 : 0);
    if (booked === 0) expect(isApology(outcome, apologies)).toBe(true);
  });
});
