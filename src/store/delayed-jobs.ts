/**
 * Delayed jobs with a deterministic id, in two implementations: BullMQ on Redis (shared by every
 * process, they survive a restart) and in-process timers for the embedded default. Follow-ups
 * (follow-up-queue.ts) and reminders (reminder-queue.ts) are queues of this kind: scheduling a
 * job whose id exists already is a no-op, a failing handler is retried a few times, data that
 * is not a job of the queue is reported and dropped.
 */
import { Queue, Worker } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import type { z } from 'zod';
import type { StoreKeys } from './keys.js';

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

const ATTEMPTS = 5;
const RETRY_DELAY_MS = 5_000;
/** Finished jobs are kept this long so a second schedule of the same job stays a no-op. */
const KEEP_FINISHED_SECONDS = 7 * 86_400;

export interface BullDelayedJobsOptions {
  url: string;
  keys: StoreKeys;
  redisOptions?: RedisOptions;
  onError?: (error: Error) => void;
  /** A job failed (after retries, or with data that is not a job of this queue). */
  onJobFailure?: (error: unknown, jobId: string | undefined) => void;
  /** Attempts per job (default 5) and the first back-off between them (default 5 s, doubling). */
  attempts?: number;
  retryDelayMs?: number;
}

export class BullDelayedJobs<J> {
  private readonly queueClient: Redis;
  private readonly queue: Queue;
  private worker: Worker | null = null;
  private workerClient: Redis | null = null;
  private closed = false;

  constructor(
    private readonly options: BullDelayedJobsOptions,
    private readonly kind: JobKind<J>,
  ) {
    // BullMQ wants maxRetriesPerRequest: null on its connections (it retries itself).
    this.queueClient = this.connect();
    this.queue = new Queue(kind.queueName, { connection: this.queueClient, prefix: options.keys.bullPrefix() });
    if (options.onError) this.queue.on('error', options.onError);
  }

  async schedule(job: J, delayMs: number): Promise<void> {
    if (this.closed) throw new Error(`${this.kind.queueName} queue is closed`);
    const added = await this.queue.add(this.kind.queueName, job, {
      jobId: this.kind.jobId(job),
      delay: Math.max(0, Math.round(delayMs)),
      attempts: this.options.attempts ?? ATTEMPTS,
      backoff: { type: 'exponential', delay: this.options.retryDelayMs ?? RETRY_DELAY_MS },
      removeOnComplete: { age: KEEP_FINISHED_SECONDS },
      removeOnFail: { age: KEEP_FINISHED_SECONDS },
    });
    // An id that exists already is not added again; one that failed for good may be run again.
    if (this.kind.reviveFailed && (await added.getState()) === 'failed') await added.retry('failed');
  }

  /** Removes a job that has not started (one being run now is left to finish). */
  async remove(job: J): Promise<void> {
    if (this.closed) return;
    await this.queue.remove(this.kind.jobId(job));
  }

  start(handler: (job: J) => Promise<void>): void {
    if (this.worker || this.closed) return;
    this.workerClient = this.connect();
    this.worker = new Worker(
      this.kind.queueName,
      async (job) => {
        const parsed = this.kind.schema.safeParse(job.data);
        // Retrying cannot fix the data: report it and let the job end.
        if (!parsed.success) {
          this.options.onJobFailure?.(new Error(`not ${this.kind.label} job: ${parsed.error.issues[0]?.message ?? 'invalid'}`), job.id);
          return;
        }
        await handler(parsed.data);
      },
      { connection: this.workerClient, prefix: this.options.keys.bullPrefix(), concurrency: 4 },
    );
    const { onError, onJobFailure } = this.options;
    if (onError) this.worker.on('error', onError);
    this.worker.on('failed', (job, error) => onJobFailure?.(error, job?.id));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const clients = [this.workerClient, this.queueClient].filter((client): client is Redis => client !== null);
    // The worker finishes the job in hand; delayed jobs stay in Redis for the next start. With
    // Redis unreachable a graceful close would wait for a connection that never comes.
    const redisDown = clients.some((client) => client.status !== 'ready');
    await this.worker?.close(redisDown);
    await this.queue.close();
    await Promise.all(clients.map(quit));
  }

  private connect(): Redis {
    const client = new Redis(this.options.url, { ...this.options.redisOptions, maxRetriesPerRequest: null });
    if (this.options.onError) client.on('error', this.options.onError);
    return client;
  }
}

async function quit(client: Redis): Promise<void> {
  if (client.status === 'ready') await client.quit().catch(() => client.disconnect());
  else client.disconnect();
}

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
