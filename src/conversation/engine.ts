import { createActor, fromPromise, waitFor, type Snapshot } from 'xstate';
import {
  CONVERSATION_MACHINE_VERSION,
  conversationMachine,
  initialContext,
  type ConversationContext,
  type ConversationEvent,
} from '../../statecharts/conversation.js';
import type { BookingService } from '../booking/booking-service.js';
import type { EscalationService } from '../escalation/escalation-service.js';
import type { ChannelName, OutboundMessage } from '../core/messages.js';
import { AppError } from '../core/errors.js';
import { stateName } from './state-name.js';

export interface TurnIdentity {
  patientId: string;
  channel: ChannelName;
  conversationId: string;
}

export interface TurnResult {
  /** XState persisted snapshot, to be saved by the caller. */
  snapshot: unknown;
  outbox: OutboundMessage[];
  state: string;
  context: ConversationContext;
}

export interface ConversationView {
  state: string;
  context: ConversationContext;
}

export class TurnTimeoutError extends AppError {
  constructor(timeoutMs: number) {
    super('turn_timeout', `The turn did not settle within ${timeoutMs} ms`);
  }
}

export interface ConversationEngine {
  readonly machineVersion: number;
  /** Restore → send → await the actors → persist → stop. Throws on any actor failure. */
  runTurn(input: { identity: TurnIdentity; snapshot: unknown | null; events: ConversationEvent[]; timeoutMs: number }): Promise<TurnResult>;
  /** State and context of a persisted snapshot, or null when it cannot be restored by this machine. */
  inspect(snapshot: unknown): ConversationView | null;
}

/** Provides the chart's actor slots with the booking and escalation services for one patient. */
export function createConversationEngine(services: { booking: BookingService; escalation: EscalationService }): ConversationEngine {
  function machineFor(identity: TurnIdentity) {
    return conversationMachine.provide({
      actors: {
        findSlots: fromPromise(async ({ input }) => services.booking.findSlots(input)),
        bookSlot: fromPromise(async ({ input }) => services.booking.book(identity.patientId, input.slot)),
        rescheduleAppointment: fromPromise(async ({ input }) =>
          services.booking.reschedule(identity.patientId, input.appointmentId, input.slot),
        ),
        cancelAppointment: fromPromise(async ({ input }) => services.booking.cancel(identity.patientId, input.appointmentId)),
        listAppointments: fromPromise(async () => ({ appointments: await services.booking.listUpcoming(identity.patientId) })),
        escalate: fromPromise(async ({ input }) => {
          const { waitMinutes } = await services.escalation.raise({ ...identity, ...input });
          return { waitMinutes };
        }),
      },
    });
  }

  return {
    machineVersion: CONVERSATION_MACHINE_VERSION,

    async runTurn({ identity, snapshot, events, timeoutMs }) {
      const actor = createActor(machineFor(identity), snapshot ? { snapshot: snapshot as Snapshot<unknown> } : {});
      const outbox: OutboundMessage[] = [];
      actor.on('reply', (event) => outbox.push(event.message));
      let failure: unknown = null;
      actor.subscribe({ error: (error) => (failure = error) });
      actor.start();
      try {
        for (const event of events) {
          actor.send(event);
          await settle(actor, timeoutMs);
          if (failure) throw failure;
        }
        const current = actor.getSnapshot();
        if (current.status === 'error') throw current.error;
        return {
          snapshot: actor.getPersistedSnapshot(),
          outbox,
          state: stateName(current.value),
          context: current.context,
        };
      } finally {
        actor.stop();
      }
    },

    inspect(snapshot) {
      try {
        const resolved = conversationMachine.resolveState(snapshot as Parameters<typeof conversationMachine.resolveState>[0]);
        return { state: stateName(resolved.value), context: { ...initialContext(), ...resolved.context } };
      } catch {
        return null;
      }
    },
  };
}

async function settle(actor: ReturnType<typeof createActor<typeof conversationMachine>>, timeoutMs: number): Promise<void> {
  try {
    await waitFor(actor, (s) => s.status !== 'active' || !s.hasTag('busy'), { timeout: timeoutMs });
  } catch (error) {
    if (error instanceof Error && /timeout/i.test(error.message)) throw new TurnTimeoutError(timeoutMs);
    throw error;
  }
}
