import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LiveEvent, LiveEvents } from '../../../src/core/ports/live-events.js';
import { createStoreKeys } from '../../../src/store/keys.js';
import { MemoryLiveEvents } from '../../../src/store/live-events-memory.js';
import { RedisLiveEvents } from '../../../src/store/live-events-redis.js';
import { REDIS_URL, requireRedis, uniqueName } from '../../support/services.js';

/**
 * One contract, two implementations: in-process, and Redis pub/sub where two instances on one
 * key prefix stand for two processes of the app.
 */

interface Pair {
  /** The instance this test publishes and listens on. */
  a: LiveEvents;
  /** Another process on the same deployment (in memory: the same one — there is one process). */
  b: LiveEvents;
  failures: unknown[];
}

interface Harness {
  name: string;
  setup(): Promise<void>;
  open(): Promise<Pair>;
}

const FILE_PREFIX = uniqueName('live_events');
const opened: LiveEvents[] = [];
let counter = 0;

const harnesses: Harness[] = [
  {
    name: 'MemoryLiveEvents',
    setup: async () => undefined,
    async open() {
      const failures: unknown[] = [];
      const live = new MemoryLiveEvents((error) => failures.push(error));
      opened.push(live);
      return { a: live, b: live, failures };
    },
  },
  {
    name: 'RedisLiveEvents',
    setup: requireRedis,
    async open() {
      const keys = createStoreKeys(`${FILE_PREFIX}:p${++counter}`);
      const failures: unknown[] = [];
      const make = (): RedisLiveEvents =>
        new RedisLiveEvents({ url: REDIS_URL, keys, onListenerFailure: (error) => failures.push(error) });
      const a = make();
      const b = make();
      opened.push(a, b);
      await Promise.all([a.ready(), b.ready()]);
      return { a, b, failures };
    },
  },
];

afterEach(async () => {
  await Promise.all(opened.splice(0).map((live) => live.close()));
});

/** Polls until `check` passes or the generous deadline is over (never a timing assertion). */
async function eventually(check: () => void, deadlineMs = 5_000): Promise<void> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    try {
      check();
      return;
    } catch (error) {
      if (Date.now() > until) throw error;
      await sleep(20);
    }
  }
}

function collect(live: LiveEvents): { events: LiveEvent[]; stop: () => void } {
  const events: LiveEvent[] = [];
  const stop = live.subscribe((event) => events.push(event));
  return { events, stop };
}

const staffReply: LiveEvent = {
  type: 'outbound',
  channel: 'webchat',
  conversationId: 'web-abc123',
  message: { author: 'staff', authorName: 'Ana', replies: [{ text: 'שלום, כאן אנה מהמרפאה', locale: 'he' }], at: '2026-03-02T10:00:00.000Z' },
};
const transcriptLine: LiveEvent = {
  type: 'conversation.message',
  channel: 'cli',
  conversationId: 'cli-1',
  entry: { author: 'patient', text: 'Мне нужен врач', locale: 'ru', at: '2026-03-02T10:00:00.000Z' },
};
const changed: LiveEvent = { type: 'escalation.changed', escalationId: '7d1f3c1e-2b1a-4c56-9a55-0f3e1c2b3a4d' };

