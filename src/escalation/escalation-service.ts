import type { Clinic } from '../config/catalog-schema.js';
import type { ChannelName } from '../core/messages.js';
import type { LiveEvents } from '../core/ports/live-events.js';
import type { Escalation, Records, Urgency } from '../core/ports/records.js';
import { displayedWaitMinutes, type FollowUpLog, type FollowUps } from './follow-ups.js';

export interface EscalationRequest {
  patientId: string;
  channel: ChannelName;
  conversationId: string;
  urgency: Urgency;
  reason: string;
}

export interface EscalationService {
  /** Opens an escalation (or returns the one already open) and says how long the patient should expect to wait. */
  raise(request: EscalationRequest): Promise<{ escalationId: string; waitMinutes: number }>;
}

export interface EscalationServiceDeps {
  clinic: Clinic;
  records: Records;
  /** Staff consoles refresh their queue on `escalation.changed`. */
  liveEvents: LiveEvents;
  followUps: Pick<FollowUps, 'scheduleFor'>;
  log: FollowUpLog;
}

const RANK: Record<Urgency, number> = { low: 0, medium: 1, high: 2, urgent: 3 };

export function createEscalationService(deps: EscalationServiceDeps): EscalationService {
  const { clinic, records, log } = deps;

  /** Opens one, or raises the open one when the new reason is more urgent; `changed` when either happened. */
  async function openOrRaise(request: EscalationRequest): Promise<{ escalation: Escalation; changed: boolean }> {
    return records.transaction(async (tx) => {
      const open = await tx.escalations.findOpenForConversation(request.channel, request.conversationId);
      const moreUrgent = open !== null && RANK[request.urgency] > RANK[open.urgency];
      let escalation: Escalation;
      if (!open) {
        escalation = await tx.escalations.create(request);
      } else if (moreUrgent) {
        await tx.escalations.raiseUrgency(open.id, request.urgency, request.reason);
        escalation = { ...open, urgency: request.urgency, reason: request.reason };
      } else {
        escalation = open;
      }
      await tx.audit.record({
        actorType: 'bot',
        actorId: 'assistant',
        action: open ? 'escalation.repeated' : 'escalation.opened',
        patientId: request.patientId,
        details: { escalationId: escalation.id, urgency: request.urgency, reason: request.reason },
      });
      return { escalation, changed: !open || moreUrgent };
    });
  }

  /** After the commit. Best effort: the escalation is in the queue whatever happens here. */
  async function announce(escalation: Escalation): Promise<void> {
    await deps.liveEvents
      .publish({ type: 'escalation.changed', escalationId: escalation.id })
      .catch((error: unknown) => log.warn({ err: error, escalationId: escalation.id }, 'escalation: live event not published'));
    // A claimed one is being handled: no follow-up until it is open again.
    if (escalation.status !== 'open') return;
    await deps.followUps
      .scheduleFor(escalation)
      .catch((error: unknown) => log.error({ err: error, escalationId: escalation.id }, 'escalation: follow-up not scheduled'));
  }

  return {
    async raise(request) {
      const { escalation, changed } = await openOrRaise(request);
      if (changed) await announce(escalation);
      return { escalationId: escalation.id, waitMinutes: displayedWaitMinutes(clinic.escalation.waitMinutes[escalation.urgency]) };
    },
  };
}
