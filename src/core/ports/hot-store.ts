import type { Locale } from '../locale.js';

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
}

export interface StoredConversation extends ConversationRecord {
  /** Bumped on every save; a save naming an old rev is refused (two turns raced). */
  rev: number;
}

export interface RateLimitResult {
  allowed: boolean;
  /** Messages counted in the current window, this one included. */
  count: number;
}

/**
 * Hot, short-lived state shared by the pipeline. Redis in production, in-memory on the
 * embedded default. Keys are built by src/store/keys.ts only.
 */
export interface HotStore {
  getConversation(conversationKey: string): Promise<StoredConversation | null>;
  /**
   * Saves when the stored rev equals expectedRev (null: nothing stored yet).
   * Returns the new rev, or null when another turn saved first.
   */
  saveConversation(
    conversationKey: string,
    record: ConversationRecord,
    expectedRev: number | null,
  ): Promise<number | null>;
  deleteConversation(conversationKey: string): Promise<void>;
  /** True the first time (channel, messageId) is seen within the de-duplication window. */
  markSeen(channel: string, messageId: string): Promise<boolean>;
  /** Counts one message for the sender in a fixed window. */
  consumeRateLimit(senderKey: string, limit: number, windowSeconds: number): Promise<RateLimitResult>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
