/**
 * Follow-ups as delayed jobs: what a follow-up job is, and its in-process timer scheduler for the
 * embedded default (the BullMQ one, on Redis, is in bull-schedulers.ts).
 */
import { z } from 'zod';
import { followUpJobId, type FollowUpJob, type FollowUpScheduler } from '../core/ports/follow-up-scheduler.js';
import { TimerDelayedJobs, type JobKind, type TimerDelayedJobsOptions } from './delayed-jobs.js';

export const FOLLOW_UPS: JobKind<FollowUpJob> = {
  queueName: 'follow-ups',
  label: 'a follow-up',
  schema: z.object({
    escalationId: z.string().min(1),
    urgency: z.enum(['urgent', 'high', 'medium', 'low']),
    raisedAt: z.iso.datetime({ offset: true }),
  }),
  jobId: followUpJobId,
};


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
