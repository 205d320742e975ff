import { readFileSync } from 'node:fs';
import { Redis, type RedisOptions, type Result } from 'ioredis';
import type { ConversationRecord, HotStore, RateLimitResult, StoredConversation } from '../core/ports/hot-store.js';
import { decodeStoredConversation, encodeConversationRecord } from './conversation-codec.js';
import type { StoreKeys } from './keys.js';

/**
 * The HotStore on Redis: the production store, shared by every process of the app.
 * The only module of the app that imports ioredis.
 */

// The scripts are registered with defineCommand (EVALSHA, falling back to EVAL); this tells
// TypeScript about the commands they add. See the header of each .lua file for KEYS/ARGV.
declare module 'ioredis' {
  interface RedisCommander<Context> {
    cabSaveConversation(
      key: string,
      expectedRev: string,
      recordJson: string,
      ttlSeconds: number,
    ): Result<number | null, Context>;
    cabConsumeRateLimit(key: string, windowSeconds: number): Result<number, Context>;
  }
}

const SAVE_CONVERSATION_LUA = readFileSync(new URL('./lua/save-conversation.lua', import.meta.url), 'utf8');
const CONSUME_RATE_LIMIT_LUA = readFileSync(new URL('./lua/consume-rate-limit.lua', import.meta.url), 'utf8');

const DEFAULT_PING_TIMEOUT_MS = 2_000;

export interface RedisHotStoreSettings {
  keys: StoreKeys;
  /** Lifetime of a conversation's hot state after its last save. */
  conversationTtlSeconds: number;
  /** The de-duplication window of markSeen. */
  seenTtlSeconds: number;
  /** ping() rejects after this long without an answer (default 2000), so /readyz never hangs. */
  pingTimeoutMs?: number;
}

export interface RedisHotStoreOptions extends RedisHotStoreSettings {
  /** A client the caller owns: close() leaves it open. */
  client: Redis;
}

export interface RedisHotStoreConnectOptions extends RedisHotStoreSettings {
  /** Passed to ioredis as they are (timeouts, retry strategy, TLS, …). */
  redisOptions?: RedisOptions;
  /** Connection errors of the owned client; ioredis logs them itself when this is not given. */
  onError?: (error: Error) => void;
}

export class RedisHotStore implements HotStore {
  private readonly client: Redis;
  private readonly keys: StoreKeys;
  private readonly conversationTtlSeconds: number;
  private readonly seenTtlSeconds: number;
  private readonly pingTimeoutMs: number;
  /** Set only by connect(): the store made the client, so close() quits it. */
  private ownsClient = false;
  private closed = false;

  constructor(options: RedisHotStoreOptions) {
    this.client = options.client;
    this.keys = options.keys;
    this.conversationTtlSeconds = requirePositiveInteger('conversationTtlSeconds', options.conversationTtlSeconds);
    this.seenTtlSeconds = requirePositiveInteger('seenTtlSeconds', options.seenTtlSeconds);
    this.pingTimeoutMs = requirePositiveInteger('pingTimeoutMs', options.pingTimeoutMs ?? DEFAULT_PING_TIMEOUT_MS);
    this.client.defineCommand('cabSaveConversation', { numberOfKeys: 1, lua: SAVE_CONVERSATION_LUA });
    this.client.defineCommand('cabConsumeRateLimit', { numberOfKeys: 1, lua: CONSUME_RATE_LIMIT_LUA });
  }

  /**
   * A store with its own client for `url`; close() quits it. Returns at once: the client
   * connects (and reconnects) in the background, and ping() tells whether Redis answers.
   */
  static connect(url: string, options: RedisHotStoreConnectOptions): RedisHotStore {
    const { redisOptions, onError, ...settings } = options;
    const client = redisOptions ? new Redis(url, redisOptions) : new Redis(url);
    if (onError) client.on('error', onError);
    const store = new RedisHotStore({ ...settings, client });
    store.ownsClient = true;
    return store;
  }

  async getConversation(conversationKey: string): Promise<StoredConversation | null> {
    this.assertOpen();
    const [rev, recordJson] = await this.client.hmget(this.keys.conversation(conversationKey), 'rev', 'record');
    if (rev == null && recordJson == null) return null;
    return decodeStoredConversation(rev ?? '', recordJson ?? '');
  }

  async saveConversation(
    conversationKey: string,
    record: ConversationRecord,
    expectedRev: number | null,
  ): Promise<number | null> {
    this.assertOpen();
    if (expectedRev !== null) requirePositiveInteger('expectedRev', expectedRev);
    return this.client.cabSaveConversation(
      this.keys.conversation(conversationKey),
      expectedRev === null ? '' : String(expectedRev),
      encodeConversationRecord(record),
      this.conversationTtlSeconds,
    );
  }

  async deleteConversation(conversationKey: string): Promise<void> {
    this.assertOpen();
    await this.client.del(this.keys.conversation(conversationKey));
  }

  async markSeen(channel: string, messageId: string): Promise<boolean> {
    this.assertOpen();
    const reply = await this.client.set(this.keys.seen(channel, messageId), '1', 'EX', this.seenTtlSeconds, 'NX');
    return reply === 'OK';
  }

  async consumeRateLimit(senderKey: string, limit: number, windowSeconds: number): Promise<RateLimitResult> {
    this.assertOpen();
    if (!(limit >= 0)) throw new RangeError(`limit must be a number >= 0, got ${limit}`);
    requirePositiveInteger('windowSeconds', windowSeconds);
    const count = await this.client.cabConsumeRateLimit(this.keys.rateLimit(senderKey), windowSeconds);
    return { allowed: count <= limit, count };
  }

  async ping(): Promise<void> {
    this.assertOpen();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`Redis did not answer PING within ${this.pingTimeoutMs} ms`)),
        this.pingTimeoutMs,
      );
    });
    try {
      // race() handles a late rejection of the losing PING, so none goes unhandled.
      await Promise.race([this.client.ping(), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (!this.ownsClient) return;
    const { status } = this.client;
    if (status === 'end') return;
    if (status !== 'ready') {
      // Never connected, or reconnecting: nothing to say goodbye to.
      this.client.disconnect();
      return;
    }
    try {
      await this.client.quit();
    } catch {
      // The connection broke during QUIT: drop it without waiting, which is all close() needs.
      this.client.disconnect();
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('The Redis hot store is closed');
  }
}

function requirePositiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) {
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }
  return value;
}
