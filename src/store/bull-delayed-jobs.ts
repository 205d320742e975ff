/**
 * Delayed jobs on BullMQ (see delayed-jobs.ts): shared by every process on one Redis, they
 * survive a restart. A module of its own so that BullMQ (some 30 MB of memory) loads only when
 * Redis is configured.
 */
import { Queue, Worker } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import { ATTEMPTS, KEEP_FINISHED_SECONDS, RETRY_DELAY_MS, type JobKind } from './delayed-jobs.js';
import type { StoreKeys } from './keys.js';

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