for (const harness of harnesses) {
  describe(`${harness.name} (contract)`, () => {
    beforeAll(harness.setup);

    it('delivers every kind of event, unchanged, to a listener of the other process', async () => {
      const { a, b } = await harness.open();
      const seen = collect(b);
      for (const event of [staffReply, transcriptLine, changed]) await a.publish(event);
      await eventually(() => expect(seen.events).toEqual([staffReply, transcriptLine, changed]));
    });

    it('delivers to every listener, including the publishing process', async () => {
      const { a, b } = await harness.open();
      const onA = collect(a);
      const onB = collect(b);
      await b.publish(changed);
      await eventually(() => {
        expect(onA.events).toEqual([changed]);
        expect(onB.events).toEqual([changed]);
      });
    });

    it('stops delivering to a listener that unsubscribed, and only to that one', async () => {
      const { a, b } = await harness.open();
      const stopped = collect(b);
      const kept = collect(b);
      stopped.stop();
      await a.publish(changed);
      await eventually(() => expect(kept.events).toEqual([changed]));
      expect(stopped.events).toEqual([]);
    });

    it('a listener that throws is reported; the others still get the event and publish succeeds', async () => {
      const { a, b, failures } = await harness.open();
      b.subscribe(() => {
        throw new Error('listener broke');
      });
      const kept = collect(b);
      await expect(a.publish(changed)).resolves.toBeUndefined();
      await eventually(() => expect(kept.events).toEqual([changed]));
      expect(failures).toHaveLength(1);
    });

    it('after close, publishing rejects and listeners hear nothing more', async () => {
      const { a, b } = await harness.open();
      const seen = collect(a);
      await a.close();
      await expect(a.publish(changed)).rejects.toThrow(/closed/);
      if (b !== a) await b.publish(changed);
      await sleep(200);
      expect(seen.events).toEqual([]);
      // Closing twice is harmless (shutdown paths may overlap).
      await expect(a.close()).resolves.toBeUndefined();
    });
  });
}

describe('RedisLiveEvents (Redis only)', () => {
  let admin: Redis;
  beforeAll(async () => {
    await requireRedis();
    admin = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  });
  afterAll(async () => {
    await admin?.quit();
  });

  it('drops a malformed payload published by hand with a report, and keeps listening', async () => {
    const keys = createStoreKeys(`${FILE_PREFIX}:malformed`);
    const malformed: string[] = [];
    const live = new RedisLiveEvents({ url: REDIS_URL, keys, onMalformed: (reason) => malformed.push(reason) });
    opened.push(live);
    await live.ready();
    const seen = collect(live);
    await admin.publish(keys.liveEvents(), 'not json at all');
    await admin.publish(keys.liveEvents(), JSON.stringify({ type: 'outbound', channel: 'fax', conversationId: 'x', message: {} }));
    await admin.publish(keys.liveEvents(), JSON.stringify({ type: 'escalation.changed' }));
    await admin.publish(keys.liveEvents(), JSON.stringify(changed));
    await eventually(() => expect(seen.events).toEqual([changed]));
    expect(malformed).toHaveLength(3);
    expect(malformed[0]).toMatch(/JSON/);
    expect(malformed[1]).toMatch(/channel|message/);
  });

  it('keeps deployments with different prefixes apart', async () => {
    const mine = new RedisLiveEvents({ url: REDIS_URL, keys: createStoreKeys(`${FILE_PREFIX}:mine`) });
    const theirs = new RedisLiveEvents({ url: REDIS_URL, keys: createStoreKeys(`${FILE_PREFIX}:theirs`) });
    opened.push(mine, theirs);
    await Promise.all([mine.ready(), theirs.ready()]);
    const seen = collect(mine);
    await theirs.publish(changed);
    await mine.publish(transcriptLine);
    await eventually(() => expect(seen.events).toEqual([transcriptLine]));
  });

  it('resubscribes after its connections are dropped, and hears events again', async () => {
    const keys = createStoreKeys(`${FILE_PREFIX}:reconnect`);
    const connectionName = uniqueName('live_reconnect');
    const live = new RedisLiveEvents({ url: REDIS_URL, keys, redisOptions: { connectionName }, onError: () => undefined });
    opened.push(live);
    await live.ready();
    const seen = collect(live);
    const list = (await admin.client('LIST')) as string;
    const ids = list
      .split('\n')
      .filter((line) => line.includes(`name=${connectionName} `))
      .map((line) => /\bid=(\d+)/.exec(line)?.[1])
      .filter((id): id is string => id !== undefined);
    expect(ids.length).toBe(2);
    for (const id of ids) await admin.client('KILL', 'ID', id);
    // Publish until the resubscribed connection hears one: what was sent while it was away is lost.
    const until = Date.now() + 10_000;
    while (seen.events.length === 0 && Date.now() < until) {
      await admin.publish(keys.liveEvents(), JSON.stringify(changed));
      await sleep(50);
    }
    expect(seen.events[0]).toEqual(changed);
    // And the publishing connection works again too.
    await expect(live.publish(transcriptLine)).resolves.toBeUndefined();
  });
});
