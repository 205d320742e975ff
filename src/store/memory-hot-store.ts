import type {
  BeginTurnRequest,
  BeginTurnResult,
  EndTurnRequest,
  HotStore,
  RateLimitResult,
  StoredConversation,
} from '../core/ports/hot-store.js';
import { decodeReplies, decodeStoredConversation, encodeConversationRecord, encodeReplies } from './conversation-codec.js';

/**
 * The HotStore in process memory: the embedded default when there is no REDIS_URL. Serves one
 * process only. Behaves like RedisHotStore (same contract tests): records are kept as the same
 * JSON text, and every entry has a TTL. Expired entries are dropped when read, and a periodic
 * sweep (unref'd, so it never keeps the process alive) drops the ones nobody reads again.
 * No method awaits between its check and its write, so each is one atomic step, as a Redis
 * script is.
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

interface TextEntry extends Expiring {
  text: string;
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
  /** Keyed by conversation and message id (JSON of the pair, so no separator can collide). */
  private readonly answered = new Map<string, TextEntry>();
  private readonly locks = new Map<string, TextEntry>();
  private readonly rateLimits = new Map<string, CounterEntry>();
  private sweepTimer: NodeJS.Timeout | undefined;

  constructor(options: MemoryHotStoreOptions) {
    this.conversationTtlMs = requirePositiveInteger('conversationTtlSeconds', options.conversationTtlSeconds) * 1000;
    this.seenTtlMs = requirePositiveInteger('seenTtlSeconds', options.seenTtlSeconds) * 1000;
    this.now = options.now ?? Date.now;
    const sweepIntervalMs = requirePositiveInteger('sweepIntervalMs', options.sweepIntervalMs ?? DEFAULT_SWEEP_INTERVAL_MS);
    this.sweepTimer = setInterval(() => this.sweep(), sweepIntervalMs);
    this.sweepTimer.unref();
  }

  async beginTurn(request: BeginTurnRequest): Promise<BeginTurnResult> {
    this.assertOpen();
    requirePositiveInteger('leaseMs', request.leaseMs);
    const { conversationKey, messageId } = request;
    if (messageId !== null) {
      const answered = this.live(this.answered, answerKey(conversationKey, messageId));
      if (answered) return { status: 'answered', replies: decodeReplies(answered.text) };
    }
    let over: BeginTurnResult | null = null;
    request.rateLimits.forEach((rule, index) => {
      const { allowed, count } = this.count(rule.key, rule.limit, rule.windowSeconds);
      if (!allowed && over === null) over = { status: 'rate_limited', index, count };
    });
    if (over) return over;
    if (this.live(this.locks, conversationKey)) return { status: 'busy' };
    this.locks.set(conversationKey, { text: request.lockToken, expiresAt: this.now() + request.leaseMs });
    const entry = this.live(this.conversations, conversationKey);
    return { status: 'acquired', conversation: entry ? decodeStoredConversation(entry.rev, entry.recordJson) : null };
  }

  async endTurn(request: EndTurnRequest): Promise<void> {
    this.assertOpen();
    const { conversationKey, answered } = request;
    this.cache(conversationKey, request.conversation);
    const entry = this.conversations.get(conversationKey);
    if (entry) entry.expiresAt = this.now() + this.conversationTtlMs;
    if (answered) {
      this.answered.set(answerKey(conversationKey, answered.messageId), {
        text: encodeReplies(answered.replies),
        expiresAt: this.now() + this.seenTtlMs,
      });
    }
    this.releaseIfHeld(conversationKey, request.lockToken);
  }

  async renewTurn(conversationKey: string, lockToken: string, leaseMs: number): Promise<boolean> {
    this.assertOpen();
    const lock = this.live(this.locks, conversationKey);
    if (lock?.text !== lockToken) return false;
    lock.expiresAt = this.now() + requirePositiveInteger('leaseMs', leaseMs);
    return true;
  }

  async releaseTurn(conversationKey: string, lockToken: string): Promise<void> {
    this.assertOpen();
    this.releaseIfHeld(conversationKey, lockToken);
  }

  async cacheConversation(conversationKey: string, conversation: StoredConversation): Promise<void> {
    this.assertOpen();
    requirePositiveInteger('rev', conversation.rev);
    this.cache(conversationKey, conversation);
  }

  async getConversation(conversationKey: string): Promise<StoredConversation | null> {
    this.assertOpen();
    const entry = this.live(this.conversations, conversationKey);
    return entry ? decodeStoredConversation(entry.rev, entry.recordJson) : null;
  }

  async deleteConversation(conversationKey: string): Promise<void> {
    this.assertOpen();
    this.conversations.delete(conversationKey);
  }

  async consumeRateLimit(senderKey: string, limit: number, windowSeconds: number): Promise<RateLimitResult> {
    this.assertOpen();
    return this.count(senderKey, limit, windowSeconds);
  }

  async ping(): Promise<void> {
    this.assertOpen();
  }

  async close(): Promise<void> {
    clearInterval(this.sweepTimer);
    this.sweepTimer = undefined;
    for (const map of this.maps()) map.clear();
  }

  /** Drops every expired entry; returns how many. Runs on the interval; public for tests. */
  sweep(): number {
    const now = this.now();
    let removed = 0;
    for (const map of this.maps()) {
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
    return this.maps().reduce((total, map) => total + map.size, 0);
  }

  private maps(): Map<string, Expiring>[] {
    return [this.conversations, this.answered, this.locks, this.rateLimits];
  }

  /** Caches a newer revision only: the database is the record, the cache only moves forward. */
  private cache(conversationKey: string, conversation: StoredConversation): void {
    const current = this.live(this.conversations, conversationKey);
    if (current && current.rev >= conversation.rev) return;
    this.conversations.set(conversationKey, {
      rev: conversation.rev,
      recordJson: encodeConversationRecord(conversation),
      expiresAt: this.now() + this.conversationTtlMs,
    });
  }

  private count(key: string, limit: number, windowSeconds: number): RateLimitResult {
    if (!(limit >= 0)) throw new RangeError(`limit must be a number >= 0, got ${limit}`);
    requirePositiveInteger('windowSeconds', windowSeconds);
    const current = this.live(this.rateLimits, key);
    if (current) {
      current.count += 1;
      return { allowed: current.count <= limit, count: current.count };
    }
    this.rateLimits.set(key, { count: 1, expiresAt: this.now() + windowSeconds * 1000 });
    return { allowed: 1 <= limit, count: 1 };
  }

  private releaseIfHeld(conversationKey: string, lockToken: string): void {
    if (this.live(this.locks, conversationKey)?.text === lockToken) this.locks.delete(conversationKey);
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

function answerKey(conversationKey: string, messageId: string): string {
  return JSON.stringify([conversationKey, messageId]);
}

function requirePositiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) {
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }
  return value;
}
