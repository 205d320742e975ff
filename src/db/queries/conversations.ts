/**
 * src/db/queries — conversations: their committed state (`conversation_states`), the answers
 * given to their messages (`inbox`), and the one statement that commits a turn.
 */
import { parseConversationRecord, parseReplies, recordFields } from '../../core/conversation-record.js';
import type { ConversationKey } from '../../core/messages.js';
import type { StoredConversation } from '../../core/ports/hot-store.js';
import type { ConversationRepository, TurnCommit } from '../../core/ports/records.js';
import type { QueryScope } from './scope.js';

interface StateRow {
  rev: string;
  record: unknown;
}

function toStored(row: StateRow): StoredConversation {
  return { ...parseConversationRecord(row.record), rev: Number(row.rev) };
}

/**
 * Everything a turn writes, in one statement (so one round trip, and atomic on its own). The
 * state is written only when the revision the turn started from is still the stored one and the
 * message has no answer yet; every other write hangs off that one (`from state`), so either all
 * of it happens or none of it does.
 */
const COMMIT_TURN = `
with state as (
  insert into conversation_states as s (channel, conversation_id, rev, record, patient_id, updated_at, commit_by)
  select $1::text, $2::text, coalesce($3::bigint, 0) + 1, $4::text::jsonb, $5::uuid, $6::timestamptz, $14::timestamptz
   where $7::text is null
      or not exists (select 1 from inbox i where i.channel = $1::text and i.conversation_id = $2::text and i.message_id = $7::text)
  on conflict (channel, conversation_id) do update
     set rev = excluded.rev,
         record = excluded.record,
         patient_id = coalesce(excluded.patient_id, s.patient_id),
         updated_at = excluded.updated_at,
         commit_by = excluded.commit_by
   where s.rev = excluded.rev - 1
  returning rev
), answered as (
  insert into inbox (channel, conversation_id, message_id, replies, created_at)
  select $1::text, $2::text, $7::text, $8::text::jsonb, $6::timestamptz from state where $7::text is not null
), lines as (
  insert into messages (patient_id, channel, conversation_id, direction, author, author_name, text, locale, message_id, created_at)
  select l.patient_id, l.channel, l.conversation_id, l.direction, l.author, l.author_name, l.text, l.locale, l.message_id, l.at
    from state, jsonb_to_recordset($9::text::jsonb) as l(
      patient_id uuid, channel text, conversation_id text, direction text, author text, author_name text,
      text text, locale text, message_id text, at timestamptz)
  on conflict (channel, conversation_id, direction, message_id) where message_id is not null do nothing
), audited as (
  insert into audit_log (actor_type, actor_id, action, patient_id, details, at)
  select a.actor_type, a.actor_id, a.action, a.patient_id, coalesce(a.details, '{}'::jsonb), $6::timestamptz
    from state, jsonb_to_recordset($10::text::jsonb) as a(actor_type text, actor_id text, action text, patient_id uuid, details jsonb)
), outgoing as (
  insert into outbox (delivery_id, channel, conversation_id, patient_id, message, created_at, next_attempt_at)
  select o.delivery_id, o.channel, o.conversation_id, o.patient_id, o.message, $6::timestamptz, $6::timestamptz
    from state, jsonb_to_recordset($11::text::jsonb) as o(delivery_id text, channel text, conversation_id text, patient_id uuid, message jsonb)
  on conflict (delivery_id) do nothing
), preference as (
  update patients p
     set preferred_locale = $13::text
    from state
   where p.id = $12::uuid and $13::text is not null and p.erased_at is null
     and p.preferred_locale is distinct from $13::text
)
select rev from state`;

function commitParams(commit: TurnCommit): unknown[] {
  const { conversation, answered } = commit;
  const transcript = commit.transcript.map((entry) => ({
    patient_id: entry.patientId,
    channel: entry.channel,
    conversation_id: entry.conversationId,
    direction: entry.direction,
    author: entry.author,
    author_name: entry.authorName ?? null,
    text: entry.text,
    locale: entry.locale,
    message_id: entry.messageId,
    at: entry.at.toISOString(),
  }));
  const audit = commit.audit.map((entry) => ({
    actor_type: entry.actorType,
    actor_id: entry.actorId,
    action: entry.action,
    patient_id: entry.patientId,
    details: entry.details,
  }));
  const outbox = commit.outbox.map((item) => ({
    delivery_id: item.deliveryId,
    channel: item.conversation.channel,
    conversation_id: item.conversation.conversationId,
    patient_id: item.patientId,
    message: item.message,
  }));
  return [
    conversation.channel,
    conversation.conversationId,
    commit.expectedRev,
    JSON.stringify(recordFields(commit.record)),
    commit.record.patientId || null,
    commit.at,
    answered?.messageId ?? null,
    answered ? JSON.stringify(answered.replies) : null,
    JSON.stringify(transcript),
    JSON.stringify(audit),
    JSON.stringify(outbox),
    commit.preferredLocale?.patientId ?? null,
    commit.preferredLocale?.locale ?? null,
    commit.commitBy,
  ];
}

export function conversationRepository(scope: QueryScope): ConversationRepository {
  async function load(conversation: ConversationKey): Promise<StoredConversation | null> {
    const [row] = await scope.sql.query<StateRow>(
      'select rev::text as rev, record from conversation_states where channel = $1 and conversation_id = $2',
      [conversation.channel, conversation.conversationId],
    );
    return row ? toStored(row) : null;
  }

  async function findAnswer(conversation: ConversationKey, messageId: string) {
    const [row] = await scope.sql.query<{ replies: unknown }>(
      'select replies from inbox where channel = $1 and conversation_id = $2 and message_id = $3',
      [conversation.channel, conversation.conversationId, messageId],
    );
    return row ? parseReplies(row.replies) : null;
  }

  return {
    load,
    findAnswer,
    async commitTurn(commit) {
      const [row] = await scope.sql.query<{ rev: string }>(COMMIT_TURN, commitParams(commit));
      if (row) return { outcome: 'committed', conversation: { ...recordFields(commit.record), rev: Number(row.rev) } };
      // Nothing was written: say why, from what is committed now.
      if (commit.answered) {
        const replies = await findAnswer(commit.conversation, commit.answered.messageId);
        if (replies) return { outcome: 'answered', replies };
      }
      return { outcome: 'stale', current: await load(commit.conversation) };
    },
  };
}
