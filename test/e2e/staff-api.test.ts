/**
 * The staff console's HTTP API on the running app (startApp), over real HTTP, against the
 * real PostgreSQL and Redis; the cookie is Secure outside development; a second app in
 * development mode on the embedded defaults checks it is not. Nothing of ours is mocked.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app.js';
import { conversationKeyString } from '../../src/core/messages.js';
import type { LiveEvent } from '../../src/core/ports/live-events.js';
import type { Records, StaffRole, StaffUser } from '../../src/core/ports/records.js';
import { hashPassword } from '../../src/staff/passwords.js';
import { DATABASE_URL, REDIS_URL, requirePostgres, requireRedis, uniqueName } from '../support/services.js';

type Access = 'public' | 'staff' | 'admin';

/** Every route under /staff/api/ and who may call it. A route missing here fails the test. */
const ROUTE_ACCESS: Record<string, Access> = {
  'POST /staff/api/session': 'public',
  'GET /staff/api/session': 'staff',
  'DELETE /staff/api/session': 'staff',
  'GET /staff/api/events': 'staff',
  'GET /staff/api/escalations': 'staff',
  'GET /staff/api/escalations/:id': 'staff',
  'POST /staff/api/escalations/:id/claim': 'staff',
  'POST /staff/api/escalations/:id/reply': 'staff',
  'POST /staff/api/escalations/:id/resolve': 'staff',
  'GET /staff/api/users': 'admin',
  'POST /staff/api/users': 'admin',
  'PATCH /staff/api/users/:id': 'admin',
  'GET /staff/api/appointments': 'staff',
  'POST /staff/api/appointments/:id/no-show': 'staff',
  'GET /staff/api/reminders/summary': 'staff',
  'GET /staff/api/whatsapp': 'admin',
  'GET /staff/api/whatsapp/events': 'admin',
  'POST /staff/api/whatsapp/link': 'admin',
  'POST /staff/api/whatsapp/pairing-code': 'admin',
  'POST /staff/api/whatsapp/unlink': 'admin',
};

const PASSWORD = 'correct horse battery staple';
const SESSION_HOURS = 12;

interface ErrorBody {
  error: string;
  reason: string;
}

let app: RunningApp;
let records: Records;
let clockOffsetMs = 0;
const schema = uniqueName('staff_api');
const redisPrefix = uniqueName('staff_api');
let dataDir: string;
const users: Record<'ana' | 'bo' | 'cy' | 'dee', StaffUser> = {} as Record<'ana' | 'bo' | 'cy' | 'dee', StaffUser>;

async function addUser(target: Records, name: string, role: StaffRole, disabled = false): Promise<StaffUser> {
  const created = await target.staff.create({
    email: `${name.toLowerCase()}-${randomUUID().slice(0, 8)}@clinic.example`,
    displayName: name,
    role,
    passwordHash: await hashPassword(PASSWORD),
  });
  if (created.outcome !== 'created') throw new Error(`could not create ${name}`);
  if (!disabled) return created.user;
  const updated = await target.staff.update(created.user.id, { disabled: true });
  if (updated.outcome !== 'updated') throw new Error(`could not disable ${name}`);
  return updated.user;
}

beforeAll(async () => {
  await Promise.all([requireRedis(), requirePostgres()]);
  dataDir = await mkdtemp(join(tmpdir(), 'staff-api-'));
  app = await startApp(
    {
      ...process.env,
      APP_ENV: 'test',
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      REDIS_URL,
      REDIS_KEY_PREFIX: redisPrefix,
      DATABASE_URL,
      DATABASE_SCHEMA: schema,
      STAFF_SESSION_HOURS: String(SESSION_HOURS),
      LOG_LEVEL: 'warn',
      OPENAI_API_KEY: '',
      OPENAI_BASE_URL: '',
    },
    { watchLocales: false, now: () => new Date(Date.now() + clockOffsetMs) },
  );
  records = app.runtime.records;
  users.ana = await addUser(records, 'Ana', 'admin');
  users.bo = await addUser(records, 'Bo', 'staff');
  users.cy = await addUser(records, 'Cy', 'staff');
  users.dee = await addUser(records, 'Dee', 'staff', true);
});

