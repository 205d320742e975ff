import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Leases } from '../../../src/core/ports/leases.js';
import { createStoreKeys } from '../../../src/store/keys.js';
import { MemoryLeases } from '../../../src/store/memory-leases.js';
import { RedisLeases } from '../../../src/store/redis-leases.js';
import { deleteRedisKeys, REDIS_URL, requireRedis, uniqueName } from '../../support/services.js';

/** One contract for the Redis leases (real Redis, real time) and the in-process ones (injected clock). */

const FILE_PREFIX = uniqueName('leases');

interface Harness {
  name: string;
  setup(): Promise<void>;
  open(): { leases: Leases; peer: Leases; elapse(ms: number): Promise<void>; forgetFences?(name: string): Promise<void> };
  teardown(): Promise<void>;
}

function memoryHarness(): Harness {
  return {
    name: 'MemoryLeases',
    setup: async () => undefined,
    open() {
      let now = Date.parse('2026-12-01T09:00:00Z');
      const leases = new MemoryLeases(() => now);
      return {
        leases,
        peer: leases,
        elapse: async (ms) => {
          now += ms;
        },
      };
    },
    teardown: async () => undefined,
  };
}

function redisHarness(): Harness {
  const opened: RedisLeases[] = [];
  let counter = 0;
  return {
    name: 'RedisLeases',
    setup: requireRedis,
    open() {
      const keys = createStoreKeys(`${FILE_PREFIX}:s${++counter}`);
      const connect = () => {
        const leases = RedisLeases.connect(REDIS_URL, keys, { redisOptions: { maxRetriesPerRequest: 1 } });
        opened.push(leases);
        return leases;
      };
      return {
        leases: connect(),
        peer: connect(),
        elapse: (ms) => sleep(ms),
        async forgetFences(name) {
          const admin = new Redis(REDIS_URL);
          await admin.del(keys.fence(name));
          admin.disconnect();
        },
      };
    },
    async teardown() {
      await Promise.all(opened.map((leases) => leases.close()));
      await deleteRedisKeys(createStoreKeys(FILE_PREFIX).pattern());
    },
  };
}

describe.each([memoryHarness(), redisHarness()])('$name', (harness) => {
  beforeAll(() => harness.setup());
  afterAll(() => harness.teardown());

  it('grants one holder at a time; the holder may take it again with the same fence', async () => {
    const { leases, peer } = harness.open();
    const grant = await leases.acquire('whatsapp:default', 'process-a', 5_000);
    expect(grant?.fence).toBeGreaterThan(0);
    expect(await peer.acquire('whatsapp:default', 'process-b', 5_000)).toBeNull();
    expect(await leases.acquire('whatsapp:default', 'process-a', 5_000)).toEqual(grant);
    expect(await peer.holder('whatsapp:default')).toBe('process-a');
    // Another name is another lease.
    expect(await peer.acquire('whatsapp:other', 'process-b', 5_000)).not.toBeNull();
  });

  it('lets a renewed lease live on, and gives an expired one to the next holder with a larger fence', async () => {
    const { leases, peer, elapse } = harness.open();
    const first = await leases.acquire('n', 'a', 600);
    if (!first) throw new Error('not granted');
    await elapse(400);
    expect(await leases.renew('n', 'a', first.fence, 600)).toBe(true);
    await elapse(400);
    expect(await peer.acquire('n', 'b', 600)).toBeNull();
    await elapse(700);
    const second = await peer.acquire('n', 'b', 600);
    expect(second?.fence).toBeGreaterThan(first.fence);
    // The old holder cannot renew, release or retake what is now b's.
    expect(await leases.renew('n', 'a', first.fence, 600)).toBe(false);
    await leases.release('n', 'a', first.fence);
    expect(await peer.holder('n')).toBe('b');
    expect(await leases.acquire('n', 'a', 600)).toBeNull();
  });

  it('release frees it at once for another holder', async () => {
    const { leases, peer } = harness.open();
    const grant = await leases.acquire('n', 'a', 60_000);
    if (!grant) throw new Error('not granted');
    await leases.release('n', 'a', grant.fence);
    expect(await peer.holder('n')).toBeNull();
    const next = await peer.acquire('n', 'b', 60_000);
    expect(next?.fence).toBeGreaterThan(grant.fence);
  });

  it('never hands out a smaller fence, also after the fence counter was lost', async () => {
    const { leases, forgetFences } = harness.open();
    const fences: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      const grant = await leases.acquire('n', `holder-${i}`, 60_000);
      if (!grant) throw new Error('not granted');
      fences.push(grant.fence);
      await leases.release('n', `holder-${i}`, grant.fence);
      if (i === 1) await forgetFences?.('n');
    }
    expect(fences[1]).toBeGreaterThan(fences[0] ?? Infinity);
    expect(fences[2]).toBeGreaterThan(fences[1] ?? Infinity);
  });
});
