/**
 * src/db/queries — conversations: their committed state (`conversation_states`), the answers
 * given to their messages (`inbox`), and committing a turn: one call of the `commit_turn`
 * function (migrations/003_exactly_once.sql), so one round trip and all or nothing.
 */
import { parseConversationRecord, parseReplies, recordFields } from '../../core/conversation-record.js';
import type { ConversationKey } from '../../core/messages.js';
import type { StoredConversation } from '../../core/ports/hot-store.js';
import type { ConversationRepository, Escalation, TurnCommit, TurnCommitOutcome, TurnConflict } from '../../core/ports/records.js';
import { SQLSTATE, sqlState } from '../sql-errors.js';
import { toEscalation, type EscalationRow } from './escalations.js';
import type { QueryScope } from './scope.js';

interface StateRow {
  rev: string | number;
  record: unknown;
}

function toStored(row: StateRow): StoredConversation {
  return { ...parseConversationRecord(row.record), rev: Number(row.rev) };
}

/** commit_turn's answer (jsonb). */
type CommitResult =
  | { outcome: 'answered'; replies: unknown }
  | { outcome: 'stale'; current: StateRow | null }
  | { outcome: 'committed'; rev: number; escalation: EscalationJson | null };

/** An escalations row as to_jsonb gives it: times as text. */
type EscalationJson = Omit<EscalationRow, 'created_at' | 'claimed_at' | 'resolved_at' | 'raised_at'> & {
  created_at: string;
  claimed_at: string | null;
  resolved_at: string | null;
  raised_at: string;
};

function escalationFromJson(row: EscalationJson): Escalation {
  const time = (value: string | null) => (value === null ? null : new Date(value));
  return toEscalation({
    ...row,
    created_at: new Date(row.created_at),
    claimed_at: time(row.claimed_at),
    resolved_at: time(row.resolved_at),
    raised_at: new Date(row.raised_at),
  });
}

/** What commit_turn raises when what the turn saw changed (see the migration). */
const APPOINTMENT_CHANGED = 'CAB01';
const ESCALATION_CHANGED = 'CAB02';

/** The turn as commit_turn reads it: one JSON document, so any number of rows costs one parameter. */
function payload(commit: TurnCommit): string {
  const { conversation, answered, preferredLocale } = commit;
  return JSON.stringify({
    channel: conversation.channel,
    conversationId: conversation.conversationId,
    expectedRev: commit.expectedRev,
    record: recordFields(commit.record),
    patientId: commit.record.patientId || null,
    at: commit.at.toISOString(),
    commitBy: commit.commitBy?.toISOString() ?? null,
    messageId: answered?.messageId ?? null,
    replies: answered?.replies ?? null,
    transcript: commit.transcript.map((entry) => ({
      patient_id: entry.patientId,
      direction: entry.direction,
      author: entry.author,
      author_name: entry.authorName ?? null,
      text: entry.text,
      locale: entry.locale,
      message_id: entry.messageId,
      at: entry.at.toISOString(),
    })),
    audit: commit.audit.map((entry) => ({
      actor_type: entry.actorType,
      actor_id: entry.actorId,
      action: entry.action,
      patient_id: entry.patientId,
      details: entry.details,
    })),
    outbox: commit.outbox.map((item) => ({
      delivery_id: item.deliveryId,
      channel: item.conversation.channel,
      conversation_id: item.conversation.conversationId,
      patient_id: item.patientId,
      message: item.message,
    })),
    appointments: commit.appointments.map((write) =>
      write.op === 'book'
        ? { op: 'book', ...write.appointment, startsAt: write.appointment.startsAt.toISOString(), endsAt: write.appointment.endsAt.toISOString() }
        : write.op === 'reschedule'
          ? { ...write, startsAt: write.startsAt.toISOString(), endsAt: write.endsAt.toISOString() }
          : write,
    ),
    escalation: commit.escalation,
    preferredLocale: preferredLocale?.locale ?? null,
    preferredLocalePatientId: preferredLocale?.patientId ?? null,
  });
}

/** A refusal of what the turn saw, or undefined for any other error. */
function conflictOf(error: unknown, commit: TurnCommit): TurnConflict | undefined {
  const state = sqlState(error);
  if (state === SQLSTATE.exclusionViolation) {
    const write = commit.appointments.find((w) => w.op !== 'cancel');
    if (write?.op === 'book') return { reason: 'slot_taken', doctorId: write.appointment.doctorId, startsAt: write.appointment.startsAt };
    if (write?.op === 'reschedule') return { reason: 'slot_taken', doctorId: write.doctorId, startsAt: write.startsAt };
  }
  if (state === APPOINTMENT_CHANGED) return { reason: 'appointment_changed' };
  if (state === ESCALATION_CHANGED) return { reason: 'escalation_changed' };
  return undefined;
}

export function conversationRepository(scope: QueryScope): ConversationRepository {
  async function load(conversation: ConversationKey): Promise<StoredConversation | null> {
    const [row] = await scope.sql.query<StateRow>(
      'select rev::text as rev, record from conversation_states where channel = $1 and conversation_id = $2',
      [conversation.channel, conversation.conversationId],
    );
    return row ? toStored(row) : null;
  }

  return {
    load,

    async findAnswer(conversation, messageId) {
      const [row] = await scope.sql.query<{ replies: unknown }>(
        'select replies from inbox where channel = $1 and conversation_id = $2 and message_id = $3',
        [conversation.channel, conversation.conversationId, messageId],
      );
      return row ? parseReplies(row.replies) : null;
    },

    async commitTurn(commit): Promise<TurnCommitOutcome> {
      let result: CommitResult;
      try {
        // Inside a transaction a refusal must not spoil it: the caller decides what to roll back.
        const [row] = await scope.guarded((sql) => sql.query<{ result: CommitResult }>('select commit_turn($1::text::jsonb) as result', [payload(commit)]));
        if (!row) throw new Error('commit_turn returned no row');
        result = row.result;
      } catch (error) {
        const conflict = conflictOf(error, commit);
        if (conflict) return { outcome: 'conflict', conflict };
        throw error;
      }
      switch (result.outcome) {
        case 'answered':
          return { outcome: 'answered', replies: parseReplies(result.replies) };
        case 'stale':
          return { outcome: 'stale', current: result.current ? toStored(result.current) : null };
        case 'committed': {
          const escalation: Escalation | null = result.escalation ? escalationFromJson(result.escalation) : null;
          return { outcome: 'committed', conversation: { ...recordFields(commit.record), rev: Number(result.rev) }, escalation };
        }
      }
    },
  };
}