afterAll(async () => {
  await app?.stop();
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  await client.query(`drop schema if exists "${schema}" cascade`);
  await client.end();
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${redisPrefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

function url(path: string, base = app.url): string {
  return new URL(path, base).toString();
}

interface CallOptions {
  cookie?: string;
  body?: unknown;
  /** Default: application/json whenever there is a body. */
  contentType?: string | null;
  base?: string;
}

async function call(method: string, path: string, options: CallOptions = {}): Promise<Response> {
  const headers: Record<string, string> = {};
  if (options.cookie) headers.cookie = options.cookie;
  const contentType = options.contentType === undefined ? (options.body === undefined ? null : 'application/json') : options.contentType;
  if (contentType) headers['content-type'] = contentType;
  const body = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  return fetch(url(path, options.base), { method, headers, body });
}

async function json<T>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

/** Signs in and returns the `name=value` part of the session cookie. */
async function signIn(user: StaffUser, base?: string): Promise<string> {
  const response = await call('POST', '/staff/api/session', { body: { email: user.email, password: PASSWORD }, ...(base ? { base } : {}) });
  expect(response.status).toBe(200);
  const cookie = response.headers.getSetCookie()[0] ?? '';
  return cookie.split(';')[0] ?? '';
}

/** Routes as Fastify knows them (its printRoutes tree), "METHOD /path", HEAD left out. */
function registeredRoutes(tree: string): string[] {
  const stack: string[] = [];
  const routes: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^([│ ├└─]*?)[├└]── (\S+)(?: \(([^)]*)\))?/.exec(line);
    if (!match) continue;
    const depth = (match[1] ?? '').length / 4;
    const path = `${stack[depth - 1] ?? ''}${match[2]}`;
    stack[depth] = path;
    stack.length = depth + 1;
    for (const method of (match[3] ?? '').split(',').map((m) => m.trim()).filter((m) => m && m !== 'HEAD')) {
      routes.push(`${method} ${path}`);
    }
  }
  return routes;
}

function concretePath(route: string): { method: string; path: string } {
  const [method = '', pattern = ''] = route.split(' ');
  return { method, path: pattern.replace(':id', randomUUID()) };
}

/** A patient on the web chat asks for a person; returns the escalation the bot opened. */
async function patientAsksForAPerson(): Promise<{ conversationId: string; escalationId: string; patientId: string }> {
  const conversationId = `staff-e2e-${randomUUID()}`;
  const response = await call('POST', '/api/webchat/messages', { body: { conversationId, text: 'I want to talk to a person' } });
  expect(response.status).toBe(200);
  const escalation = await records.escalations.findOpenForConversation('webchat', conversationId);
  if (!escalation) throw new Error('the bot did not escalate');
  return { conversationId, escalationId: escalation.id, patientId: escalation.patientId };
}

type EventData = Record<string, unknown>;

interface EventStream {
  /** The first not yet taken event of this type (and matching), waiting for it if needed. */
  next(type: string, matches?: (data: EventData) => boolean): Promise<EventData>;
  seen(type: string): EventData[];
  /** Resolves when the server ends the stream. */
  ended(): Promise<void>;
  close(): void;
}

/** A Server-Sent Events client over fetch; resolves once the server has sent its first bytes. */
async function openEventStream(href: string, options: { cookie?: string }): Promise<EventStream> {
  const controller = new AbortController();
  const response = await fetch(href, { headers: options.cookie ? { cookie: options.cookie } : {}, signal: controller.signal });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const body = response.body;
  if (!body) throw new Error('no stream body');
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const events: { type: string; data: EventData; taken: boolean }[] = [];
  const listeners = new Set<() => void>();
  let buffer = '';
  let finished = false;
  const notify = (): void => listeners.forEach((listener) => listener());

  function parse(frame: string): void {
    let type = 'message';
    const data: string[] = [];
    for (const line of frame.split('\n')) {
      if (line.startsWith('event: ')) type = line.slice(7);
      else if (line.startsWith('data: ')) data.push(line.slice(6));
    }
    if (data.length > 0) events.push({ type, data: JSON.parse(data.join('\n')) as EventData, taken: false });
  }

  let firstBytes!: () => void;
  const started = new Promise<void>((resolve) => (firstBytes = resolve));
  void (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          parse(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
        firstBytes();
        notify();
      }
    } catch {
      // Aborted by close(): the stream is over either way.
    }
    finished = true;
    firstBytes();
    notify();
  })();
  await started;

  function waitFor<T>(check: () => T | undefined, what: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        listeners.delete(listener);
        reject(new Error(`timed out waiting for ${what}`));
      }, 10_000);
      const listener = (): void => {
        const found = check();
        if (found === undefined) return;
        clearTimeout(timer);
        listeners.delete(listener);
        resolve(found);
      };
      listeners.add(listener);
      listener();
    });
  }

  return {
    next(type, matches = () => true) {
      return waitFor(() => {
        const event = events.find((candidate) => !candidate.taken && candidate.type === type && matches(candidate.data));
        if (!event) return undefined;
        event.taken = true;
        return event.data;
      }, `a ${type} event`);
    },
    seen: (type) => events.filter((event) => event.type === type).map((event) => event.data),
    ended: () => waitFor(() => (finished ? true : undefined), 'the end of the stream').then(() => undefined),
    close: () => controller.abort(),
  };
}

