/**
 * Model-based tests of the conversation chart with @xstate/graph.
 *
 * The model is the machine itself, traversed with its pure `transition()`. Invoked promise
 * actors never run during a pure traversal, so their completions are modelled as explicit
 * steps: in every snapshot where an actor is invoked, the traversal may also send that
 * invocation's `xstate.done.actor.<id>` event with each output the test chooses (0, 1 or 3
 * slots; saved/taken/gone; …). From the adjacency map, a path is planned to every abstract
 * state and through every transition; each path is then replayed on a real actor whose actor
 * slots are promises the runner resolves at those steps, and which must land in the state
 * the model predicted after every step. Coverage is measured on the real runs from the
 * inspection API (`@xstate.microstep` reports the transitions each microstep took).
 */
import { describe, expect, it } from 'vitest';
import { getAdjacencyMap, getShortestPaths, getStateNodes, type StatePath } from '@xstate/graph';
import {
  createActor,
  isMachineSnapshot,
  waitFor,
  type AnyMachineSnapshot,
  type AnyStateMachine,
  type AnyStateNode,
  type AnyTransitionDefinition,
  type InspectionEvent,
} from 'xstate';
import {
  conversationMachine,
  MAX_CONSECUTIVE_FAILURES,
  type ConversationContext,
  type ConversationEvent,
} from '../../../statecharts/conversation.js';
import {
  ACTOR_SRCS,
  ALL_EVENTS,
  FRESH_SLOTS,
  ONE_SLOT,
  THREE_SLOTS,
  appointment,
  controlledActors,
  type ActorIo,
  type ActorSrc,
} from './harness.js';

// ---------------------------------------------------------------------------------------------
// The model: user events plus actor completions as explicit steps

/** An invoked actor finishing with a chosen output; sent to the model as XState's done event. */
interface DoneStep {
  type: `xstate.done.actor.${string}`;
  src: ActorSrc;
  output: unknown;
}
type ModelEvent = ConversationEvent | DoneStep;

const OUTCOMES: { [K in ActorSrc]: Array<ActorIo[K]['output']> } = {
  findSlots: [{ slots: [] }, { slots: ONE_SLOT }, { slots: THREE_SLOTS }, { slots: THREE_SLOTS, nearest: true }],
  bookSlot: [{ status: 'saved' }, { status: 'taken', slots: FRESH_SLOTS }, { status: 'taken', slots: [] }, { status: 'gone' }],
  rescheduleAppointment: [{ status: 'saved' }, { status: 'taken', slots: FRESH_SLOTS }, { status: 'taken', slots: [] }, { status: 'gone' }],
  cancelAppointment: [{ status: 'cancelled' }, { status: 'gone' }],
  listAppointments: [{ appointments: [] }, { appointments: [appointment(1)] }, { appointments: [appointment(1), appointment(2)] }],
  escalate: [{ waitMinutes: 15 }],
  confirmAppointment: [{ status: 'confirmed' }, { status: 'gone' }],
  setReminders: [{ enabled: false }, { enabled: true }],
};

const isActorSrc = (src: string): src is ActorSrc => (ACTOR_SRCS as readonly string[]).includes(src);
const isDoneStep = (event: ModelEvent): event is DoneStep => 'src' in event;

function doneSteps(snapshot: AnyMachineSnapshot): DoneStep[] {
  const steps: DoneStep[] = [];
  for (const node of snapshot._nodes) {
    for (const invoke of node.invoke) {
      const src = invoke.src;
      if (typeof src !== 'string' || !isActorSrc(src)) throw new Error(`unexpected actor ${invoke.id} in ${node.id}`);
      for (const output of OUTCOMES[src]) steps.push({ type: `xstate.done.actor.${invoke.id}`, src, output });
    }
  }
  return steps;
}

/**
 * Snapshots the chart cannot tell apart are one vertex: the state value and what the guards
 * and replies read, with the failure count capped where `tooManyFailures` stops changing.
 */
function abstractState(snapshot: AnyMachineSnapshot): string {
  const c: ConversationContext = snapshot.context;
  return JSON.stringify([
    snapshot.value,
    c.serviceId,
    c.doctorId,
    c.requestedDate !== null,
    c.offeredSlots.map((s) => s.id),
    c.chosenSlot?.id ?? null,
    c.appointment?.id ?? null,
    c.appointmentChoices.length,
    c.pendingAction ? [c.pendingAction.kind, c.pendingAction.serviceId] : null,
    Math.min(c.consecutiveFailures, MAX_CONSECUTIVE_FAILURES - 1),
    c.escalation?.reason ?? null,
  ]);
}

const model: AnyStateMachine = conversationMachine;
const traversal = {
  events: (snapshot: AnyMachineSnapshot): ModelEvent[] => [...ALL_EVENTS, ...doneSteps(snapshot)],
  serializeState: abstractState,
};

// ---------------------------------------------------------------------------------------------
// What there is to cover

/** A transition's identity that survives `machine.provide()`: source, event, place among candidates. */
function transitionKey(t: AnyTransitionDefinition): string {
  const candidates = t.eventType === '' ? (t.source.always ?? []) : (t.source.transitions.get(t.eventType) ?? []);
  const index = candidates.indexOf(t);
  if (index === -1) throw new Error(`transition not found on ${t.source.id} for "${t.eventType}"`);
  return `${t.source.id} | ${t.eventType === '' ? 'always' : t.eventType} | #${index + 1}`;
}

