/**
 * The FollowUpScheduler contract on both implementations: BullMQ on the real Redis (its own
 * key prefix) and the in-process timer.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FollowUpJob, FollowUpScheduler } from '../../../src/core/ports/follow-up-scheduler.js';
import { BullFollowUpScheduler } from '../../../src/store/bull-schedulers.js';
import { TimerFollowUpScheduler } from '../../../src/store/follow-up-queue.js';
import { createStoreKeys } from '../../../src/store/keys.js';
import { deleteRedisKeys, REDIS_URL, requireRedis, uniqueName } from '../../support/services.js';
import { eventually } from './follow-up-harness.js';

const FILE_PREFIX = `test:${uniqueName('follow_sched')}`;
let counter = 0;
const opened: FollowUpScheduler[] = [];

interface Harness {
  name: string;
  setup(): Promise<void>;
  /** A scheduler; `shared` names a deployment so a second one sees the first one's jobs. */
  open(shared?: string): FollowUpScheduler;
  teardown(): Promise<void>;
}

const harnesses: Harness[] = [
  {
    name: 'TimerFollowUpScheduler',
    setup: async () => undefined,
    open() {
      const scheduler = new TimerFollowUpScheduler({ retryDelayMs: 20 });
      opened.push(scheduler);
      return scheduler;
    },
    teardown: async () => undefined,
  },
  {
    name: 'BullFollowUpScheduler',
    setup: requireRedis,
    open(shared) {
      const keys = createStoreKeys(`${FILE_PREFIX}:${shared ?? `s${++counter}`}`);
      const scheduler = new BullFollowUpScheduler({ url: REDIS_URL, keys });
      opened.push(scheduler);
      return scheduler;
    },
    async teardown() {
      await deleteRedisKeys(`${FILE_PREFIX}:*`);
    },
  },
];

afterEach(async () => {
  for (const scheduler of opened.splice(0)) await scheduler.close();
});

function job(): FollowUpJob {
  return { escalationId: randomUUID(), urgency: 'medium', raisedAt: new Date().toISOString() };
}

for (const harness of harnesses) {
  describe(`${harness.name} (contract)`, () => {
    beforeAll(harness.setup);
    afterAll(harness.teardown);

    it('runs a job after its delay, with its data', async () => {
      const scheduler = harness.open();
      const ran: FollowUpJob[] = [];
      scheduler.start(async (due) => {
        ran.push(due);
      });
      const scheduled = job();
      await scheduler.schedule(scheduled, 200);
      await eventually(() => expect(ran).toEqual([scheduled]), 15_000);
    });

    it('runs the same job scheduled twice once', async () => {
      const scheduler = harness.open();
      const ran: FollowUpJob[] = [];
      const scheduled = job();
      await scheduler.schedule(scheduled, 100);
      await scheduler.schedule(scheduled, 100);
      scheduler.start(async (due) => {
        ran.push(due);
      });
      // A later job, to know the first one's turn has passed.
      const later = job();
      await scheduler.schedule(later, 600);
      await eventually(() => expect(ran).toContainEqual(later), 15_000);
      expect(ran.filter((due) => due.escalationId === scheduled.escalationId)).toHaveLength(1);
      // Scheduled again after it ran: still the same raise, still nothing more.
      await scheduler.schedule(scheduled, 0);
      const last = job();
      await scheduler.schedule(last, 300);
      await eventually(() => expect(ran).toContainEqual(last), 15_000);
      expect(ran.filter((due) => due.escalationId === scheduled.escalationId)).toHaveLength(1);
    });

    it('a job due before start() waits for it', async () => {
      const scheduler = harness.open();
      const scheduled = job();
      await scheduler.schedule(scheduled, 0);
      await sleep(300);
      const ran: FollowUpJob[] = [];
      scheduler.start(async (due) => {
        ran.push(due);
      });
      await eventually(() => expect(ran).toEqual([scheduled]), 15_000);
    });

    it('rejects scheduling after close', async () => {
      const scheduler = harness.open();
      await scheduler.close();
      await expect(scheduler.schedule(job(), 10)).rejects.toThrow(/closed/);
    });
  });
}

describe('TimerFollowUpScheduler', () => {
  it('retries a job whose handler failed', async () => {
    const scheduler = new TimerFollowUpScheduler({ retryDelayMs: 10 });
    opened.push(scheduler);
    let calls = 0;
    scheduler.start(async () => {
      calls += 1;
      if (calls < 3) throw new Error('database briefly down');
    });
    await scheduler.schedule(job(), 0);
    await eventually(() => expect(calls).toBe(3));
  });

  it('close() drops pending jobs: nothing runs afterwards', async () => {
    const scheduler = new TimerFollowUpScheduler();
    let calls = 0;
    scheduler.start(async () => {
      calls += 1;
    });
    await scheduler.schedule(job(), 100);
    await scheduler.close();
    await sleep(300);
    expect(calls).toBe(0);
  });
});

describe('BullFollowUpScheduler', () => {
  beforeAll(requireRedis);
  // Runs after the harness suites' own teardown, so its keys need removing here.
  afterAll(() => deleteRedisKeys(`${FILE_PREFIX}:*`));

  it('keeps a delayed job across a restart: the next scheduler on the prefix runs it', async () => {
    const deployment = `restart${randomUUID().slice(0, 8)}`;
    const before = harnesses[1]?.open(deployment);
    if (!before) throw new Error('no Bull harness');
    const scheduled = job();
    await before.schedule(scheduled, 300);
    await before.close();

    const after = harnesses[1]?.open(deployment);
    const ran: FollowUpJob[] = [];
    after?.start(async (due) => {
      ran.push(due);
    });
    await eventually(() => expect(ran).toEqual([scheduled]), 15_000);
  });
});