describe('every console route checks the session and the role', () => {
  const routes = (): string[] => registeredRoutes(app.server.printRoutes({ commonPrefix: false })).filter((route) => route.includes(' /staff/api/'));

  it('the table above lists exactly the routes the app registered under /staff/api/', () => {
    expect(routes().sort()).toEqual(Object.keys(ROUTE_ACCESS).sort());
  });

  it('refuses every non-public route without a session, or with a made-up one (401)', async () => {
    const guarded = routes().filter((route) => ROUTE_ACCESS[route] !== 'public');
    expect(guarded.length).toBeGreaterThan(0);
    for (const route of guarded) {
      const { method, path } = concretePath(route);
      const body = method === 'GET' || method === 'DELETE' ? undefined : {};
      for (const cookie of [undefined, `cab_staff=${'x'.repeat(43)}`]) {
        const response = await call(method, path, { body, ...(cookie ? { cookie } : {}) });
        expect(response.status, `${route} with ${cookie ?? 'no cookie'}`).toBe(401);
        expect((await json<ErrorBody>(response)).error).toBe('unauthorized');
      }
    }
  });

  it('refuses every admin route to the staff role (403) and lets an admin through', async () => {
    const staffCookie = await signIn(users.bo);
    const adminCookie = await signIn(users.ana);
    const adminOnly = routes().filter((route) => ROUTE_ACCESS[route] === 'admin');
    expect(adminOnly.length).toBeGreaterThan(0);
    for (const route of adminOnly) {
      const { method, path } = concretePath(route);
      const body = method === 'GET' ? undefined : {};
      const refused = await call(method, path, { cookie: staffCookie, body });
      expect(refused.status, route).toBe(403);
      expect((await json<ErrorBody>(refused)).error).toBe('forbidden');
      const admitted = await call(method, path, { cookie: adminCookie, body });
      expect([200, 400, 404], route).toContain(admitted.status);
    }
  });
});

