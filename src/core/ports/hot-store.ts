import type { Locale } from '../locale.js';
import type { RenderedReply } from '../messages.js';

/** One conversation's hot state: the persisted statechart snapshot and what the pipeline needs around it. */
export interface ConversationRecord {
  /** Version of the statechart the snapshot was made by; see statecharts/conversation.ts. */
  machineVersion: number;
  /** XState persisted snapshot (plain JSON). */
  snapshot: unknown;
  /** The language this conversation is being held in. */
  locale: Locale | null;
  /** ISO time of the last inbound message; inactivity is judged from it on load. */
  lastActivityAt: string;
  patientId: string | null;
  /**
   * The patient's saved language as of this conversation's last turn (the turn keeps it, so a
   * turn needs no database read for it). Absent in records written before it existed.
   */
  patientLocale?: Locale | null;
}

export interface StoredConversation extends ConversationRecord {
  /**
   * The committed revision: the database's, which the hot store caches. A turn commits only
   * when the revision it started from is still the database's (see Records.conversations).
   */
  rev: number;
}

export interface RateLimitResult {
  allowed: boolean;
  /** Messages counted in the current window, this one included. */
  count: number;
}

/** One counter a message is counted against (its sender, its client address). */
export interface RateLimitRule {
  key: string;
  limit: number;
  windowSeconds: number;
}

export interface BeginTurnRequest {
  conversationKey: string;
  /** The inbound message; null for a staff event, which is never a redelivery and is never rate-limited. */
  messageId: string | null;
  /** Unique to this attempt: only its holder can renew or release the lock. */
  lockToken: string;
  /** The lock lapses this long after taking or renewing it (its process died or froze). */
  leaseMs: number;
  /** Counted once per message; pass none when retrying after `busy`. */
  rateLimits: RateLimitRule[];
}

export type BeginTurnResult =
  /** The message was answered before: these are the replies it got. Nothing was locked or counted. */
  | { status: 'answered'; replies: RenderedReply[] }
  /** Counted, and over the limit of `rateLimits[index]`. Nothing was locked. */
  | { status: 'rate_limited'; index: number; count: number }
  /** Counted; another turn of this conversation holds the lock. */
  | { status: 'busy' }
  /** Counted and locked; the cached state (null when there is none). */
  | { status: 'acquired'; conversation: StoredConversation | null };

export interface EndTurnRequest {
  conversationKey: string;
  lockToken: string;
  /** The committed state; cached unless a newer revision is cached already. */
  conversation: StoredConversation;
  /** The message answered, and its replies, remembered for redeliveries. */
  answered: { messageId: string; replies: RenderedReply[] } | null;
}

/**
 * Hot, short-lived state shared by the pipeline. Redis in production, in-memory on the
 * embedded default. Keys are built by src/store/keys.ts only. The database is the system of
 * record for every conversation; this store caches it, locks it and counts messages.
 */
export interface HotStore {
  /**
   * One round trip at the start of a turn: was this message answered already; count it
   * against the rate limits; take the conversation's lock; read its cached state.
   */
  beginTurn(request: BeginTurnRequest): Promise<BeginTurnResult>;
  /** After the turn's commit: cache the state, remember the answer, release the lock. */
  endTurn(request: EndTurnRequest): Promise<void>;
  /** Extends the lock while a slow turn runs; false when it is no longer ours. */
  renewTurn(conversationKey: string, lockToken: string, leaseMs: number): Promise<boolean>;
  /** Releases the lock if it is still ours (a turn that committed nothing). */
  releaseTurn(conversationKey: string, lockToken: string): Promise<void>;
  /** Replaces the cached state when `conversation.rev` is newer than what is cached. */
  cacheConversation(conversationKey: string, conversation: StoredConversation): Promise<void>;
  getConversation(conversationKey: string): Promise<StoredConversation | null>;
  deleteConversation(conversationKey: string): Promise<void>;
  /** Counts one attempt against one limit (e.g. staff sign-ins per email). */
  consumeRateLimit(senderKey: string, limit: number, windowSeconds: number): Promise<RateLimitResult>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
