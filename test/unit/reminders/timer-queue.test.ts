/**
 * The embedded default's reminder timers (TimerReminderScheduler) on a fake clock: a job runs
 * once however often it is scheduled, a removed job never runs, and a job weeks ahead — longer
 * than one setTimeout can wait — still runs at its time and not before.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ReminderJob } from '../../../src/core/ports/reminders.js';
import { TimerReminderScheduler } from '../../../src/store/reminder-queue.js';

const DAY = 86_400_000;

function job(appointmentId: string): ReminderJob {
  return { appointmentId, offsetMinutes: 1440, startsAt: '2031-01-15T10:00:00.000Z', timeSetAt: '2031-01-01T10:00:00.000Z' };
}

describe('TimerReminderScheduler', () => {
  let scheduler: TimerReminderScheduler;
  let ran: string[];

  beforeEach(() => {
    vi.useFakeTimers();
    ran = [];
    scheduler = new TimerReminderScheduler();
    scheduler.start(async (due) => {
      ran.push(due.appointmentId);
    });
  });

  afterEach(async () => {
    await scheduler.close();
    vi.useRealTimers();
  });

  it('runs a job scheduled twice once', async () => {
    await scheduler.schedule(job('a'), 1_000);
    await scheduler.schedule(job('a'), 5_000);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(ran).toEqual(['a']);
    await scheduler.schedule(job('a'), 0);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(ran).toEqual(['a']);
  });

  it('never runs a removed job, and runs the others', async () => {
    await scheduler.schedule(job('kept'), 1_000);
    await scheduler.schedule(job('removed'), 1_000);
    await scheduler.remove(job('removed'));
    await vi.advanceTimersByTimeAsync(2_000);
    expect(ran).toEqual(['kept']);
  });

  it('waits out a delay longer than setTimeout allows (30 days) and runs then', async () => {
    await scheduler.schedule(job('far'), 30 * DAY);
    await vi.advanceTimersByTimeAsync(25 * DAY);
    expect(ran).toEqual([]);
    await vi.advanceTimersByTimeAsync(5 * DAY - 1_000);
    expect(ran).toEqual([]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(ran).toEqual(['far']);
  });
});