describe('signing in and out', () => {
  it('sets an httpOnly, SameSite=Strict, Secure cookie for /staff outside development, and GET session answers the user', async () => {
    const response = await call('POST', '/staff/api/session', { body: { email: `  ${users.bo.email.toUpperCase()} `, password: PASSWORD } });
    expect(response.status).toBe(200);
    expect(await json(response)).toEqual({ user: { id: users.bo.id, email: users.bo.email, displayName: 'Bo', role: 'staff' } });
    const setCookie = response.headers.getSetCookie();
    expect(setCookie).toHaveLength(1);
    const attributes = (setCookie[0] ?? '').split(';').map((part) => part.trim().toLowerCase());
    expect(attributes[0]).toMatch(/^cab_staff=[a-z0-9_-]{43}$/);
    expect(attributes).toContain('httponly');
    expect(attributes).toContain('samesite=strict');
    expect(attributes).toContain('path=/staff');
    expect(attributes).toContain(`max-age=${SESSION_HOURS * 3600}`);
    expect(attributes).toContain('secure');

    const cookie = (setCookie[0] ?? '').split(';')[0] ?? '';
    const session = await call('GET', '/staff/api/session', { cookie });
    expect(session.status).toBe(200);
    expect(await json(session)).toMatchObject({ user: { id: users.bo.id, role: 'staff' } });
  });

  it('stores only a hash of the token', async () => {
    const cookie = await signIn(users.cy);
    const token = cookie.split('=')[1] ?? '';
    const client = new pg.Client({ connectionString: DATABASE_URL });
    await client.connect();
    try {
      const { rows } = await client.query<{ token_hash: string }>(`select token_hash from "${schema}".staff_sessions`);
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.some((row) => row.token_hash.includes(token))).toBe(false);
    } finally {
      await client.end();
    }
  });

  it('signs out: the cookie is cleared and the old token no longer works', async () => {
    const cookie = await signIn(users.bo);
    const out = await call('DELETE', '/staff/api/session', { cookie });
    expect(out.status).toBe(204);
    expect(out.headers.getSetCookie()[0]).toMatch(/^cab_staff=;.*Max-Age=0|^cab_staff=;.*Expires=Thu, 01 Jan 1970/i);
    expect((await call('GET', '/staff/api/session', { cookie })).status).toBe(401);
  });

  it('answers a wrong password, an unknown email and a disabled user with the same 401', async () => {
    const attempts = [
      { email: users.cy.email, password: 'not the password at all' },
      { email: `nobody-${randomUUID()}@clinic.example`, password: PASSWORD },
      { email: users.dee.email, password: PASSWORD },
    ];
    const bodies: unknown[] = [];
    for (const attempt of attempts) {
      const response = await call('POST', '/staff/api/session', { body: attempt });
      expect(response.status).toBe(401);
      expect(response.headers.getSetCookie()).toEqual([]);
      bodies.push(await response.json());
    }
    expect(bodies[0]).toEqual({ error: 'invalid_credentials', reason: expect.any(String) });
    expect(bodies[1]).toEqual(bodies[0]);
    expect(bodies[2]).toEqual(bodies[0]);
  });

  it('limits sign-in attempts per email and address (429 after 10)', async () => {
    const email = `guess-${randomUUID()}@clinic.example`;
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 11; attempt += 1) {
      statuses.push((await call('POST', '/staff/api/session', { body: { email, password: 'guess guess guess' } })).status);
    }
    expect(statuses.slice(0, 10).every((status) => status === 401)).toBe(true);
    expect(statuses[10]).toBe(429);
    // Another email from the same address is not locked out.
    expect((await call('POST', '/staff/api/session', { body: { email: users.cy.email, password: PASSWORD } })).status).toBe(200);
  });

  it('ends the session when it expires', async () => {
    const cookie = await signIn(users.cy);
    expect((await call('GET', '/staff/api/session', { cookie })).status).toBe(200);
    clockOffsetMs = (SESSION_HOURS * 60 + 1) * 60_000;
    try {
      expect((await call('GET', '/staff/api/session', { cookie })).status).toBe(401);
    } finally {
      clockOffsetMs = 0;
    }
  });

  it('signs a user out everywhere when an admin disables them, and ends their live feed', async () => {
    const victim = await addUser(records, 'Eve', 'staff');
    const cookie = await signIn(victim);
    const stream = await openEventStream(url('/staff/api/events'), { cookie });
    try {
      const adminCookie = await signIn(users.ana);
      const disabled = await call('PATCH', `/staff/api/users/${victim.id}`, { cookie: adminCookie, body: { disabled: true } });
      expect(disabled.status).toBe(200);
      expect(await json(disabled)).toMatchObject({ user: { id: victim.id, disabled: true } });
      await stream.ended();
      expect((await call('GET', '/staff/api/session', { cookie })).status).toBe(401);
      expect((await call('POST', '/staff/api/session', { body: { email: victim.email, password: PASSWORD } })).status).toBe(401);
    } finally {
      stream.close();
    }
  });
});

