/**
 * The two FollowUpScheduler implementations: BullMQ delayed jobs on Redis (shared by every
 * process, they survive a restart) and an in-process timer for the embedded default.
 */
import { Queue, Worker } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import { z } from 'zod';
import {
  followUpJobId,
  type FollowUpHandler,
  type FollowUpJob,
  type FollowUpScheduler,
} from '../core/ports/follow-up-scheduler.js';
import type { StoreKeys } from './keys.js';

const followUpJobSchema = z.object({
  escalationId: z.string().min(1),
  urgency: z.enum(['urgent', 'high', 'medium', 'low']),
  raisedAt: z.iso.datetime({ offset: true }),
});

const QUEUE_NAME = 'follow-ups';
const ATTEMPTS = 5;
const RETRY_DELAY_MS = 5_000;
/** Finished jobs are kept this long so a second schedule of the same raise stays a no-op. */
const KEEP_FINISHED_SECONDS = 7 * 86_400;

export interface BullFollowUpSchedulerOptions {
  url: string;
  keys: StoreKeys;
  redisOptions?: RedisOptions;
  onError?: (error: Error) => void;
  /** A job failed (after retries, or with data that is not a follow-up). */
  onJobFailure?: (error: unknown, jobId: string | undefined) => void;
}

export class BullFollowUpScheduler implements FollowUpScheduler {
  private readonly queueClient: Redis;
  private readonly queue: Queue;
  private worker: Worker | null = null;
  private workerClient: Redis | null = null;
  private closed = false;

  constructor(private readonly options: BullFollowUpSchedulerOptions) {
    // BullMQ wants maxRetriesPerRequest: null on its connections (it retries itself).
    this.queueClient = this.connect();
    this.queue = new Queue(QUEUE_NAME, { connection: this.queueClient, prefix: options.keys.bullPrefix() });
    if (options.onError) this.queue.on('error', options.onError);
  }

  async schedule(job: FollowUpJob, delayMs: number): Promise<void> {
    if (this.closed) throw new Error('follow-up scheduler is closed');
    await this.queue.add('follow-up', job, {
      jobId: followUpJobId(job),
      delay: Math.max(0, Math.round(delayMs)),
      attempts: ATTEMPTS,
      backoff: { type: 'exponential', delay: RETRY_DELAY_MS },
      removeOnComplete: { age: KEEP_FINISHED_SECONDS },
      removeOnFail: { age: KEEP_FINISHED_SECONDS },
    });
  }

  start(handler: FollowUpHandler): void {
    if (this.worker || this.closed) return;
    this.workerClient = this.connect();
    this.worker = new Worker(
      QUEUE_NAME,
      async (job) => {
        const parsed = followUpJobSchema.safeParse(job.data);
        // Retrying cannot fix the data: report it and let the job end.
        if (!parsed.success) {
          this.options.onJobFailure?.(new Error(`not a follow-up job: ${parsed.error.issues[0]?.message ?? 'invalid'}`), job.id);
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

export interface TimerFollowUpSchedulerOptions {
  onJobFailure?: (error: unknown, jobId: string) => void;
  /** Wait before retrying a job whose handler failed (default 5 s). */
  retryDelayMs?: number;
}

/** Ids remembered after firing so a second schedule of the same raise is a no-op. */
const REMEMBERED_IDS = 10_000;

/**
 * Follow-ups on timers inside this process (no Redis). A restart forgets them: the embedded
 * default serves one process on one machine, where that is the accepted trade-off.
 */
export class TimerFollowUpScheduler implements FollowUpScheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly done = new Set<string>();
  private readonly due: { id: string; job: FollowUpJob; attempt: number }[] = [];
  private readonly running = new Set<Promise<void>>();
  private handler: FollowUpHandler | null = null;
  private closed = false;

  constructor(private readonly options: TimerFollowUpSchedulerOptions = {}) {}

  async schedule(job: FollowUpJob, delayMs: number): Promise<void> {
    if (this.closed) throw new Error('follow-up scheduler is closed');
    const id = followUpJobId(job);
    if (this.timers.has(id) || this.done.has(id)) return;
    this.arm(id, job, 1, delayMs);
  }

  start(handler: FollowUpHandler): void {
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

  private arm(id: string, job: FollowUpJob, attempt: number, delayMs: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(id);
      if (this.handler) this.fire(id, job, attempt);
      else this.due.push({ id, job, attempt });
    }, Math.max(0, delayMs));
    // A pending follow-up must not keep a finished process (a test, the terminal chat) alive.
    timer.unref();
    this.timers.set(id, timer);
  }

  private fire(id: string, job: FollowUpJob, attempt: number): void {
    const handler = this.handler;
    if (!handler || this.closed) return;
    const run = handler(job).then(
      () => this.remember(id),
      (error: unknown) => {
        this.options.onJobFailure?.(error, id);
        if (attempt < ATTEMPTS && !this.closed) this.arm(id, job, attempt + 1, (this.options.retryDelayMs ?? RETRY_DELAY_MS) * attempt);
        else this.remember(id);
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
