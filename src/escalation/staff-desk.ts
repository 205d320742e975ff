/**
 * src/escalation — the staff desk: what clinic staff do with escalations (the queue, reading
 * a transcript, claim, reply, resolve), each audited with who did it to which patient.
 *
 * Room: domain. It sees the system of record, live events, outbound delivery and the
 * conversation's statechart only through ports; HTTP, cookies and roles-as-routes live in
 * src/staff.
 */
import { randomUUID } from 'node:crypto';
import type { Locale } from '../core/locale.js';
import type { ConversationKey } from '../core/messages.js';
import type { ConversationControl } from '../core/ports/conversation-control.js';
import type { LiveEvents, OutboxWaker } from '../core/ports/live-events.js';
import type {
  ActiveEscalation,
  Escalation,
  EscalationChange,
  Patient,
  Records,
  StaffUser,
  StoredTranscriptEntry,
} from '../core/ports/records.js';
import { urgencyRank } from '../core/urgency.js';

/** Long enough for any front-desk answer; one chat bubble, not a document. */
export const MAX_STAFF_REPLY_LENGTH = 2000;

export type StaffMember = Pick<StaffUser, 'id' | 'displayName' | 'role'>;

export interface QueueEntry {
  escalation: ActiveEscalation;
  waitingSince: Date;
  waitingMinutes: number;
}

export interface EscalationView {
  escalation: Escalation;
  claimedBy: Pick<StaffUser, 'id' | 'displayName'> | null;
  patient: Patient | null;
  transcript: StoredTranscriptEntry[];
}

export interface DeliveredReply {
  text: string;
  locale: Locale;
  at: Date;
}

/**
 * not_found: no such escalation. already_claimed: someone else has it. not_claimer: only the
 * staff member who claimed it may do this. closed: it is resolved already.
 */
export type DeskRefusal = 'not_found' | 'already_claimed' | 'not_claimer' | 'closed';

export type DeskResult<T> =
  | { ok: true; value: T }
  | { ok: false; refusal: DeskRefusal; escalation?: Escalation };

export interface StaffDesk {
  /** Open and claimed escalations, most urgent first, then the longest waiting. */
  queue(): Promise<QueueEntry[]>;
  view(escalationId: string, staff: StaffMember): Promise<DeskResult<EscalationView>>;
  claim(escalationId: string, staff: StaffMember): Promise<DeskResult<Escalation>>;
  reply(escalationId: string, staff: StaffMember, text: string): Promise<DeskResult<DeliveredReply>>;
  /** Hands the conversation back to the bot (idle). The claimer, or an admin for any. */
  resolve(escalationId: string, staff: StaffMember): Promise<DeskResult<Escalation>>;
}

export interface StaffDeskDeps {
  records: Records;
  liveEvents: LiveEvents;
  /** Staff replies are recorded in the outbox with the transcript line; this delivers them at once. */
  outbox: OutboxWaker;
  conversationControl: ConversationControl;
  /** The language of a staff reply when the conversation has none on record. */
  defaultLocale: Locale;
  now: () => Date;
}

export function compareQueueEntries(a: QueueEntry, b: QueueEntry): number {
  return (
    urgencyRank(b.escalation.urgency) - urgencyRank(a.escalation.urgency) ||
    a.waitingSince.getTime() - b.waitingSince.getTime() ||
    a.escalation.id.localeCompare(b.escalation.id)
  );
}

/** Whole minutes from `since` to `now`, never negative (clocks of two machines may differ). */
export function minutesWaiting(since: Date, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - since.getTime()) / 60_000));
}

function conversationOf(escalation: Escalation): ConversationKey {
  return { channel: escalation.channel, conversationId: escalation.conversationId };
}

/** This staff member claimed it already (a repeated click). */
function isMine(change: EscalationChange, staff: StaffMember): change is Extract<EscalationChange, { outcome: 'conflict' }> {
  return change.outcome === 'conflict' && change.escalation.status === 'claimed' && change.escalation.claimedBy === staff.id;
}

function refused<T>(refusal: DeskRefusal, escalation?: Escalation): DeskResult<T> {
  return escalation ? { ok: false, refusal, escalation } : { ok: false, refusal };
}

/** Why a claim/resolve changed nothing, from the escalation as it is now. */
function refusalOf<T>(change: Exclude<EscalationChange, { outcome: 'changed' }>): DeskResult<T> {
  if (change.outcome === 'not_found') return refused('not_found');
  const { escalation } = change;
  if (escalation.status === 'resolved') return refused('closed', escalation);
  if (escalation.status === 'claimed') return refused('already_claimed', escalation);
  return refused('not_claimer', escalation);
}