describe('the desk: queue, view, claim, reply, resolve', () => {
  it('runs a whole hand-off: claim conflict, refusals, a reply the patient sees, and the bot back in idle', async () => {
    const boCookie = await signIn(users.bo);
    const cyCookie = await signIn(users.cy);
    const consoleFeed = await openEventStream(url('/staff/api/events'), { cookie: boCookie });
    const { conversationId, escalationId, patientId } = await patientAsksForAPerson();
    const patientFeed = await openEventStream(url(`/api/webchat/events?conversationId=${conversationId}`), {});
    try {
      // The queue shows it, with the patient's words.
      const queue = await json<{ id: string; status: string; urgency: string; conversationId: string; lastMessage: { text: string } | null; claimedBy: unknown; waitingMinutes: number; patient: { id: string } }[]>(
        await call('GET', '/staff/api/escalations', { cookie: cyCookie }),
      );
      const entry = queue.find((item) => item.id === escalationId);
      expect(entry).toMatchObject({ status: 'open', conversationId, claimedBy: null, lastMessage: { text: 'I want to talk to a person' }, patient: { id: patientId } });
      expect(entry?.waitingMinutes).toBeGreaterThanOrEqual(0);

      // Reading the transcript.
      const view = await call('GET', `/staff/api/escalations/${escalationId}`, { cookie: cyCookie });
      expect(view.status).toBe(200);
      const viewed = await json<{ escalation: { id: string; status: string }; patient: { id: string }; transcript: { author: string; text: string }[] }>(view);
      expect(viewed.escalation).toMatchObject({ id: escalationId, status: 'open' });
      expect(viewed.patient.id).toBe(patientId);
      expect(viewed.transcript[0]).toMatchObject({ author: 'patient', text: 'I want to talk to a person' });
      expect(viewed.transcript.some((line) => line.author === 'bot')).toBe(true);

      // Bo claims; Cy is too late; Cy may neither reply nor resolve.
      const claimed = await call('POST', `/staff/api/escalations/${escalationId}/claim`, { cookie: boCookie, body: {} });
      expect(claimed.status).toBe(200);
      expect(await json(claimed)).toMatchObject({ escalation: { id: escalationId, status: 'claimed', claimedBy: { id: users.bo.id, displayName: 'Bo' } } });
      expect(await consoleFeed.next('escalation.changed', (data) => data.escalationId === escalationId)).toEqual({ escalationId });
      const late = await call('POST', `/staff/api/escalations/${escalationId}/claim`, { cookie: cyCookie, body: {} });
      expect(late.status).toBe(409);
      expect(await json(late)).toEqual({ error: 'already_claimed', reason: expect.stringContaining('Bo') });
      const notMine = await call('POST', `/staff/api/escalations/${escalationId}/reply`, { cookie: cyCookie, body: { text: 'Hi' } });
      expect(notMine.status).toBe(409);
      expect((await json<ErrorBody>(notMine)).error).toBe('not_claimer');
      expect((await call('POST', `/staff/api/escalations/${escalationId}/resolve`, { cookie: cyCookie, body: {} })).status).toBe(409);
      const stored = await app.runtime.hotStore.getConversation(conversationKeyString({ channel: 'webchat', conversationId }));
      expect(stored?.snapshot).toMatchObject({ value: { escalated: 'withStaff' } });

      // Bo replies: the patient's page gets it live, the console sees the line.
      const replied = await call('POST', `/staff/api/escalations/${escalationId}/reply`, { cookie: boCookie, body: { text: 'Hello, this is Bo from the front desk.' } });
      expect(replied.status).toBe(201);
      expect(await json(replied)).toMatchObject({ entry: { author: 'staff', authorName: 'Bo', text: 'Hello, this is Bo from the front desk.', locale: 'en' } });
      expect(await patientFeed.next('outbound')).toMatchObject({ author: 'staff', authorName: 'Bo', replies: [{ text: 'Hello, this is Bo from the front desk.', locale: 'en' }] });
      expect(await consoleFeed.next('conversation.message', (data) => data.conversationId === conversationId && (data.entry as { author: string }).author === 'staff')).toMatchObject({
        channel: 'webchat',
        entry: { author: 'staff', authorName: 'Bo', text: 'Hello, this is Bo from the front desk.' },
      });

      // Bo resolves: the bot is back in idle and answers the next message.
      const resolved = await call('POST', `/staff/api/escalations/${escalationId}/resolve`, { cookie: boCookie, body: {} });
      expect(resolved.status).toBe(200);
      expect(await json(resolved)).toMatchObject({ escalation: { status: 'resolved', claimedBy: { id: users.bo.id } } });
      expect(await consoleFeed.next('escalation.changed', (data) => data.escalationId === escalationId)).toEqual({ escalationId });
      const after = await app.runtime.hotStore.getConversation(conversationKeyString({ channel: 'webchat', conversationId }));
      expect(after?.snapshot).toMatchObject({ value: 'idle' });
      const next = await call('POST', '/api/webchat/messages', { body: { conversationId, text: 'hello' } });
      const answer = await json<{ replies: { text: string }[] }>(next);
      expect(answer.replies.length).toBeGreaterThan(0);
      const queueAfter = await json<{ id: string }[]>(await call('GET', '/staff/api/escalations', { cookie: boCookie }));
      expect(queueAfter.some((item) => item.id === escalationId)).toBe(false);
      expect((await call('POST', `/staff/api/escalations/${escalationId}/reply`, { cookie: boCookie, body: { text: 'late' } })).status).toBe(409);

      // The transcript keeps the staff line; the audit log says who did what to which patient.
      const transcript = await records.transcripts.listForConversation('webchat', conversationId);
      expect(transcript.filter((line) => line.author === 'staff').map((line) => [line.authorName, line.text])).toEqual([['Bo', 'Hello, this is Bo from the front desk.']]);
      const audit = (await records.audit.listForPatient(patientId)).filter((row) => row.actorType === 'staff');
      expect(audit.map((row) => [row.action, row.actorId, row.patientId])).toEqual([
        ['transcript.viewed', users.cy.id, patientId],
        ['escalation.claimed', users.bo.id, patientId],
        ['staff.replied', users.bo.id, patientId],
        ['escalation.resolved', users.bo.id, patientId],
      ]);
      expect(audit.every((row) => row.details.escalationId === escalationId && row.at instanceof Date)).toBe(true);
    } finally {
      consoleFeed.close();
      patientFeed.close();
    }
  });

  it('sorts the queue by urgency, then the longest waiting first', async () => {
    const cookie = await signIn(users.bo);
    const first = await patientAsksForAPerson();
    const second = await patientAsksForAPerson();
    await records.escalations.raiseUrgency(second.escalationId, 'urgent', 'emergency');
    const queue = await json<{ id: string; urgency: string; waitingSince: string }[]>(await call('GET', '/staff/api/escalations', { cookie }));
    const rank = { urgent: 0, high: 1, medium: 2, low: 3 } as Record<string, number>;
    for (let i = 1; i < queue.length; i += 1) {
      const [a, b] = [queue[i - 1]!, queue[i]!];
      expect((rank[a.urgency] ?? 9) < (rank[b.urgency] ?? 9) || (a.urgency === b.urgency && a.waitingSince <= b.waitingSince)).toBe(true);
    }
    const ids = queue.map((item) => item.id);
    expect(ids.indexOf(second.escalationId)).toBeLessThan(ids.indexOf(first.escalationId));
  });

  it('lets an admin resolve an escalation nobody claimed', async () => {
    const { escalationId, conversationId } = await patientAsksForAPerson();
    const cookie = await signIn(users.ana);
    expect((await call('POST', `/staff/api/escalations/${escalationId}/resolve`, { cookie: await signIn(users.cy), body: {} })).status).toBe(409);
    const resolved = await call('POST', `/staff/api/escalations/${escalationId}/resolve`, { cookie, body: {} });
    expect(resolved.status).toBe(200);
    const after = await app.runtime.hotStore.getConversation(conversationKeyString({ channel: 'webchat', conversationId }));
    expect(after?.snapshot).toMatchObject({ value: 'idle' });
  });

  it('answers 404 for an unknown or malformed escalation id', async () => {
    const cookie = await signIn(users.bo);
    for (const id of [randomUUID(), 'not-a-uuid', '1']) {
      expect((await call('GET', `/staff/api/escalations/${id}`, { cookie })).status).toBe(404);
      expect((await call('POST', `/staff/api/escalations/${id}/claim`, { cookie, body: {} })).status).toBe(404);
    }
  });

  it('shows a patient message in the console only while the conversation is escalated', async () => {
    const cookie = await signIn(users.bo);
    const stream = await openEventStream(url('/staff/api/events'), { cookie });
    const events: LiveEvent[] = [];
    const stop = app.runtime.liveEvents.subscribe((event) => events.push(event));
    try {
      const hidden = `quiet-${randomUUID()}`;
      await app.runtime.liveEvents.publish({ type: 'conversation.message', channel: 'webchat', conversationId: hidden, entry: { author: 'patient', text: 'private', locale: 'en', at: new Date().toISOString() } });
      const { conversationId } = await patientAsksForAPerson();
      await app.runtime.liveEvents.publish({ type: 'conversation.message', channel: 'webchat', conversationId, entry: { author: 'patient', text: 'still there?', locale: 'en', at: new Date().toISOString() } });
      const shown = await stream.next('conversation.message', (data) => (data.entry as { text: string }).text === 'still there?');
      expect(shown).toMatchObject({ conversationId });
      expect(stream.seen('conversation.message').some((data) => data.conversationId === hidden)).toBe(false);
      expect(events.some((event) => event.type === 'conversation.message' && event.conversationId === hidden)).toBe(true);
    } finally {
      stop();
      stream.close();
    }
  });
});

