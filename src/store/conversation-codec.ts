import { AppError } from '../core/errors.js';
import { parseConversationRecord, parseReplies, recordFields, revSchema } from '../core/conversation-record.js';
import type { RenderedReply } from '../core/messages.js';
import type { ConversationRecord, StoredConversation } from '../core/ports/hot-store.js';

/**
 * How both hot stores turn a ConversationRecord into text and back. The in-memory store keeps
 * the same JSON text Redis would, so a snapshot that does not survive JSON fails the same way
 * in both, and a caller mutating a record after saving it cannot change what was stored.
 */

/** What a hot store read back is not a conversation record (corrupt, or written by something else). */
export class HotStoreDataError extends AppError {
  constructor(cause: unknown) {
    // The conversation key can hold a phone number, so it stays out of the message.
    super('hot_store_data_invalid', 'A stored conversation could not be read', { cause });
  }
}

export function encodeConversationRecord(record: ConversationRecord): string {
  return JSON.stringify(recordFields(record));
}

export function decodeStoredConversation(rev: string | number, json: string): StoredConversation {
  try {
    return { ...parseConversationRecord(JSON.parse(json)), rev: revSchema.parse(rev) };
  } catch (error) {
    throw new HotStoreDataError(error);
  }
}

/** The replies a message got, as remembered for its redeliveries. */
export function encodeReplies(replies: RenderedReply[]): string {
  return JSON.stringify(replies);
}

export function decodeReplies(json: string): RenderedReply[] {
  try {
    return parseReplies(JSON.parse(json));
  } catch (error) {
    throw new HotStoreDataError(error);
  }
}
