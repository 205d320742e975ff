import type { LeaseGrant, Leases } from '../core/ports/leases.js';

interface Held {
  holder: string;
  fence: number;
  expiresAt: number;
}

/**
 * Leases within one process (no REDIS_URL): the one process owns everything, but the same
 * rules hold, so the code above it runs unchanged. Fences follow the clock, so they keep
 * growing across restarts, as the database's stored fence expects.
 */
export class MemoryLeases implements Leases {
  private readonly held = new Map<string, Held>();
  private lastFence = 0;

  constructor(private readonly now: () => number = Date.now) {}

  async acquire(name: string, holder: string, ttlMs: number): Promise<LeaseGrant | null> {
    const current = this.current(name);
    if (current && current.holder !== holder) return null;
    if (current) {
      current.expiresAt = this.now() + ttlMs;
      return { fence: current.fence };
    }
    // Microseconds of the clock, like the Redis leases: fences stay far below 2^53.
    this.lastFence = Math.max(this.lastFence + 1, this.now() * 1000);
    this.held.set(name, { holder, fence: this.lastFence, expiresAt: this.now() + ttlMs });
    return { fence: this.lastFence };
  }

  async renew(name: string, holder: string, fence: number, ttlMs: number): Promise<boolean> {
    const current = this.current(name);
    if (!current || current.holder !== holder || current.fence !== fence) return false;
    current.expiresAt = this.now() + ttlMs;
    return true;
  }

  async release(name: string, holder: string, fence: number): Promise<void> {
    const current = this.current(name);
    if (current && current.holder === holder && current.fence === fence) this.held.delete(name);
  }

  async holder(name: string): Promise<string | null> {
    return this.current(name)?.holder ?? null;
  }

  private current(name: string): Held | undefined {
    const held = this.held.get(name);
    if (held && held.expiresAt <= this.now()) {
      this.held.delete(name);
      return undefined;
    }
    return held;
  }
}