describe('bad requests get a reason', () => {
  it('names the field and the rule', async () => {
    const cookie = await signIn(users.ana);
    const { escalationId } = await patientAsksForAPerson();
    await call('POST', `/staff/api/escalations/${escalationId}/claim`, { cookie, body: {} });
    const cases: { method: string; path: string; body: unknown; reason: RegExp }[] = [
      { method: 'POST', path: `/staff/api/escalations/${escalationId}/reply`, body: {}, reason: /^text: is required/ },
      { method: 'POST', path: `/staff/api/escalations/${escalationId}/reply`, body: { text: '   ' }, reason: /^text: must not be empty/ },
      { method: 'POST', path: `/staff/api/escalations/${escalationId}/reply`, body: { text: 'x'.repeat(2001) }, reason: /^text: .*2000/ },
      { method: 'POST', path: '/staff/api/users', body: { email: 'not-an-email', displayName: 'X', role: 'staff', password: PASSWORD }, reason: /^email: must be an email/ },
      { method: 'POST', path: '/staff/api/users', body: { email: 'x@clinic.example', displayName: 'X', role: 'staff', password: 'short' }, reason: /^password: must be at least 12/ },
      { method: 'POST', path: '/staff/api/users', body: { email: 'x@clinic.example', displayName: 'X', role: 'boss', password: PASSWORD }, reason: /^role: must be "staff" or "admin"/ },
      { method: 'PATCH', path: `/staff/api/users/${users.cy.id}`, body: {}, reason: /at least one of displayName, role, password, disabled/ },
      { method: 'PATCH', path: `/staff/api/users/${users.cy.id}`, body: { nickname: 'C' }, reason: /^nickname: unknown field/ },
      { method: 'PATCH', path: `/staff/api/users/${users.cy.id}`, body: { disabled: 'yes' }, reason: /^disabled: must be true or false/ },
      { method: 'POST', path: '/staff/api/session', body: { email: 'a@b.c' }, reason: /^password: is required/ },
      { method: 'POST', path: '/staff/api/session', body: '{"email": ', reason: /^body: is not valid JSON/ },
      { method: 'POST', path: '/staff/api/session', body: '[1,2]', reason: /^body: must be a JSON object/ },
    ];
    for (const item of cases) {
      const response = await call(item.method, item.path, { cookie, body: item.body });
      expect(response.status, `${item.method} ${item.path} ${JSON.stringify(item.body)}`).toBe(400);
      const body = await json<ErrorBody>(response);
      expect(body.error).toBe('invalid_request');
      expect(body.reason).toMatch(item.reason);
    }
  });

  it('refuses a state change that is not sent as JSON (415), before doing anything', async () => {
    const cookie = await signIn(users.bo);
    const { escalationId } = await patientAsksForAPerson();
    for (const contentType of [null, 'text/plain', 'application/x-www-form-urlencoded']) {
      const response = await call('POST', `/staff/api/escalations/${escalationId}/claim`, { cookie, body: contentType ? 'a=1' : undefined, contentType });
      expect(response.status, String(contentType)).toBe(415);
      expect(await json(response)).toEqual({ error: 'unsupported_media_type', reason: 'content-type: must be application/json' });
    }
    expect(await records.escalations.findById(escalationId)).toMatchObject({ status: 'open' });
    // An empty JSON body is fine: claim carries nothing.
    expect((await call('POST', `/staff/api/escalations/${escalationId}/claim`, { cookie, body: '', contentType: 'application/json' })).status).toBe(200);
  });
});

