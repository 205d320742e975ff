/**
 * The two FollowUpScheduler implementations: BullMQ delayed jobs on Redis (shared by every
 * process, they survive a restart) and an in-process timer for the embedded default.
 */
import { z } from 'zod';
import { followUpJobId, type FollowUpJob, type FollowUpScheduler } from '../core/ports/follow-up-scheduler.js';
import {
  BullDelayedJobs,
  TimerDelayedJobs,
  type BullDelayedJobsOptions,
  type JobKind,
  type TimerDelayedJobsOptions,
} from './delayed-jobs.js';

const FOLLOW_UPS: JobKind<FollowUpJob> = {
  queueName: 'follow-ups',
  label: 'a follow-up',
  schema: z.object({
    escalationId: z.string().min(1),
    urgency: z.enum(['urgent', 'high', 'medium', 'low']),
    raisedAt: z.iso.datetime({ offset: true }),
  }),
  jobId: followUpJobId,
};

export type BullFollowUpSchedulerOptions = BullDelayedJobsOptions;

export class BullFollowUpScheduler extends BullDelayedJobs<FollowUpJob> implements FollowUpScheduler {
  constructor(options: BullFollowUpSchedulerOptions) {
    super(options, FOLLOW_UPS);
  }
}

export type TimerFollowUpSchedulerOptions = TimerDelayedJobsOptions;

/**
 * Follow-ups on timers inside this process (no Redis). A restart forgets them: the embedded
 * default serves one process on one machine, where that is the accepted trade-off.
 */
export class TimerFollowUpScheduler extends TimerDelayedJobs<FollowUpJob> implements FollowUpScheduler {
  constructor(options: TimerFollowUpSchedulerOptions = {}) {
    super(FOLLOW_UPS, options);
  }
}