function describeTransition(t: AnyTransitionDefinition): string {
  const guard =
    t.guard === undefined ? '' : typeof t.guard === 'string' ? ` [${t.guard}]` : typeof t.guard === 'object' ? ` [${t.guard.type}]` : ' [inline guard]';
  const targets = t.target?.map((n) => n.id).join(', ') ?? '(no target)';
  return `${transitionKey(t)}${guard} -> ${targets}`;
}

function allStateNodes(machine: AnyStateMachine): AnyStateNode[] {
  return [machine.root, ...getStateNodes(machine.root)];
}

function allTransitions(machine: AnyStateMachine): AnyTransitionDefinition[] {
  return allStateNodes(machine).flatMap((node) => [...[...node.transitions.values()].flat(), ...(node.always ?? [])]);
}

// ---------------------------------------------------------------------------------------------
// Planning: a shortest path to every vertex, extended through every transition

type ModelPath = StatePath<AnyMachineSnapshot, ModelEvent>;

interface PlannedPath {
  /** The events after `xstate.init`. */
  events: ModelEvent[];
  /** What the model says the machine looks like after each event. */
  expected: AnyMachineSnapshot[];
}

function planPaths(): { paths: PlannedPath[]; vertices: number; edges: number } {
  const adjacency = getAdjacencyMap(model, traversal);
  const shortest: ModelPath[] = getShortestPaths(model, traversal);
  const toVertex = new Map(shortest.map((path) => [abstractState(path.state), path]));

  const planned = new Set<string>();
  const seenNodes = new Set<string>();
  const paths: PlannedPath[] = [];
  const prefix = (path: ModelPath) => ({
    events: path.steps.slice(1).map((step) => step.event),
    expected: path.steps.slice(1).map((step) => step.state),
  });

  // Every vertex, nearest first: a vertex reached in a new state node is worth a path of its own.
  const vertices = [...toVertex.entries()].sort(([ka, a], [kb, b]) => a.weight - b.weight || ka.localeCompare(kb));
  for (const [, path] of vertices) {
    const fresh = path.state._nodes.filter((n) => !seenNodes.has(n.id));
    if (fresh.length > 0) {
      fresh.forEach((n) => seenNodes.add(n.id));
      paths.push(prefix(path));
    }
  }

  // Every edge whose event fires a transition no planned path takes yet.
  let edges = 0;
  for (const [key, path] of vertices) {
    const vertex = adjacency[key as keyof typeof adjacency];
    if (!vertex) throw new Error(`vertex ${key} missing from the adjacency map`);
    for (const { event, state: next } of Object.values(vertex.transitions)) {
      edges++;
      const fired = model.getTransitionData(vertex.state, event).map(transitionKey);
      if (fired.every((k) => planned.has(k))) continue;
      fired.forEach((k) => planned.add(k));
      const head = prefix(path);
      paths.push({ events: [...head.events, event], expected: [...head.expected, next] });
    }
  }
  return { paths, vertices: vertices.length, edges };
}

// ---------------------------------------------------------------------------------------------
// Running a path on a real actor

interface Coverage {
  nodes: Set<string>;
  transitions: Set<string>;
}

async function runPath(path: PlannedPath, coverage: Coverage): Promise<void> {
  const { machine, take } = controlledActors();
  const record = (snapshot: AnyMachineSnapshot) => snapshot._nodes.forEach((n) => coverage.nodes.add(n.id));
  const inspect = (event: InspectionEvent) => {
    if (event.type !== '@xstate.microstep' || !isMachineSnapshot(event.snapshot)) return;
    event._transitions.forEach((t) => coverage.transitions.add(transitionKey(t)));
    record(event.snapshot);
  };
  const actor = createActor(machine, { inspect });
  actor.start();
  record(actor.getSnapshot());
  try {
    for (const [i, event] of path.events.entries()) {
      const where = `step ${i + 1} (${event.type}) of [${path.events.map((e) => e.type).join(', ')}]`;
      if (isDoneStep(event)) {
        const call = take(event.src);
        if (!call) throw new Error(`${where}: no running "${event.src}" invocation to complete`);
        const before = actor.getSnapshot();
        call.resolve(structuredClone(event.output));
        await waitFor(actor, (s) => s !== before, { timeout: 1_000 });
      } else {
        actor.send(event);
      }
      const expected = path.expected[i];
      if (!expected) throw new Error(`${where}: the model has no state for this step`);
      expect(abstractState(actor.getSnapshot()), where).toBe(abstractState(expected));
    }
  } finally {
    actor.stop();
  }
}

// ---------------------------------------------------------------------------------------------

describe('conversation chart, model-based', () => {
  it('reaches every state node and takes every transition, agreeing with the model at every step', async () => {
    const { paths, vertices, edges } = planPaths();
    const coverage: Coverage = { nodes: new Set(), transitions: new Set() };
    for (const path of paths) await runPath(path, coverage);

    const nodes = allStateNodes(conversationMachine);
    const transitions = allTransitions(conversationMachine);
    const missingNodes = nodes.filter((n) => !coverage.nodes.has(n.id)).map((n) => n.id);
    const missingTransitions = transitions.filter((t) => !coverage.transitions.has(transitionKey(t))).map(describeTransition);

    console.info(
      `statechart model: ${vertices} abstract states, ${edges} edges, ${paths.length} paths run; ` +
        `state nodes ${nodes.length - missingNodes.length}/${nodes.length}, ` +
        `transitions ${transitions.length - missingTransitions.length}/${transitions.length}`,
    );
    expect(
      { missingNodes, missingTransitions },
      `state nodes never visited:\n  ${missingNodes.join('\n  ') || '-'}\ntransitions never taken:\n  ${missingTransitions.join('\n  ') || '-'}`,
    ).toEqual({ missingNodes: [], missingTransitions: [] });
  });
});