export function createStaffDesk(deps: StaffDeskDeps): StaffDesk {
  const { records, liveEvents, now } = deps;

  function audit(staff: StaffMember, action: string, escalation: Escalation, details: Record<string, unknown> = {}) {
    return {
      actorType: 'staff' as const,
      actorId: staff.id,
      action,
      patientId: escalation.patientId,
      details: { escalationId: escalation.id, ...details },
    };
  }

  /** The conversation's language: its newest line that has one, else the patient's choice. */
  async function replyLocale(escalation: Escalation): Promise<Locale> {
    const transcript = await records.transcripts.listForConversation(escalation.channel, escalation.conversationId);
    const newest = transcript.findLast((entry) => entry.locale !== null)?.locale;
    if (newest) return newest;
    const patient = await records.patients.findById(escalation.patientId);
    return patient?.preferredLocale ?? deps.defaultLocale;
  }

  async function announceChange(escalation: Escalation): Promise<void> {
    await liveEvents.publish({ type: 'escalation.changed', escalationId: escalation.id });
  }

  return {
    async queue() {
      const at = now();
      const entries = (await records.escalations.listActive()).map((escalation) => ({
        escalation,
        waitingSince: escalation.raisedAt,
        waitingMinutes: minutesWaiting(escalation.raisedAt, at),
      }));
      return entries.sort(compareQueueEntries);
    },

    async view(escalationId, staff) {
      const escalation = await records.escalations.findById(escalationId);
      if (!escalation) return refused('not_found');
      const [patient, transcript, claimer] = await Promise.all([
        records.patients.findById(escalation.patientId),
        records.transcripts.listForConversation(escalation.channel, escalation.conversationId),
        escalation.claimedBy ? records.staff.findById(escalation.claimedBy) : Promise.resolve(null),
      ]);
      await records.audit.record(audit(staff, 'transcript.viewed', escalation, { entries: transcript.length }));
      const claimedBy = claimer ? { id: claimer.id, displayName: claimer.displayName } : null;
      return { ok: true, value: { escalation, claimedBy, patient, transcript } };
    },

    async claim(escalationId, staff) {
      const escalation = await records.escalations.findById(escalationId);
      if (!escalation) return refused('not_found');
      const change = await deps.conversationControl.staffClaimed<EscalationChange>(conversationOf(escalation), async (tx) => {
        const result = await tx.escalations.claim(escalationId, staff.id);
        if (result.outcome === 'changed') {
          await tx.audit.record(audit(staff, 'escalation.claimed', result.escalation));
          return { apply: true, value: result };
        }
        // A repeated click, or a retry after telling the conversation failed: tell it again
        // (the statechart takes a second STAFF_CLAIMED as a no-op), but audit the claim once.
        return { apply: isMine(result, staff), value: result };
      });
      if (change.outcome === 'changed') {
        await announceChange(change.escalation);
        return { ok: true, value: change.escalation };
      }
      if (isMine(change, staff)) return { ok: true, value: change.escalation };
      return refusalOf(change);
    },

    async reply(escalationId, staff, text) {
      if (text.trim().length === 0 || text.length > MAX_STAFF_REPLY_LENGTH) {
        throw new RangeError(`a staff reply must have 1 to ${MAX_STAFF_REPLY_LENGTH} characters`);
      }
      const escalation = await records.escalations.findById(escalationId);
      if (!escalation) return refused('not_found');
      if (escalation.status === 'resolved') return refused('closed', escalation);
      if (escalation.status !== 'claimed' || escalation.claimedBy !== staff.id) return refused('not_claimer', escalation);

      const locale = await replyLocale(escalation);
      const at = now();
      const conversation = conversationOf(escalation);
      const deliveryId = randomUUID();
      // The transcript line, the audit row and the delivery are recorded together: the outbox
      // delivers the reply (with retries) once this commits. `at` is the transcript line's time
      // too: a page that missed it live and fetches it later shows it once.
      await records.transaction(async (tx) => {
        await tx.transcripts.append([
          { patientId: escalation.patientId, ...conversation, direction: 'out', author: 'staff', authorName: staff.displayName, text, locale, messageId: null, at },
        ]);
        await tx.audit.record(audit(staff, 'staff.replied', escalation, { length: text.length }));
        await tx.outbox.add([
          {
            deliveryId,
            conversation,
            patientId: escalation.patientId,
            message: { deliveryId, author: 'staff', authorName: staff.displayName, replies: [{ text, locale }], at: at.toISOString() },
          },
        ]);
      });
      deps.outbox.wake(conversation.channel);
      await liveEvents.publish({
        type: 'conversation.message',
        ...conversation,
        entry: { author: 'staff', authorName: staff.displayName, text, locale, at: at.toISOString() },
      });
      return { ok: true, value: { text, locale, at } };
    },

    async resolve(escalationId, staff) {
      const escalation = await records.escalations.findById(escalationId);
      if (!escalation) return refused('not_found');
      const change = await deps.conversationControl.staffResolved<EscalationChange>(conversationOf(escalation), async (tx) => {
        const result = await tx.escalations.resolve(escalationId, { staffId: staff.id, anyClaim: staff.role === 'admin' });
        if (result.outcome === 'changed') await tx.audit.record(audit(staff, 'escalation.resolved', result.escalation));
        return { apply: result.outcome === 'changed', value: result };
      });
      if (change.outcome !== 'changed') {
        return change.outcome === 'conflict' && change.escalation.status === 'claimed'
          ? refused('not_claimer', change.escalation)
          : refusalOf(change);
      }
      await announceChange(change.escalation);
      return { ok: true, value: change.escalation };
    },
  };
}
