import type { Clinic } from '../config/catalog-schema.js';
import type { ChannelName } from '../core/messages.js';
import type { Records, Urgency } from '../core/ports/records.js';

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

export function createEscalationService(deps: { clinic: Clinic; records: Records }): EscalationService {
  return {
    async raise(request) {
      const waitMinutes = deps.clinic.escalation.waitMinutes[request.urgency];
      return deps.records.transaction(async (tx) => {
        const open = await tx.escalations.findOpenForConversation(request.channel, request.conversationId);
        if (open) await tx.escalations.raiseUrgency(open.id, request.urgency, request.reason);
        const escalation = open ?? (await tx.escalations.create(request));
        await tx.audit.record({
          actorType: 'bot',
          actorId: 'assistant',
          action: open ? 'escalation.repeated' : 'escalation.opened',
          patientId: request.patientId,
          details: { escalationId: escalation.id, urgency: request.urgency, reason: request.reason },
        });
        return { escalationId: escalation.id, waitMinutes };
      });
    },
  };
}
