/** src/db/queries — the transcript (table `messages`). */
import { isLocale } from '../../core/locale.js';
import type { ChannelName } from '../../core/messages.js';
import type {
  MessageDirection,
  StoredTranscriptEntry,
  TranscriptEntry,
  TranscriptRepository,
} from '../../core/ports/records.js';
import type { SqlExecutor } from '../database.js';
import type { QueryScope } from './scope.js';

interface MessageRow {
  id: string;
  patient_id: string;
  channel: ChannelName;
  conversation_id: string;
  direction: MessageDirection;
  author: TranscriptEntry['author'];
  author_name: string | null;
  text: string;
  locale: string | null;
  message_id: string | null;
  created_at: Date;
}

const COLUMNS_PER_ROW = 10;
/** Rows per INSERT, well under PostgreSQL's 65,535 bind parameters. */
const BATCH = 500;

function toEntry(row: MessageRow): StoredTranscriptEntry {
  return {
    id: row.id,
    patientId: row.patient_id,
    channel: row.channel,
    conversationId: row.conversation_id,
    direction: row.direction,
    author: row.author,
    authorName: row.author_name,
    text: row.text,
    locale: isLocale(row.locale) ? row.locale : null,
    messageId: row.message_id,
    at: row.created_at,
  };
}

async function insertBatch(sql: SqlExecutor, entries: TranscriptEntry[]): Promise<void> {
  const params: unknown[] = [];
  const tuples = entries.map((entry, index) => {
    params.push(
      entry.patientId,
      entry.channel,
      entry.conversationId,
      entry.direction,
      entry.author,
      entry.authorName ?? null,
      entry.text,
      entry.locale,
      entry.messageId,
      entry.at,
    );
    const base = index * COLUMNS_PER_ROW;
    const slots = Array.from({ length: COLUMNS_PER_ROW }, (_, column) => `$${base + column + 1}`);
    return `(${slots.join(', ')}::timestamptz)`;
  });
  // A message already stored (same channel message id) is skipped, so a retried turn
  // does not duplicate the transcript.
  await sql.query(
    `insert into messages
       (patient_id, channel, conversation_id, direction, author, author_name, text, locale, message_id, created_at)
     values ${tuples.join(', ')}
     on conflict (channel, conversation_id, direction, message_id) where message_id is not null
     do nothing`,
    params,
  );
}

export function transcriptRepository(scope: QueryScope): TranscriptRepository {
  return {
    /** Entries keep their order: the one given first gets the lower id. */
    async append(entries) {
      if (entries.length <= BATCH) {
        if (entries.length > 0) await insertBatch(scope.sql, entries);
        return;
      }
      await scope.atomic(async (sql) => {
        for (let start = 0; start < entries.length; start += BATCH) {
          await insertBatch(sql, entries.slice(start, start + BATCH));
        }
      });
    },

    /** Oldest first; rows with one timestamp in the order they were appended. */
    async listForConversation(channel, conversationId) {
      const rows = await scope.sql.query<MessageRow>(
        // Order by m.id, the bigint: a bare `id` would mean the text output column.
        `select m.id::text as id, m.patient_id, m.channel, m.conversation_id, m.direction, m.author,
                m.author_name, m.text, m.locale, m.message_id, m.created_at
           from messages m
          where m.channel = $1 and m.conversation_id = $2
          order by m.created_at, m.id`,
        [channel, conversationId],
      );
      return rows.map(toEntry);
    },
  };
}
