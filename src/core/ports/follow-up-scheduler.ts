import type { Urgency } from './records.js';

/**
 * One reminder that an escalation may still be waiting: "if nobody has claimed it by then,
 * tell the patient and raise it again". The job names the raise it belongs to, so a job that
 * fires twice, or fires after the escalation was raised again by other means, does nothing.
 */
export interface FollowUpJob {
  escalationId: string;
  /** The urgency the escalation had when this follow-up was scheduled. */
  urgency: Urgency;
  /** ISO time of the raise this follow-up belongs to (the escalation's raisedAt). */
  raisedAt: string;
}

export type FollowUpHandler = (job: FollowUpJob) => Promise<void>;

/**
 * Delayed follow-up jobs: BullMQ on Redis (they survive a restart) or an in-process timer on
 * the embedded default. Scheduling the same job twice schedules it once.
 */
export interface FollowUpScheduler {
  schedule(job: FollowUpJob, delayMs: number): Promise<void>;
  /** Starts running due jobs with `handler`; before this, due jobs wait. */
  start(handler: FollowUpHandler): void;
  close(): Promise<void>;
}

/** The id that makes a follow-up idempotent: one per escalation and raise. No ":" (BullMQ refuses it). */
export function followUpJobId(job: FollowUpJob): string {
  return `followup-${job.escalationId}-${Date.parse(job.raisedAt)}-${job.urgency}`;
}
