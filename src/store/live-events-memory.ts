import type { LiveEvent, LiveEvents } from '../core/ports/live-events.js';

/** Where a listener's failure is reported; it never reaches the publisher. */
export type ListenerFailureSink = (error: unknown) => void;

/**
 * Live events within one process: the embedded default (no REDIS_URL). Listeners are called
 * on a later tick, as with Redis, so a publisher never runs its own listeners re-entrantly.
 */
export class MemoryLiveEvents implements LiveEvents {
  private readonly listeners = new Set<(event: LiveEvent) => void>();
  private closed = false;

  constructor(private readonly onListenerFailure: ListenerFailureSink = () => undefined) {}

  async publish(event: LiveEvent): Promise<void> {
    if (this.closed) throw new Error('MemoryLiveEvents is closed');
    // A copy, like a payload through Redis: a listener cannot change what another one sees.
    const payload = JSON.stringify(event);
    await Promise.resolve();
    for (const listener of [...this.listeners]) deliver(listener, JSON.parse(payload) as LiveEvent, this.onListenerFailure);
  }

  subscribe(listener: (event: LiveEvent) => void): () => void {
    const own = (event: LiveEvent): void => listener(event);
    this.listeners.add(own);
    return () => {
      this.listeners.delete(own);
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
  }
}

export function deliver(listener: (event: LiveEvent) => void, event: LiveEvent, onFailure: ListenerFailureSink): void {
  try {
    listener(event);
  } catch (error) {
    onFailure(error);
  }
}
