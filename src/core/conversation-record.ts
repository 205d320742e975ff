/**
 * The shapes of a conversation's state and of a message's remembered replies, checked wherever
 * they are read back (the hot store's text, the database's JSON): something written by another
 * version, or by hand, must fail loudly rather than flow into a turn.
 */
import { z } from 'zod';
import { SUPPORTED_LOCALES } from './locale.js';
import type { RenderedReply } from './messages.js';
import type { ConversationRecord } from './ports/hot-store.js';

const recordSchema = z.object({
  machineVersion: z.number().int(),
  snapshot: z.unknown(),
  locale: z.enum(SUPPORTED_LOCALES).nullable(),
  lastActivityAt: z.string(),
  patientId: z.string().nullable(),
  patientLocale: z.enum(SUPPORTED_LOCALES).nullable().optional(),
});

const repliesSchema = z.array(
  z.object({
    text: z.string(),
    locale: z.enum(SUPPORTED_LOCALES),
    options: z.array(z.object({ id: z.string(), label: z.string() })).optional(),
  }),
);

export const revSchema = z.coerce.number().int().positive();

/** Throws a ZodError when `value` is not a conversation record. */
export function parseConversationRecord(value: unknown): ConversationRecord {
  return recordSchema.parse(value);
}

/** Throws a ZodError when `value` is not a list of rendered replies. */
export function parseReplies(value: unknown): RenderedReply[] {
  return repliesSchema.parse(value);
}

/** Only the record's own fields: a StoredConversation passed in must not carry its rev along. */
export function recordFields(record: ConversationRecord): ConversationRecord {
  const { machineVersion, snapshot, locale, lastActivityAt, patientId, patientLocale } = record;
  return { machineVersion, snapshot, locale, lastActivityAt, patientId, ...(patientLocale === undefined ? {} : { patientLocale }) };
}
