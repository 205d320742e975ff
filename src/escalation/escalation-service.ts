import type { Clinic } from '../config/catalog-schema.js';
import type { ChannelName } from '../core/messages.js';
import type { LiveEvents } from '../core/ports/live-events.js';
import type { Escalation, Urgency } from '../core/ports/records.js';
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
      const records = await work.writer();
      const { escalation, change } = await records.escalations.openOrRaise(request);
      work.audit({
        actorType: 'bot',
        actorId: 'assistant',
        action: change === 'opened' ? 'escalation.opened' : 'escalation.repeated',
        patientId: request.patientId,
        details: { escalationId: escalation.id, urgency: request.urgency, reason: request.reason },
      });
      if (change !== 'unchanged') work.afterCommit(() => announce(escalation));
      return { escalationId: escalation.id, waitMinutes: displayedWaitMinutes(clinic.escalation.waitMinutes[escalation.urgency]) };
    },
  };
}
