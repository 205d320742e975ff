import { AsyncLocalStorage } from 'node:async_hooks';
import { createActor, fromPromise, waitFor, type Snapshot, type StateValue } from 'xstate';
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
import type { UnitOfWork } from '../core/ports/unit-of-work.js';
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
  /**
   * Restore → send → await the actors → persist → stop. The actors write through `work`, so
   * nothing they do is committed until the caller commits the turn. Throws on any actor failure.
   */
  runTurn(input: {
    identity: TurnIdentity;
    work: UnitOfWork;
    snapshot: unknown | null;
    events: ConversationEvent[];
    timeoutMs: number;
  }): Promise<TurnResult>;
  /** State and context of a persisted snapshot, or null when it cannot be restored by this machine. */
  inspect(snapshot: unknown): ConversationView | null;
}

/** Whose turn the chart's actors are running for: set around each turn, read by the actors. */
interface ActiveTurn {
  identity: TurnIdentity;
  work: UnitOfWork;
}

/**
 * Provides the chart's actor slots with the booking and escalation services, once: each actor
 * finds the patient and the turn's unit of work of the turn it runs in, so the machine is not
 * rebuilt per turn.
 */
export function createConversationEngine(services: { booking: BookingService; escalation: EscalationService }): ConversationEngine {
  const activeTurn = new AsyncLocalStorage<ActiveTurn>();
  const current = (): ActiveTurn => {
    const turn = activeTurn.getStore();
    if (!turn) throw new Error('a conversation actor ran outside a turn');
    return turn;
  };
  const machine = conversationMachine.provide({
    actors: {
      findSlots: fromPromise(async ({ input }) => services.booking.findSlots(current().work, input)),
      bookSlot: fromPromise(async ({ input }) => {
        const { work, identity } = current();
        return services.booking.book(work, identity.patientId, input.slot);
      }),
      rescheduleAppointment: fromPromise(async ({ input }) => {
        const { work, identity } = current();
        return services.booking.reschedule(work, identity.patientId, input.appointmentId, input.slot);
      }),
      cancelAppointment: fromPromise(async ({ input }) => {
        const { work, identity } = current();
        return services.booking.cancel(work, identity.patientId, input.appointmentId);
      }),
      listAppointments: fromPromise(async () => {
        const { work, identity } = current();
        return { appointments: await services.booking.listUpcoming(work, identity.patientId) };
      }),
      escalate: fromPromise(async ({ input }) => {
        const { work, identity } = current();
        const { waitMinutes } = await services.escalation.raise(work, { ...identity, ...input });
        return { waitMinutes };
      }),
    },
  });

  return {
    machineVersion: CONVERSATION_MACHINE_VERSION,

    runTurn({ identity, work, snapshot, events, timeoutMs }) {
      return activeTurn.run({ identity, work }, () => runEvents(snapshot, events, timeoutMs));
    },

    // Read straight from the persisted JSON (value and context), without resolving it against
    // the machine: the caller has checked the machine version, and the turn restores it anyway.
    inspect(snapshot) {
      if (typeof snapshot !== 'object' || snapshot === null) return null;
      const { value, context } = snapshot as { value?: unknown; context?: unknown };
      if ((typeof value !== 'string' && (typeof value !== 'object' || value === null)) || typeof context !== 'object' || context === null) return null;
      return { state: stateName(value as StateValue), context: { ...initialContext(), ...(context as Partial<ConversationContext>) } };
    },
  };

  async function runEvents(snapshot: unknown | null, events: ConversationEvent[], timeoutMs: number): Promise<TurnResult> {
    const actor = createActor(machine, snapshot ? { snapshot: snapshot as Snapshot<unknown> } : {});
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
      const settled = actor.getSnapshot();
      if (settled.status === 'error') throw settled.error;
      return {
        snapshot: actor.getPersistedSnapshot(),
        outbox,
        state: stateName(settled.value),
        context: settled.context,
      };
    } finally {
      actor.stop();
    }
  }
}

async function settle(actor: ReturnType<typeof createActor<typeof conversationMachine>>, timeoutMs: number): Promise<void> {
  try {
    await waitFor(actor, (s) => s.status !== 'active' || !s.hasTag('busy'), { timeout: timeoutMs });
  } catch (error) {
    if (error instanceof Error && /timeout/i.test(error.message)) throw new TurnTimeoutError(timeoutMs);
    throw error;
  }
}
