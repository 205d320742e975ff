import type { ConversationRecord, HotStore, RateLimitResult, StoredConversation } from '../core/ports/hot-store.js';
import { decodeStoredConversation, encodeConversationRecord } from './conversation-codec.js';

/**
 * The HotStore in process memory: the embedded default when there is no REDIS_URL. Serves one
 * process only. Behaves like RedisHotStore (same contract tests): records are kept as the same
 * JSON text, and every entry has a TTL. Expired entries are dropped when read, and a periodic
 * sweep (unref'd, so it never keeps the process alive) drops the ones nobody reads again.
 */

export interface MemoryHotStoreOptions {
  conversationTtlSeconds: number;
  seenTtlSeconds: number;
  /** Milliseconds since the epoch; tests inject a clock they can move. */
  now?: () => number;
  /** How often expired entries are swept (default 60 000 ms). */
  sweepIntervalMs?: number;
}

interface Expiring {
  expiresAt: number;
}

interface ConversationEntry extends Expiring {
  rev: number;
  recordJson: string;
}

interface CounterEntry extends Expiring {
  count: number;
}

const DEFAULT_SWEEP_INTERVAL_MS = 60_000;

export class MemoryHotStore implements HotStore {
  private readonly conversationTtlMs: number;
  private readonly seenTtlMs: number;
  private readonly now: () => number;
  private readonly conversations = new Map<string, ConversationEntry>();
  /** Keyed by channel and message id (JSON of the pair, so no separator can collide). */
  private readonly seen = new Map<string, Expiring>();
  private readonly rateLimits = new Map<string, CounterEntry>();
  private sweepTimer: NodeJS.Timeout | undefined;

  constructor(options: MemoryHotStoreOptions) {
    this.conversationTtlMs = requirePositiveInteger('conversationTtlSeconds', options.conversationTtlSeconds) * 1000;
    this.seenTtlMs = requirePositiveInteger('seenTtlSeconds', options.seenTtlSeconds) * 1000;
    this.now = options.now ?? Date.now;
    const sweepIntervalMs = requirePositiveInteger(
      'sweepIntervalMs',
      options.sweepIntervalMs ?? DEFAULT_SWEEP_INTERVAL_MS,
    );
    this.sweepTimer = setInterval(() => this.sweep(), sweepIntervalMs);
    this.sweepTimer.unref();
  }

  async getConversation(conversationKey: string): Promise<StoredConversation | null> {
    this.assertOpen();
    const entry = this.live(this.conversations, conversationKey);
    return entry ? decodeStoredConversation(entry.rev, entry.recordJson) : null;
  }

  async saveConversation(
    conversationKey: string,
    record: ConversationRecord,
    expectedRev: number | null,
  ): Promise<number | null> {
    this.assertOpen();
    if (expectedRev !== null) requirePositiveInteger('expectedRev', expectedRev);
    const recordJson = encodeConversationRecord(record);
    // From here to the set() there is no await: the check and the write are one step.
    const current = this.live(this.conversations, conversationKey);
    if ((current?.rev ?? null) !== expectedRev) return null;
    const rev = (current?.rev ?? 0) + 1;
    this.conversations.set(conversationKey, { rev, recordJson, expiresAt: this.now() + this.conversationTtlMs });
    return rev;
  }

  async deleteConversation(conversationKey: string): Promise<void> {
    this.assertOpen();
    this.conversations.delete(conversationKey);
  }

  async markSeen(channel: string, messageId: string): Promise<boolean> {
    this.assertOpen();
    const key = JSON.stringify([channel, messageId]);
    if (this.live(this.seen, key)) return false;
    this.seen.set(key, { expiresAt: this.now() + this.seenTtlMs });
    return true;
  }

  async consumeRateLimit(senderKey: string, limit: number, windowSeconds: number): Promise<RateLimitResult> {
    this.assertOpen();
    if (!(limit >= 0)) throw new RangeError(`limit must be a number >= 0, got ${limit}`);
    requirePositiveInteger('windowSeconds', windowSeconds);
    const current = this.live(this.rateLimits, senderKey);
    if (current) {
      current.count += 1;
      return { allowed: current.count <= limit, count: current.count };
    }
    this.rateLimits.set(senderKey, { count: 1, expiresAt: this.now() + windowSeconds * 1000 });
    return { allowed: 1 <= limit, count: 1 };
  }

  async ping(): Promise<void> {
    this.assertOpen();
  }

  async close(): Promise<void> {
    clearInterval(this.sweepTimer);
    this.sweepTimer = undefined;
    this.conversations.clear();
    this.seen.clear();
    this.rateLimits.clear();
  }

  /** Drops every expired entry; returns how many. Runs on the interval; public for tests. */
  sweep(): number {
    const now = this.now();
    let removed = 0;
    const maps: Map<string, Expiring>[] = [this.conversations, this.seen, this.rateLimits];
    for (const map of maps) {
      for (const [key, entry] of map) {
        if (entry.expiresAt <= now) {
          map.delete(key);
          removed += 1;
        }
      }
    }
    return removed;
  }

  /** Entries currently held, expired ones included until swept; for tests of the sweep. */
  get size(): number {
    return this.conversations.size + this.seen.size + this.rateLimits.size;
  }

  /** The entry when it has not expired; an expired one is dropped on the way. */
  private live<T extends Expiring>(map: Map<string, T>, key: string): T | undefined {
    const entry = map.get(key);
    if (entry && entry.expiresAt <= this.now()) {
      map.delete(key);
      return undefined;
    }
    return entry;
  }

  private assertOpen(): void {
    if (this.sweepTimer === undefined) throw new Error('The in-memory hot store is closed');
  }
}

function requirePositiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) {
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }
  return value;
}
