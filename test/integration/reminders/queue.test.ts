/**
 * The ReminderScheduler on both implementations — BullMQ on the real Redis (own key prefix) and
 * the in-process timers: a job scheduled twice runs once, a removed job never runs, and a job
 * that ran out of attempts (the database was down when it fell due) runs again when the
 * reconciliation schedules it again.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { ReminderHandler, ReminderJob, ReminderScheduler } from '../../../src/core/ports/reminders.js';
import { createStoreKeys } from '../../../src/store/keys.js';
import { BullReminderScheduler } from '../../../src/store/bull-schedulers.js';
import { TimerReminderScheduler } from '../../../src/store/reminder-queue.js';
import { deleteRedisKeys, REDIS_URL, requireRedis, uniqueName } from '../../support/services.js';
import { eventually } from './harness.js';

const PREFIX = `test:${uniqueName('reminder_queue')}`;
let counter = 0;
const opened: ReminderScheduler[] = [];

const implementations: { name: string; open(): Promise<ReminderScheduler> }[] = [
  { name: 'timers', open: async () => new TimerReminderScheduler({ retryDelayMs: 10 }) },
  {
    name: 'BullMQ',
    async open() {
      await requireRedis();
      return new BullReminderScheduler({ url: REDIS_URL, keys: createStoreKeys(`${PREFIX}:${++counter}`), attempts: 2, retryDelayMs: 10 });
    },
  },
];

function job(appointmentId: string): ReminderJob {
  return { appointmentId, offsetMinutes: 1440, startsAt: '2031-01-15T10:00:00.000Z', timeSetAt: '2031-01-01T10:00:00.000Z' };
}

afterEach(async () => {
  for (const scheduler of opened.splice(0)) await scheduler.close();
});

afterAll(async () => {
  await deleteRedisKeys(`${PREFIX}:*`);
});

describe.each(implementations)('reminder jobs on $name', (implementation) => {
  async function started(handler: ReminderHandler): Promise<ReminderScheduler> {
    const scheduler = await implementation.open();
    opened.push(scheduler);
    scheduler.start(handler);
    return scheduler;
  }

  it('runs a job scheduled twice once, and never a removed one', async () => {
    const ran: string[] = [];
    const scheduler = await started(async (due) => void ran.push(due.appointmentId));
    await scheduler.schedule(job('removed'), 300);
    await scheduler.schedule(job('twice'), 50);
    await scheduler.schedule(job('twice'), 50);
    await scheduler.remove(job('removed'));
    await eventually(() => expect(ran).toEqual(['twice']));
    await scheduler.schedule(job('after'), 400);
    await eventually(() => expect(ran).toEqual(['twice', 'after']));
  });

  it('runs a job that failed for good again when it is scheduled again', async () => {
    let down = true;
    const ran: string[] = [];
    let failures = 0;
    const scheduler = await started(async (due) => {
      if (down) {
        failures += 1;
        throw new Error('the database is down');
      }
      ran.push(due.appointmentId);
    });
    await scheduler.schedule(job('outage'), 0);
    await eventually(() => expect(failures).toBeGreaterThanOrEqual(2));
    // Give a last retry time to happen if one were still coming: none is.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const gaveUpAfter = failures;
    down = false;
    await scheduler.schedule(job('outage'), 0);
    await eventually(() => expect(ran).toEqual(['outage']));
    expect(failures).toBe(gaveUpAfter);
  });
});
