import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BeginTurnRequest, ConversationRecord, HotStore } from '../../../src/core/ports/hot-store.js';
import { HotStoreDataError } from '../../../src/store/conversation-codec.js';
import { createStoreKeys, type StoreKeys } from '../../../src/store/keys.js';
import { MemoryHotStore } from '../../../src/store/memory-hot-store.js';
import { RedisHotStore } from '../../../src/store/redis-hot-store.js';
import { deleteRedisKeys, REDIS_URL, requireRedis, uniqueName } from '../../support/services.js';

/**
 * One contract, two stores: every test in `contract` runs against the in-memory store and
 * against a real Redis. Time passes on an injected clock for the memory store and for real
 * (TTLs of 1 s) on Redis.
 */

interface StoreSettings {
  conversationTtlSeconds: number;
  seenTtlSeconds: number;
}

interface Backend {
  store: HotStore;
  /** Another store over the same state; on Redis one with its own connection. */
  peer(): HotStore;
  /** Lets time pass for the TTLs. */
  elapse(ms: number): Promise<void>;
}

interface Harness {
  name: string;
  setup(): Promise<void>;
  /** A store over fresh, empty state. */
  open(settings?: Partial<StoreSettings>): Backend;
  teardown(): Promise<void>;
}

const DEFAULT_SETTINGS: StoreSettings = { conversationTtlSeconds: 3600, seenTtlSeconds: 600 };

/** The key prefix of this file's run; every Redis key created here lives under it. */
const FILE_PREFIX = uniqueName('hot_store');

function memoryHarness(): Harness {
  const opened: MemoryHotStore[] = [];
  return {
    name: 'MemoryHotStore',
    setup: async () => undefined,
    open(settings) {
      let now = Date.parse('2025-03-01T09:00:00Z');
      const store = new MemoryHotStore({ ...DEFAULT_SETTINGS, ...settings, now: () => now });
      opened.push(store);
      return {
        store,
        peer: () => store,
        elapse: async (ms) => {
          now += ms;
        },
      };
    },
    async teardown() {
      await Promise.all(opened.map((store) => store.close()));
    },
  };
}

function redisHarness(): Harness {
  const opened: RedisHotStore[] = [];
  let counter = 0;
  const connect = (keys: StoreKeys, settings: StoreSettings): RedisHotStore => {
    const store = RedisHotStore.connect(REDIS_URL, { keys, ...settings, redisOptions: { maxRetriesPerRequest: 1 } });
    opened.push(store);
    return store;
  };
  return {
    name: 'RedisHotStore',
    setup: requireRedis,
    open(overrides) {
      const settings = { ...DEFAULT_SETTINGS, ...overrides };
      const keys = createStoreKeys(`${FILE_PREFIX}:s${++counter}`);
      return {
        store: connect(keys, settings),
        peer: () => connect(keys, settings),
        elapse: (ms) => sleep(ms),
      };
    },
    async teardown() {
      await Promise.all(opened.map((store) => store.close()));
      await deleteRedisKeys(createStoreKeys(FILE_PREFIX).pattern());
    },
  };
}

async function scanKeys(client: Redis, pattern: string): Promise<string[]> {
  const found: string[] = [];
  for await (const batch of client.scanStream({ match: pattern, count: 200 })) {
    found.push(...(batch as string[]));
  }
  return found.sort();
}

function record(overrides: Partial<ConversationRecord> = {}): ConversationRecord {
  return {
    machineVersion: 3,
    snapshot: {
      status: 'active',
      value: { booking: 'choosingSlot' },
      context: {
        service: { id: 'cleaning', durationMinutes: 45 },
        candidates: [
          { doctorId: 'd1', start: '2025-03-03T10:00:00+02:00' },
          { doctorId: 'd2', start: '2025-03-03T11:30:00+02:00' },
        ],
        notes: ['שלום', 'здравствуйте', 'olá'],
        pending: null,
        attempts: 0,
        confirmed: false,
      },
      children: {},
      historyValue: {},
    },
    locale: 'he',
    lastActivityAt: '2025-03-01T09:00:00.000Z',
    patientId: 'patient-1',
    ...overrides,
  };
}

