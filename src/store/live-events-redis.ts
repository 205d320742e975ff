import { Redis, type RedisOptions } from 'ioredis';
import type { LiveEvent, LiveEvents } from '../core/ports/live-events.js';
import { decodeLiveEvent, encodeLiveEvent } from './live-events-codec.js';
import { deliver } from './live-events-memory.js';
import type { StoreKeys } from './keys.js';

export interface RedisLiveEventsOptions {
  url: string;
  keys: StoreKeys;
  /** Passed to ioredis for both connections (timeouts, TLS, …). */
  redisOptions?: RedisOptions;
  /** Connection errors; ioredis retries on its own and resubscribes after a reconnect. */
  onError?: (error: Error) => void;
  /** A payload on the channel that is not a live event: dropped, reported here. */
  onMalformed?: (reason: string) => void;
  /** A listener threw; the other listeners still get the event. */
  onListenerFailure?: (error: unknown) => void;
}

/**
 * Live events over Redis pub/sub, so every process of the app sees them: one connection
 * publishes, a dedicated one subscribes (a subscribed connection can do nothing else).
 * Pub/sub is fire-and-forget: a process that is down or reconnecting misses what was
 * published meanwhile — fine for "refresh the queue" and for pushes the patient also finds
 * in the transcript, not a delivery guarantee.
 */
export class RedisLiveEvents implements LiveEvents {
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly channel: string;
  private readonly listeners = new Set<(event: LiveEvent) => void>();
  private readonly subscribed: Promise<void>;
  private closed = false;

  constructor(private readonly options: RedisLiveEventsOptions) {
    this.channel = options.keys.liveEvents();
    this.publisher = new Redis(options.url, options.redisOptions ?? {});
    // Unlike the publisher, the subscriber must wait through outages (never give up a
    // command) so that it resubscribes once Redis is back.
    this.subscriber = new Redis(options.url, { ...options.redisOptions, maxRetriesPerRequest: null });
    const onError = options.onError;
    if (onError) {
      this.publisher.on('error', onError);
      this.subscriber.on('error', onError);
    }
    this.subscriber.on('message', (channel: string, payload: string) => {
      if (channel === this.channel) this.receive(payload);
    });
    this.subscribed = this.subscriber.subscribe(this.channel).then(() => undefined);
    // ready() reports a failure; nobody may be awaiting it yet.
    this.subscribed.catch(() => undefined);
  }

  /** Resolves once this process is listening: events published after that reach it. */
  ready(): Promise<void> {
    return this.subscribed;
  }

  async publish(event: LiveEvent): Promise<void> {
    if (this.closed) throw new Error('RedisLiveEvents is closed');
    await this.publisher.publish(this.channel, encodeLiveEvent(event));
  }

  subscribe(listener: (event: LiveEvent) => void): () => void {
    const own = (event: LiveEvent): void => listener(event);
    this.listeners.add(own);
    return () => {
      this.listeners.delete(own);
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.listeners.clear();
    await Promise.all([quit(this.subscriber), quit(this.publisher)]);
  }

  private receive(payload: string): void {
    const decoded = decodeLiveEvent(payload);
    if (!decoded.ok) {
      this.options.onMalformed?.(decoded.reason);
      return;
    }
    const onFailure = this.options.onListenerFailure ?? (() => undefined);
    for (const listener of [...this.listeners]) deliver(listener, decoded.event, onFailure);
  }
}

/** QUIT when connected; otherwise drop the connection (QUIT would wait for a reconnect). */
async function quit(client: Redis): Promise<void> {
  if (client.status === 'ready') {
    await client.quit().catch(() => client.disconnect());
  } else {
    client.disconnect();
  }
}
