import { readFileSync } from 'node:fs';
import { Redis, type RedisOptions, type Result } from 'ioredis';
import type {
  BeginTurnRequest,
  BeginTurnResult,
  EndTurnRequest,
  HotStore,
  RateLimitResult,
  StoredConversation,
} from '../core/ports/hot-store.js';
import { decodeReplies, decodeStoredConversation, encodeConversationRecord, encodeReplies } from './conversation-codec.js';
import type { StoreKeys } from './keys.js';

/**
 * The HotStore on Redis: the production store, shared by every process of the app.
 * The only module of the app that imports ioredis (with the live events and the queues).
 */

type BeginTurnReply = [string, ...(string | number | null)[]];

// The scripts are registered with defineCommand (EVALSHA, falling back to EVAL); this tells
// TypeScript about the commands they add. See the header of each .lua file for KEYS/ARGV.
declare module 'ioredis' {
  interface RedisCommander<Context> {
    cabBeginTurn(numberOfKeys: number, ...keysAndArgs: (string | number)[]): Result<BeginTurnReply, Context>;
    cabEndTurn(...keysAndArgs: (string | number)[]): Result<number, Context>;
    cabCacheConversation(key: string, rev: number, recordJson: string, ttlSeconds: number): Result<number, Context>;
    cabRenewTurn(lockKey: string, token: string, leaseMs: number): Result<number, Context>;
    cabReleaseTurn(lockKey: string, token: string): Result<number, Context>;
    cabConsumeRateLimit(key: string, windowSeconds: number): Result<number, Context>;
  }
}

const lua = (name: string): string => readFileSync(new URL(`./lua/${name}.lua`, import.meta.url), 'utf8');

const DEFAULT_PING_TIMEOUT_MS = 2_000;

export interface RedisHotStoreSettings {
  keys: StoreKeys;
  /** Lifetime of a conversation's cached state after its last turn. */
  conversationTtlSeconds: number;
  /** How long a message's replies are remembered for its redeliveries. */
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
    this.client.defineCommand('cabBeginTurn', { lua: lua('begin-turn') });
    this.client.defineCommand('cabEndTurn', { numberOfKeys: 3, lua: lua('end-turn') });
    this.client.defineCommand('cabCacheConversation', { numberOfKeys: 1, lua: lua('cache-conversation') });
    this.client.defineCommand('cabRenewTurn', { numberOfKeys: 1, lua: lua('renew-turn') });
    this.client.defineCommand('cabReleaseTurn', { numberOfKeys: 1, lua: lua('release-turn') });
    this.client.defineCommand('cabConsumeRateLimit', { numberOfKeys: 1, lua: lua('consume-rate-limit') });
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

  async beginTurn(request: BeginTurnRequest): Promise<BeginTurnResult> {
    this.assertOpen();
    requirePositiveInteger('leaseMs', request.leaseMs);
    const { conversationKey, messageId } = request;
    const keys = [
      this.keys.conversation(conversationKey),
      this.keys.lock(conversationKey),
      // Never read for a staff event, but the script takes a key in this position.
      messageId === null ? this.keys.lock(conversationKey) : this.keys.answered(conversationKey, messageId),
      ...request.rateLimits.map((rule) => this.keys.rateLimit(rule.key)),
    ];
    const args = [
      request.lockToken,
      request.leaseMs,
      messageId === null ? '0' : '1',
      ...request.rateLimits.flatMap((rule) => [rule.limit, requirePositiveInteger('windowSeconds', rule.windowSeconds)]),
    ];
    const reply = await this.client.cabBeginTurn(keys.length, ...keys, ...args);
    switch (reply[0]) {
      case 'answered':
        return { status: 'answered', replies: decodeReplies(String(reply[1])) };
      case 'rate_limited':
        return { status: 'rate_limited', index: Number(reply[1]) - 1, count: Number(reply[2]) };
      case 'busy':
        return { status: 'busy' };
      default: {
        const [, rev, record] = reply;
        const conversation = rev == null || record == null ? null : decodeStoredConversation(rev, String(record));
        return { status: 'acquired', conversation };
      }
    }
  }

  async endTurn(request: EndTurnRequest): Promise<void> {
    this.assertOpen();
    const { conversationKey, conversation, answered } = request;
    await this.client.cabEndTurn(
      this.keys.conversation(conversationKey),
      this.keys.lock(conversationKey),
      answered ? this.keys.answered(conversationKey, answered.messageId) : this.keys.lock(conversationKey),
      request.lockToken,
      conversation.rev,
      encodeConversationRecord(conversation),
      this.conversationTtlSeconds,
      answered ? encodeReplies(answered.replies) : '',
      this.seenTtlSeconds,
    );
  }

  async renewTurn(conversationKey: string, lockToken: string, leaseMs: number): Promise<boolean> {
    this.assertOpen();
    return (await this.client.cabRenewTurn(this.keys.lock(conversationKey), lockToken, leaseMs)) === 1;
  }

  async releaseTurn(conversationKey: string, lockToken: string): Promise<void> {
    this.assertOpen();
    await this.client.cabReleaseTurn(this.keys.lock(conversationKey), lockToken);
  }

  async cacheConversation(conversationKey: string, conversation: StoredConversation): Promise<void> {
    this.assertOpen();
    await this.client.cabCacheConversation(
      this.keys.conversation(conversationKey),
      requirePositiveInteger('rev', conversation.rev),
      encodeConversationRecord(conversation),
      this.conversationTtlSeconds,
    );
  }

  async getConversation(conversationKey: string): Promise<StoredConversation | null> {
    this.assertOpen();
    const [rev, recordJson] = await this.client.hmget(this.keys.conversation(conversationKey), 'rev', 'record');
    if (rev == null && recordJson == null) return null;
    return decodeStoredConversation(rev ?? '', recordJson ?? '');
  }

  async deleteConversation(conversationKey: string): Promise<void> {
    this.assertOpen();
    await this.client.del(this.keys.conversation(conversationKey));
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
