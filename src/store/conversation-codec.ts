import { z } from 'zod';
import { AppError } from '../core/errors.js';
import { SUPPORTED_LOCALES } from '../core/locale.js';
import type { ConversationRecord, StoredConversation } from '../core/ports/hot-store.js';

/**
 * How both hot stores turn a ConversationRecord into text and back. The in-memory store keeps
 * the same JSON text Redis would, so a snapshot that does not survive JSON fails the same way
 * in both, and a caller mutating a record after saving it cannot change what was stored.
 */

const recordSchema = z.object({
  machineVersion: z.number().int(),
  snapshot: z.unknown(),
  locale: z.enum(SUPPORTED_LOCALES).nullable(),
  lastActivityAt: z.string(),
  patientId: z.string().nullable(),
});

const revSchema = z.coerce.number().int().positive();

/** What a hot store read back is not a conversation record (corrupt, or written by something else). */
export class HotStoreDataError extends AppError {
  constructor(cause: unknown) {
    // The conversation key can hold a phone number, so it stays out of the message.
    super('hot_store_data_invalid', 'A stored conversation could not be read', { cause });
  }
}

export function encodeConversationRecord(record: ConversationRecord): string {
  // Only the record's own fields: a StoredConversation passed back in must not persist its rev.
  const { machineVersion, snapshot, locale, lastActivityAt, patientId } = record;
  return JSON.stringify({ machineVersion, snapshot, locale, lastActivityAt, patientId });
}

export function decodeStoredConversation(rev: string | number, json: string): StoredConversation {
  try {
    const record: ConversationRecord = recordSchema.parse(JSON.parse(json));
    return { ...record, rev: revSchema.parse(rev) };
  } catch (error) {
    throw new HotStoreDataError(error);
  }
}
