import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationRecord, HotStore } from '../../../src/core/ports/hot-store.js';
import { HotStoreDataError } from '../../../src/store/conversation-codec.js';
import { createStoreKeys, type StoreKeys } from '../../../src/store/keys.js';
import { MemoryHotStore } from '../../../src/store/memory-hot-store.js';
import { RedisHotStore } from '../../../src/store/redis-hot-store.js';
import { REDIS_URL, requireRedis, uniqueName } from '../../support/services.js';

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
      await deleteKeys(createStoreKeys(FILE_PREFIX).pattern());
    },
  };
}

/** SCAN (never KEYS) for the pattern and unlink what it finds. */
async function deleteKeys(pattern: string): Promise<void> {
  const admin = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    for await (const batch of admin.scanStream({ match: pattern, count: 200 })) {
      const keys = batch as string[];
      if (keys.length > 0) await admin.unlink(...keys);
    }
  } finally {
    await admin.quit();
  }
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

describe.each([memoryHarness(), redisHarness()])('HotStore contract: $name', (harness) => {
  beforeAll(() => harness.setup());
  afterAll(() => harness.teardown());

  describe('conversations', () => {
    it('returns null for a conversation never saved', async () => {
      const { store } = harness.open();
      expect(await store.getConversation(conversationKey())).toBeNull();
    });

    it('round-trips a nested JSON snapshot through save, get and delete', async () => {
      const { store } = harness.open();
      const key = conversationKey();
      const first = record();

      expect(await store.saveConversation(key, first, null)).toBe(1);
      const loaded = await store.getConversation(key);
      expect(loaded).toEqual({ ...JSON.parse(JSON.stringify(first)), rev: 1 });

      // What was stored is a copy: changing the caller's object afterwards changes nothing.
      (first.snapshot as { context: { attempts: number } }).context.attempts = 99;
      expect(await store.getConversation(key)).toEqual(loaded);

      const second = record({ locale: 'ru', patientId: null, snapshot: { value: 'idle', context: {} } });
      expect(await store.saveConversation(key, second, 1)).toBe(2);
      expect(await store.getConversation(key)).toEqual({ ...second, rev: 2 });

      await store.deleteConversation(key);
      expect(await store.getConversation(key)).toBeNull();
      // After a delete the conversation starts over.
      expect(await store.saveConversation(key, second, null)).toBe(1);
    });

    it('does not persist a rev passed back inside the record', async () => {
      const { store } = harness.open();
      const key = conversationKey();
      await store.saveConversation(key, record(), null);
      const loaded = await store.getConversation(key);
      expect(loaded).not.toBeNull();
      if (!loaded) return;
      expect(await store.saveConversation(key, { ...loaded, patientId: 'patient-2' }, loaded.rev)).toBe(2);
      expect(await store.getConversation(key)).toMatchObject({ rev: 2, patientId: 'patient-2' });
    });

    it('refuses a save naming the wrong rev and keeps what was stored', async () => {
      const { store } = harness.open();
      const key = conversationKey();

      expect(await store.saveConversation(key, record({ patientId: 'a' }), 4)).toBeNull();
      expect(await store.getConversation(key)).toBeNull();

      expect(await store.saveConversation(key, record({ patientId: 'a' }), null)).toBe(1);
      expect(await store.saveConversation(key, record({ patientId: 'b' }), null)).toBeNull();
      expect(await store.saveConversation(key, record({ patientId: 'c' }), 2)).toBeNull();
      expect(await store.getConversation(key)).toMatchObject({ rev: 1, patientId: 'a' });

      expect(await store.saveConversation(key, record({ patientId: 'd' }), 1)).toBe(2);
      expect(await store.saveConversation(key, record({ patientId: 'e' }), 1)).toBeNull();
      expect(await store.getConversation(key)).toMatchObject({ rev: 2, patientId: 'd' });
    });

    it('lets exactly one of two concurrent first saves win', async () => {
      const backend = harness.open();
      const [first, second] = [backend.store, backend.peer()];
      // Connected before the race, so neither gets a head start from its handshake.
      await Promise.all([first.ping(), second.ping()]);
      for (let round = 0; round < 10; round++) {
        const key = conversationKey();
        const results = await Promise.all([
          first.saveConversation(key, record({ patientId: 'first' }), null),
          second.saveConversation(key, record({ patientId: 'second' }), null),
        ]);
        expect(results.filter((rev) => rev !== null)).toEqual([1]);
        const winner = results[0] === 1 ? 'first' : 'second';
        expect(await backend.store.getConversation(key)).toMatchObject({ rev: 1, patientId: winner });
      }
    });

    it('lets exactly one of 20 concurrent saves of the same rev win', async () => {
      const backend = harness.open();
      const stores = Array.from({ length: 20 }, () => backend.peer());
      await Promise.all(stores.map((store) => store.ping()));
      for (let round = 0; round < 10; round++) {
        const key = conversationKey();
        expect(await backend.store.saveConversation(key, record({ patientId: 'start' }), null)).toBe(1);

        const results = await Promise.all(
          stores.map((store, i) => store.saveConversation(key, record({ patientId: `turn-${i}` }), 1)),
        );

        const winners = results.flatMap((rev, i) => (rev === null ? [] : [{ rev, i }]));
        expect(winners).toHaveLength(1);
        expect(winners[0]?.rev).toBe(2);
        expect(results.filter((rev) => rev === null)).toHaveLength(19);
        // What is stored is the winner's record, not a loser's written over it.
        expect(await backend.store.getConversation(key)).toMatchObject({
          rev: 2,
          patientId: `turn-${winners[0]?.i}`,
        });
      }
    });

    it('forgets a conversation after its TTL, and each save renews the TTL', async () => {
      const backend = harness.open({ conversationTtlSeconds: 1 });
      const key = conversationKey();
      expect(await backend.store.saveConversation(key, record(), null)).toBe(1);
      await backend.elapse(600);
      expect(await backend.store.saveConversation(key, record(), 1)).toBe(2);
      await backend.elapse(600);
      expect(await backend.store.getConversation(key)).toMatchObject({ rev: 2 });
      await backend.elapse(600);
      expect(await backend.store.getConversation(key)).toBeNull();
      expect(await backend.store.saveConversation(key, record(), null)).toBe(1);
    });
  });

  describe('de-duplication', () => {
    it('is true the first time a message is seen and false after, per channel', async () => {
      const { store } = harness.open();
      const messageId = randomUUID();
      expect(await store.markSeen('whatsapp', messageId)).toBe(true);
      expect(await store.markSeen('whatsapp', messageId)).toBe(false);
      expect(await store.markSeen('teams', messageId)).toBe(true);
      expect(await store.markSeen('whatsapp', `${messageId}-2`)).toBe(true);
      expect(await store.markSeen('teams', messageId)).toBe(false);
    });

    it('forgets a message after the de-duplication window', async () => {
      const backend = harness.open({ seenTtlSeconds: 1 });
      const messageId = randomUUID();
      expect(await backend.store.markSeen('webchat', messageId)).toBe(true);
      await backend.elapse(400);
      expect(await backend.store.markSeen('webchat', messageId)).toBe(false);
      await backend.elapse(800);
      expect(await backend.store.markSeen('webchat', messageId)).toBe(true);
      expect(await backend.store.markSeen('webchat', messageId)).toBe(false);
    });

    it('lets exactly one of many concurrent markSeen calls through', async () => {
      const backend = harness.open();
      const messageId = randomUUID();
      const results = await Promise.all(
        Array.from({ length: 10 }, () => backend.peer().markSeen('whatsapp', messageId)),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
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
      await expect(store.markSeen('webchat', randomUUID())).rejects.toThrow(/closed/);
    });

    it('rejects nonsensical arguments', async () => {
      const { store } = harness.open();
      await expect(store.saveConversation(conversationKey(), record(), 0)).rejects.toThrow(RangeError);
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
        await store.saveConversation(`webchat:${i}`, record(), null);
        await store.markSeen('webchat', `m${i}`);
        await store.consumeRateLimit(`webchat:${i}`, 10, 2);
      }
      expect(store.size).toBe(150);
      now = 2_000;
      expect(store.sweep()).toBe(50); // rate-limit windows
      now = 5_000;
      expect(store.sweep()).toBe(50); // seen messages
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
    await deleteKeys(keys.pattern());
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

    await store.saveConversation(conv, record(), null);
    await store.saveConversation(conv, record(), 1);
    await store.markSeen('whatsapp', messageId);
    await store.consumeRateLimit(sender, 5, 60);
    await store.consumeRateLimit(sender, 5, 60);

    const expected = [keys.conversation(conv), keys.seen('whatsapp', messageId), keys.rateLimit(sender)].sort();
    expect(expected).toEqual(
      [`${prefix}:conv:${conv}`, `${prefix}:seen:whatsapp:${messageId}`, `${prefix}:rl:${sender}`].sort(),
    );
    const created = (await scanKeys(admin, keys.pattern())).filter((key) =>
      [conv, messageId, sender].some((part) => key.endsWith(part)),
    );
    expect(created).toEqual(expected);

    const ttls = Object.fromEntries(await Promise.all(created.map(async (key) => [key, await admin.ttl(key)])));
    for (const key of created) expect(ttls[key], key).toBeGreaterThan(0);
    expect(ttls[keys.conversation(conv)]).toBeGreaterThan(890);
    expect(ttls[keys.conversation(conv)]).toBeLessThanOrEqual(900);
    expect(ttls[keys.seen('whatsapp', messageId)]).toBeLessThanOrEqual(300);
    expect(ttls[keys.rateLimit(sender)]).toBeLessThanOrEqual(60);
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
    expect(keys.seen('teams', 'm-1')).toBe('cab:production:seen:teams:m-1');
    expect(keys.rateLimit('webchat:abc')).toBe('cab:production:rl:webchat:abc');
    expect(keys.lock('cli:local')).toBe('cab:production:lock:cli:local');
    expect(keys.pattern()).toBe('cab:production:*');
  });

  it('escapes glob characters in the clean-up pattern and refuses ambiguous parts', () => {
    expect(createStoreKeys('t[1]*?').pattern()).toBe('t\\[1\\]\\*\\?:*');
    expect(() => createStoreKeys('')).toThrow();
    expect(() => createStoreKeys('cab:')).toThrow();
    expect(() => createStoreKeys('cab:test').seen('a:b', 'c')).toThrow(/must not contain/);
    expect(() => createStoreKeys('cab:test').conversation('')).toThrow(/must not be empty/);
  });
});