describe('managing staff (admin)', () => {
  it('creates, lists, renames, promotes and re-passwords a user; refuses a taken email', async () => {
    const cookie = await signIn(users.ana);
    const email = `fay-${randomUUID().slice(0, 8)}@Clinic.example`;
    const created = await call('POST', '/staff/api/users', { cookie, body: { email, displayName: 'Fay', role: 'staff', password: PASSWORD } });
    expect(created.status).toBe(201);
    const { user } = await json<{ user: { id: string; email: string; role: string; disabled: boolean } }>(created);
    expect(user).toMatchObject({ email: email.toLowerCase(), role: 'staff', disabled: false });
    expect((await call('POST', '/staff/api/users', { cookie, body: { email, displayName: 'Fay 2', role: 'staff', password: PASSWORD } })).status).toBe(409);

    const list = await json<{ id: string }[]>(await call('GET', '/staff/api/users', { cookie }));
    expect(list.map((item) => item.id)).toContain(user.id);
    expect(JSON.stringify(list)).not.toMatch(/argon2|password/i);

    const fayCookie = await signIn({ ...users.bo, email: user.email });
    const changed = await call('PATCH', `/staff/api/users/${user.id}`, { cookie, body: { displayName: 'Fay Lee', role: 'admin', password: 'a brand new password' } });
    expect(changed.status).toBe(200);
    expect(await json(changed)).toMatchObject({ user: { displayName: 'Fay Lee', role: 'admin' } });
    // A new password signs the user out; the new one works, the old one does not.
    expect((await call('GET', '/staff/api/session', { cookie: fayCookie })).status).toBe(401);
    expect((await call('POST', '/staff/api/session', { body: { email: user.email, password: PASSWORD } })).status).toBe(401);
    expect((await call('POST', '/staff/api/session', { body: { email: user.email, password: 'a brand new password' } })).status).toBe(200);
    expect((await call('PATCH', `/staff/api/users/${randomUUID()}`, { cookie, body: { displayName: 'Nobody' } })).status).toBe(404);
  });

  it('an admin cannot demote or disable themselves when they are the last admin', async () => {
    const cookie = await signIn(users.ana);
    const admins = (await json<{ id: string; role: string; disabled: boolean }[]>(await call('GET', '/staff/api/users', { cookie }))).filter(
      (user) => user.role === 'admin' && !user.disabled && user.id !== users.ana.id,
    );
    for (const other of admins) {
      expect((await call('PATCH', `/staff/api/users/${other.id}`, { cookie, body: { role: 'staff' } })).status).toBe(200);
    }
    for (const change of [{ role: 'staff' }, { disabled: true }]) {
      const response = await call('PATCH', `/staff/api/users/${users.ana.id}`, { cookie, body: change });
      expect(response.status).toBe(409);
      expect((await json<ErrorBody>(response)).error).toBe('last_admin');
    }
    expect((await call('GET', '/staff/api/session', { cookie })).status).toBe(200);
  });
});

