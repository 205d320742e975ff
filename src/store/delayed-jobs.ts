/**
 * Delayed jobs with a deterministic id, in two implementations: BullMQ on Redis (shared by every
 * process, they survive a restart; bull-delayed-jobs.ts, loaded only with Redis) and in-process
 * timers for the embedded default (here). Follow-ups
 * (follow-up-queue.ts) and reminders (reminder-queue.ts) are queues of this kind: scheduling a
 * job whose id exists already is a no-op, a failing handler is retried a few times, data that
 * is not a job of the queue is reported and dropped.
 */
import type { z } from 'zod';

/** What one kind of job is: its queue, how its data is checked, and its idempotent id. */
export interface JobKind<J> {
  queueName: string;
  /** Says what the job is in failure reports ("a follow-up"). */
  label: string;
  schema: z.ZodType<J>;
  jobId: (job: J) => string;
  /**
   * Scheduling a job that ran out of attempts runs it again (reminders: a database outage at
   * the due time must not lose the reminder; the next reconciliation revives it).
   */
  reviveFailed?: boolean;
}

export const ATTEMPTS = 5;
export const RETRY_DELAY_MS = 5_000;
/** Finished jobs are kept this long so a second schedule of the same job stays a no-op. */
export const KEEP_FINISHED_SECONDS = 7 * 86_400;

export interface TimerDelayedJobsOptions {
  onJobFailure?: (error: unknown, jobId: string) => void;
  /** Wait before retrying a job whose handler failed (default 5 s). */
  retryDelayMs?: number;
}

/** Ids remembered after firing so a second schedule of the same job is a no-op. */
const REMEMBERED_IDS = 10_000;
/** setTimeout's longest delay (about 24.8 days); longer waits are armed in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Jobs on timers inside this process (no Redis). A restart forgets them: the embedded default
 * serves one process on one machine, where that is the accepted trade-off (reminders are
 * scheduled again by their reconciliation at start-up).
 */
export class TimerDelayedJobs<J> {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly done = new Set<string>();
  private readonly due: { id: string; job: J; attempt: number }[] = [];
  private readonly running = new Set<Promise<void>>();
  private handler: ((job: J) => Promise<void>) | null = null;
  private closed = false;

  constructor(
    private readonly kind: Pick<JobKind<J>, 'queueName' | 'jobId' | 'reviveFailed'>,
    private readonly options: TimerDelayedJobsOptions = {},
  ) {}

  async schedule(job: J, delayMs: number): Promise<void> {
    if (this.closed) throw new Error(`${this.kind.queueName} queue is closed`);
    const id = this.kind.jobId(job);
    if (this.timers.has(id) || this.done.has(id)) return;
    this.arm(id, job, 1, Date.now() + Math.max(0, delayMs));
  }

  async remove(job: J): Promise<void> {
    const id = this.kind.jobId(job);
    clearTimeout(this.timers.get(id));
    this.timers.delete(id);
    const waiting = this.due.findIndex((entry) => entry.id === id);
    if (waiting !== -1) this.due.splice(waiting, 1);
  }

  start(handler: (job: J) => Promise<void>): void {
    if (this.handler || this.closed) return;
    this.handler = handler;
    for (const waiting of this.due.splice(0)) this.fire(waiting.id, waiting.job, waiting.attempt);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.running]);
  }

  private arm(id: string, job: J, attempt: number, at: number): void {
    const wait = Math.max(0, at - Date.now());
    const timer = setTimeout(() => {
      this.timers.delete(id);
      if (wait > MAX_TIMER_MS) this.arm(id, job, attempt, at);
      else if (this.handler) this.fire(id, job, attempt);
      else this.due.push({ id, job, attempt });
    }, Math.min(wait, MAX_TIMER_MS));
    // A pending job must not keep a finished process (a test, the terminal chat) alive.
    timer.unref();
    this.timers.set(id, timer);
  }

  private fire(id: string, job: J, attempt: number): void {
    const handler = this.handler;
    if (!handler || this.closed) return;
    const run = handler(job).then(
      () => this.remember(id),
      (error: unknown) => {
        this.options.onJobFailure?.(error, id);
        if (attempt < ATTEMPTS && !this.closed) this.arm(id, job, attempt + 1, Date.now() + (this.options.retryDelayMs ?? RETRY_DELAY_MS) * attempt);
        // Given up: forgotten when it may be revived, so scheduling it again runs it again.
        else if (!this.kind.reviveFailed) this.remember(id);
      },
    );
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
  }

  private remember(id: string): void {
    this.done.add(id);
    if (this.done.size > REMEMBERED_IDS) {
      const oldest = this.done.values().next();
      if (!oldest.done) this.done.delete(oldest.value);
    }
  }
}
