import { randomUUID } from 'node:crypto';
import type { Clinic } from '../config/catalog-schema.js';
import type { ChannelName } from '../core/messages.js';
import type { LiveEvents } from '../core/ports/live-events.js';
import type { Escalation, Urgency } from '../core/ports/records.js';
import { urgencyRank } from '../core/urgency.js';
import type { UnitOfWork } from '../core/ports/unit-of-work.js';
import { displayedWaitMinutes, type FollowUpLog, type FollowUps } from './follow-ups.js';

export interface EscalationRequest {
  patientId: string;
  channel: ChannelName;
  conversationId: string;
  urgency: Urgency;
  reason: string;
}

export interface EscalationService {
  /**
   * Opens the conversation's escalation (or raises the active one when this is more urgent)
   * within the turn, and says how long the patient should expect to wait.
   */
  raise(work: UnitOfWork, request: EscalationRequest): Promise<{ escalationId: string; waitMinutes: number }>;
}

export interface EscalationServiceDeps {
  clinic: Clinic;
  /** Staff consoles refresh their queue on `escalation.changed`. */
  liveEvents: LiveEvents;
  followUps: Pick<FollowUps, 'scheduleFor'>;
  log: FollowUpLog;
}

export function createEscalationService(deps: EscalationServiceDeps): EscalationService {
  const { clinic, log } = deps;

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
    async raise(work, request) {
      const active = await work.reader().escalations.findOpenForConversation(request.channel, request.conversationId);
      const raises = active !== null && urgencyRank(request.urgency) > urgencyRank(active.urgency);
      const urgency = active && !raises ? active.urgency : request.urgency;
      const id = active?.id ?? randomUUID();
      work.raiseEscalation({ id, patientId: request.patientId, urgency: request.urgency, reason: request.reason, expectedUrgency: urgency });
      work.audit({
        actorType: 'bot',
        actorId: 'assistant',
        action: active ? 'escalation.repeated' : 'escalation.opened',
        patientId: request.patientId,
        details: { escalationId: id, urgency: request.urgency, reason: request.reason },
      });
      if (!active || raises) {
        work.afterCommit(async ({ escalation }) => {
          if (escalation) await announce(escalation);
        });
      }
      return { escalationId: id, waitMinutes: displayedWaitMinutes(clinic.escalation.waitMinutes[urgency]) };
    },
  };
}