describe('the console page', () => {
  it('is served at /staff with its files, and nothing outside its folder', async () => {
    const page = await fetch(url('/staff'));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    const script = await fetch(url('/staff/app.js'));
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    for (const path of ['/staff/..%2Froutes.ts', '/staff/routes.ts', '/staff/missing.js', '/staff/.env']) {
      expect((await fetch(url(path))).status, path).toBe(404);
    }
  });
});

describe('in development (embedded defaults)', () => {
  it('leaves Secure off for plain http on a laptop, and shuts down with a console feed open', async () => {
    const developmentDir = await mkdtemp(join(tmpdir(), 'staff-api-dev-'));
    const development = await startApp(
      { ...process.env, APP_ENV: 'development', PORT: '0', HOST: '127.0.0.1', DATA_DIR: developmentDir, REDIS_URL: '', DATABASE_URL: '', LOG_LEVEL: 'warn', OPENAI_API_KEY: '', OPENAI_BASE_URL: '' },
      { watchLocales: false },
    );
    let stopped = false;
    try {
      const user = await addUser(development.runtime.records, 'Gus', 'staff');
      const response = await call('POST', '/staff/api/session', { body: { email: user.email, password: PASSWORD }, base: development.url });
      expect(response.status).toBe(200);
      const attributes = (response.headers.getSetCookie()[0] ?? '').split(';').map((part) => part.trim().toLowerCase());
      expect(attributes).not.toContain('secure');
      expect(attributes).toContain('httponly');
      const cookie = (response.headers.getSetCookie()[0] ?? '').split(';')[0] ?? '';
      const stream = await openEventStream(new URL('/staff/api/events', development.url).toString(), { cookie });
      await development.stop();
      stopped = true;
      await stream.ended();
    } finally {
      if (!stopped) await development.stop();
      await rm(developmentDir, { recursive: true, force: true });
    }
    // A second whole app on a fresh embedded database: slow on a busy machine.
  }, 120_000);
});