function conversationKey(): string {
  return `webchat:${randomUUID()}`;
}

function request(conversationKey: string, messageId: string | null): BeginTurnRequest {
  return { conversationKey, messageId, lockToken: 'token', leaseMs: 30_000, rateLimits: [] };
}

describe.each([memoryHarness(), redisHarness()])('HotStore contract: $name', (harness) => {
  beforeAll(() => harness.setup());
  afterAll(() => harness.teardown());

  describe('cached conversations', () => {
    it('returns null for a conversation never cached', async () => {
      const { store } = harness.open();
      expect(await store.getConversation(conversationKey())).toBeNull();
    });

    it('round-trips a nested JSON snapshot, keeps a copy, and deletes', async () => {
      const { store } = harness.open();
      const key = conversationKey();
      const first = record();

      await store.cacheConversation(key, { ...first, rev: 1 });
      const loaded = await store.getConversation(key);
      expect(loaded).toEqual({ ...JSON.parse(JSON.stringify(first)), rev: 1 });

      // What was stored is a copy: changing the caller's object afterwards changes nothing.
      (first.snapshot as { context: { attempts: number } }).context.attempts = 99;
      expect(await store.getConversation(key)).toEqual(loaded);

      const second = record({ locale: 'ru', patientId: null, snapshot: { value: 'idle', context: {} } });
      await store.cacheConversation(key, { ...second, rev: 2 });
      expect(await store.getConversation(key)).toEqual({ ...second, rev: 2 });

      await store.deleteConversation(key);
      expect(await store.getConversation(key)).toBeNull();
    });

    it('only moves forward: an older or equal revision never replaces a newer one', async () => {
      const { store } = harness.open();
      const key = conversationKey();
      await store.cacheConversation(key, { ...record({ patientId: 'three' }), rev: 3 });
      await store.cacheConversation(key, { ...record({ patientId: 'two' }), rev: 2 });
      await store.cacheConversation(key, { ...record({ patientId: 'three again' }), rev: 3 });
      expect(await store.getConversation(key)).toMatchObject({ rev: 3, patientId: 'three' });
      await store.cacheConversation(key, { ...record({ patientId: 'four' }), rev: 4 });
      expect(await store.getConversation(key)).toMatchObject({ rev: 4, patientId: 'four' });
    });

    it('forgets a conversation after its TTL, and each turn renews the TTL', async () => {
      const backend = harness.open({ conversationTtlSeconds: 1 });
      const key = conversationKey();
      await backend.store.cacheConversation(key, { ...record(), rev: 1 });
      await backend.elapse(600);
      const turn = await backend.store.beginTurn(request(key, null));
      await backend.store.endTurn({ conversationKey: key, lockToken: 'token', conversation: { ...record(), rev: 2 }, answered: null });
      expect(turn.status).toBe('acquired');
      await backend.elapse(600);
      expect(await backend.store.getConversation(key)).toMatchObject({ rev: 2 });
      await backend.elapse(600);
      expect(await backend.store.getConversation(key)).toBeNull();
    });
  });

  describe('turns', () => {
    it('locks a conversation for one turn at a time and hands over the cached state', async () => {
      const { store } = harness.open();
      const key = conversationKey();
      await store.cacheConversation(key, { ...record(), rev: 7 });
      const first = await store.beginTurn({ ...request(key, 'm1'), lockToken: 'a' });
      expect(first).toEqual({ status: 'acquired', conversation: { ...JSON.parse(JSON.stringify(record())), rev: 7 } });
      expect(await store.beginTurn({ ...request(key, 'm2'), lockToken: 'b' })).toEqual({ status: 'busy' });
      // Releasing with someone else's token releases nothing.
      await store.releaseTurn(key, 'b');
      expect((await store.beginTurn({ ...request(key, 'm2'), lockToken: 'b' })).status).toBe('busy');
      await store.releaseTurn(key, 'a');
      expect((await store.beginTurn({ ...request(key, 'm2'), lockToken: 'b' })).status).toBe('acquired');
      // Other conversations are not held up.
      expect((await store.beginTurn({ ...request(conversationKey(), 'm1'), lockToken: 'c' })).status).toBe('acquired');
    });

    it('lets exactly one of 20 concurrent turns of one conversation take the lock', async () => {
      const backend = harness.open();
      const stores = Array.from({ length: 20 }, () => backend.peer());
      await Promise.all(stores.map((store) => store.ping()));
      for (let round = 0; round < 5; round++) {
        const key = conversationKey();
        const results = await Promise.all(stores.map((store, i) => store.beginTurn({ ...request(key, `m${i}`), lockToken: `t${i}` })));
        expect(results.filter((r) => r.status === 'acquired')).toHaveLength(1);
        expect(results.filter((r) => r.status === 'busy')).toHaveLength(19);
      }
    });

    it('lets the lock lapse after its lease unless it is renewed by its holder', async () => {
      const backend = harness.open();
      const key = conversationKey();
      expect((await backend.store.beginTurn({ ...request(key, 'm1'), lockToken: 'a', leaseMs: 1_000 })).status).toBe('acquired');
      await backend.elapse(600);
      expect(await backend.store.renewTurn(key, 'someone-else', 1_000)).toBe(false);
      expect(await backend.store.renewTurn(key, 'a', 1_000)).toBe(true);
      await backend.elapse(600);
      expect((await backend.store.beginTurn({ ...request(key, 'm2'), lockToken: 'b' })).status).toBe('busy');
      await backend.elapse(600);
      // The holder died (no renewal): the next turn takes over.
      expect((await backend.store.beginTurn({ ...request(key, 'm2'), lockToken: 'b' })).status).toBe('acquired');
      expect(await backend.store.renewTurn(key, 'a', 1_000)).toBe(false);
    });

    it('remembers the replies of a committed turn per conversation, and a redelivery gets them without the lock', async () => {
      const { store } = harness.open();
      const key = conversationKey();
      const replies = [{ text: 'Hola', locale: 'es' as const, options: [{ id: 'o1', label: 'lunes 10:00' }] }];
      await store.beginTurn({ ...request(key, 'm-1'), lockToken: 'a' });
      await store.endTurn({ conversationKey: key, lockToken: 'a', conversation: { ...record(), rev: 1 }, answered: { messageId: 'm-1', replies } });
      // The lock was released and the state cached.
      expect(await store.getConversation(key)).toMatchObject({ rev: 1 });
      const again = await store.beginTurn({ ...request(key, 'm-1'), lockToken: 'b' });
      expect(again).toEqual({ status: 'answered', replies });
      // Answered means not locked: a new message goes ahead at once.
      expect((await store.beginTurn({ ...request(key, 'm-2'), lockToken: 'c' })).status).toBe('acquired');
      // The same message id in another conversation is another message (a client numbering 1, 2, 3).
      expect((await store.beginTurn({ ...request(conversationKey(), 'm-1'), lockToken: 'd' })).status).toBe('acquired');
      // A staff event never counts as answered.
      await store.releaseTurn(key, 'c');
      expect((await store.beginTurn({ ...request(key, null), lockToken: 'e' })).status).toBe('acquired');
    });

    it('forgets an answer after the de-duplication window', async () => {
      const backend = harness.open({ seenTtlSeconds: 1 });
      const key = conversationKey();
      await backend.store.beginTurn({ ...request(key, 'm'), lockToken: 'a' });
      await backend.store.endTurn({ conversationKey: key, lockToken: 'a', conversation: { ...record(), rev: 1 }, answered: { messageId: 'm', replies: [] } });
      await backend.elapse(400);
      expect((await backend.store.beginTurn({ ...request(key, 'm'), lockToken: 'b' })).status).toBe('answered');
      await backend.elapse(800);
      expect((await backend.store.beginTurn({ ...request(key, 'm'), lockToken: 'b' })).status).toBe('acquired');
    });

    it('counts a message against its limits once, not when it is answered already or retried after busy', async () => {
      const { store } = harness.open();
      const key = conversationKey();
      const sender = { key: `webchat:${randomUUID()}`, limit: 3, windowSeconds: 60 };
      const address = { key: `addr:${randomUUID()}`, limit: 4, windowSeconds: 60 };
      const begin = (messageId: string, token: string, rateLimits = [sender, address]) =>
        store.beginTurn({ ...request(key, messageId), lockToken: token, rateLimits });
      expect((await begin('m1', 'a')).status).toBe('acquired');
      await store.endTurn({ conversationKey: key, lockToken: 'a', conversation: { ...record(), rev: 1 }, answered: { messageId: 'm1', replies: [] } });
      expect((await begin('m1', 'x')).status).toBe('answered');
      expect((await begin('m2', 'b')).status).toBe('acquired');
      expect(await begin('m3', 'c')).toEqual({ status: 'busy' });
      expect(await begin('m3', 'c', [])).toEqual({ status: 'busy' });
      // m1, m2 and m3 counted once each: m4 takes the sender over its limit of 3.
      await store.releaseTurn(key, 'b');
      expect(await begin('m4', 'd')).toEqual({ status: 'rate_limited', index: 0, count: 4 });
      // A second conversation from the same address: the sender is another one, the address is the same.
      const other = conversationKey();
      expect(await store.beginTurn({ ...request(other, 'n1'), lockToken: 'e', rateLimits: [{ ...sender, key: `webchat:${randomUUID()}` }, address] })).toEqual({
        status: 'rate_limited',
        index: 1,
        count: 5,
      });
    });
  });

  describe('rate limit', () => {
    it('allows `limit` messages in a window, refuses the rest, and counts per sender', async () => {
      const { store } = harness.open();
      const sender = `webchat:${randomUUID()}`;
      const results = [];
      for (let i = 0; i < 5; i++) results.push(await store.consumeRateLimit(sender, 3, 60));
      expect(results).toEqual([
        { allowed: true, count: 1 },
        { allowed: true, count: 2 },
        { allowed: true, count: 3 },
        { allowed: false, count: 4 },
        { allowed: false, count: 5 },
      ]);
      expect(await store.consumeRateLimit(`webchat:${randomUUID()}`, 3, 60)).toEqual({ allowed: true, count: 1 });
    });

    it('counts concurrent messages exactly', async () => {
      const backend = harness.open();
      const sender = `teams:${randomUUID()}`;
      const results = await Promise.all(
        Array.from({ length: 12 }, () => backend.peer().consumeRateLimit(sender, 5, 60)),
      );
      expect(results.map((r) => r.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
      expect(results.filter((r) => r.allowed)).toHaveLength(5);
    });

    it('starts a new window when the old one ends, without sliding it on each message', async () => {
      const backend = harness.open();
      const sender = `cli:${randomUUID()}`;
      expect(await backend.store.consumeRateLimit(sender, 2, 1)).toEqual({ allowed: true, count: 1 });
      expect(await backend.store.consumeRateLimit(sender, 2, 1)).toEqual({ allowed: true, count: 2 });
      await backend.elapse(600);
      expect(await backend.store.consumeRateLimit(sender, 2, 1)).toEqual({ allowed: false, count: 3 });
      await backend.elapse(600);
      // 1.2 s after the window opened: a fixed window has ended even though a message came at 0.6 s.
      expect(await backend.store.consumeRateLimit(sender, 2, 1)).toEqual({ allowed: true, count: 1 });
    });
  });

  describe('lifecycle', () => {
    it('answers ping while open and refuses every call once closed', async () => {
      const { store } = harness.open();
      await expect(store.ping()).resolves.toBeUndefined();
      await store.close();
      await store.close(); // idempotent
      await expect(store.ping()).rejects.toThrow(/closed/);
      await expect(store.getConversation(conversationKey())).rejects.toThrow(/closed/);
      await expect(store.beginTurn(request(conversationKey(), 'm'))).rejects.toThrow(/closed/);
    });

    it('rejects nonsensical arguments', async () => {
      const { store } = harness.open();
      await expect(store.cacheConversation(conversationKey(), { ...record(), rev: 0 })).rejects.toThrow(RangeError);
      await expect(store.beginTurn({ ...request(conversationKey(), 'm'), leaseMs: 0 })).rejects.toThrow(RangeError);
      await expect(store.consumeRateLimit('webchat:x', 3, 0)).rejects.toThrow(RangeError);
      await expect(store.consumeRateLimit('webchat:x', Number.NaN, 10)).rejects.toThrow(RangeError);
    });
  });
});

describe('MemoryHotStore', () => {
  it('sweeps expired entries nobody reads again, so memory stays bounded', async () => {
    let now = 0;
    const store = new MemoryHotStore({ conversationTtlSeconds: 10, seenTtlSeconds: 5, now: () => now });
    try {
      for (let i = 0; i < 50; i++) {
        const key = `webchat:${i}`;
        await store.beginTurn({ ...request(key, `m${i}`), leaseMs: 1_000, rateLimits: [{ key, limit: 10, windowSeconds: 2 }] });
        await store.endTurn({ conversationKey: key, lockToken: 'other', conversation: { ...record(), rev: 1 }, answered: { messageId: `m${i}`, replies: [] } });
      }
      expect(store.size).toBe(200);
      now = 1_000;
      expect(store.sweep()).toBe(50); // turn locks whose holder never released them
      now = 2_000;
      expect(store.sweep()).toBe(50); // rate-limit windows
      now = 5_000;
      expect(store.sweep()).toBe(50); // answered messages
      now = 10_000;
      expect(store.sweep()).toBe(50); // conversations
      expect(store.size).toBe(0);
    } finally {
      await store.close();
    }
  });
});

describe('RedisHotStore', () => {
  const prefix = `${FILE_PREFIX}:redis`;
  const keys = createStoreKeys(prefix);
  let admin: Redis;

  beforeAll(async () => {
    await requireRedis();
    admin = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  });

  afterAll(async () => {
    await deleteRedisKeys(keys.pattern());
    await admin.quit();
  });

  const opened: HotStore[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
  });

  function open(settings: StoreSettings = { conversationTtlSeconds: 3600, seenTtlSeconds: 600 }): RedisHotStore {
    const store = RedisHotStore.connect(REDIS_URL, { keys, ...settings, redisOptions: { maxRetriesPerRequest: 1 } });
    opened.push(store);
    return store;
  }

  it('keeps every key it creates under the prefix, each with a TTL', async () => {
    const store = open({ conversationTtlSeconds: 900, seenTtlSeconds: 300 });
    const conv = conversationKey();
    const messageId = randomUUID();
    const sender = `whatsapp:${randomUUID()}`;

    await store.beginTurn({ ...request(conv, messageId), lockToken: 'held', rateLimits: [{ key: sender, limit: 5, windowSeconds: 60 }] });
    await store.endTurn({ conversationKey: conv, lockToken: 'not-the-holder', conversation: { ...record(), rev: 1 }, answered: { messageId, replies: [] } });

    const expected = [keys.conversation(conv), keys.answered(conv, messageId), keys.rateLimit(sender), keys.lock(conv)].sort();
    expect(expected).toEqual(
      [`${prefix}:conv:${conv}`, `${prefix}:ans:${conv.length}:${conv}:${messageId}`, `${prefix}:rl:${sender}`, `${prefix}:lock:${conv}`].sort(),
    );
    const created = (await scanKeys(admin, keys.pattern())).filter((key) => [conv, messageId, sender].some((part) => key.endsWith(part)));
    expect(created).toEqual(expected);

    const ttls = Object.fromEntries(await Promise.all(created.map(async (key) => [key, await admin.pttl(key)])));
    for (const key of created) expect(ttls[key], key).toBeGreaterThan(0);
    expect(ttls[keys.conversation(conv)]).toBeGreaterThan(890_000);
    expect(ttls[keys.conversation(conv)]).toBeLessThanOrEqual(900_000);
    expect(ttls[keys.answered(conv, messageId)]).toBeLessThanOrEqual(300_000);
    expect(ttls[keys.rateLimit(sender)]).toBeLessThanOrEqual(60_000);
    expect(ttls[keys.lock(conv)]).toBeLessThanOrEqual(30_000);
  });

  it('gives a TTL back to a rate-limit counter found without one', async () => {
    const store = open();
    const sender = `webchat:${randomUUID()}`;
    await admin.set(keys.rateLimit(sender), '7');
    expect(await store.consumeRateLimit(sender, 10, 30)).toEqual({ allowed: true, count: 8 });
    expect(await admin.ttl(keys.rateLimit(sender))).toBeGreaterThan(0);
  });

  it('reports a stored conversation it cannot read with a typed error', async () => {
    const store = open();
    const conv = conversationKey();
    await admin.hset(keys.conversation(conv), 'rev', '1', 'record', '{"machineVersion":"x"}');
    await admin.expire(keys.conversation(conv), 60);
    await expect(store.getConversation(conv)).rejects.toBeInstanceOf(HotStoreDataError);
  });

  it('leaves a client it was given open on close', async () => {
    const client = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    try {
      const store = new RedisHotStore({ client, keys, conversationTtlSeconds: 60, seenTtlSeconds: 60 });
      await store.ping();
      await store.close();
      expect(await client.ping()).toBe('PONG');
    } finally {
      await client.quit();
    }
  });

  it('fails ping when Redis is unreachable', async () => {
    const errors: Error[] = [];
    const store = RedisHotStore.connect('redis://127.0.0.1:1', {
      keys,
      conversationTtlSeconds: 60,
      seenTtlSeconds: 60,
      redisOptions: { lazyConnect: true, connectTimeout: 300, maxRetriesPerRequest: 0, retryStrategy: () => null },
      onError: (error) => errors.push(error),
    });
    try {
      await expect(store.ping()).rejects.toThrow();
    } finally {
      await store.close();
    }
  });

  it('fails ping within pingTimeoutMs while the client keeps retrying', async () => {
    const store = RedisHotStore.connect('redis://127.0.0.1:1', {
      keys,
      conversationTtlSeconds: 60,
      seenTtlSeconds: 60,
      pingTimeoutMs: 300,
      redisOptions: { lazyConnect: true, connectTimeout: 200 }, // default: retry forever
      onError: () => undefined,
    });
    try {
      const started = Date.now();
      await expect(store.ping()).rejects.toThrow(/did not answer PING within 300 ms/);
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      await store.close();
    }
  });
});

describe('createStoreKeys', () => {
  it('builds every key under the prefix', () => {
    const keys = createStoreKeys('cab:production');
    expect(keys.conversation('whatsapp:123@lid')).toBe('cab:production:conv:whatsapp:123@lid');
    expect(keys.answered('teams:a:1', 'm-1')).toBe('cab:production:ans:9:teams:a:1:m-1');
    // The length prefix keeps ("teams:a", "1:m") and ("teams:a:1", "m") apart.
    expect(keys.answered('teams:a', '1:m')).not.toBe(keys.answered('teams:a:1', 'm'));
    expect(keys.rateLimit('webchat:abc')).toBe('cab:production:rl:webchat:abc');
    expect(keys.lock('cli:local')).toBe('cab:production:lock:cli:local');
    expect(keys.pattern()).toBe('cab:production:*');
  });

  it('escapes glob characters in the clean-up pattern and refuses ambiguous parts', () => {
    expect(createStoreKeys('t[1]*?').pattern()).toBe('t\\[1\\]\\*\\?:*');
    expect(() => createStoreKeys('')).toThrow();
    expect(() => createStoreKeys('cab:')).toThrow();
    expect(() => createStoreKeys('cab:test').answered('webchat:a', '')).toThrow(/must not be empty/);
    expect(() => createStoreKeys('cab:test').conversation('')).toThrow(/must not be empty/);
  });
});
