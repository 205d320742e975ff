/**
 * Renders an XState v5 machine as a Mermaid `stateDiagram-v2`, walking `machine.root`.
 *
 * What is drawn:
 * - every state node, nested states as `state "name" as id { … }` composites, `[*] -->` for
 *   initial states, `--> [*]` for final states, `--` between the regions of a parallel state
 *   (except at the top level, where Mermaid does not accept it);
 * - every transition in the order XState evaluates it: `EVENT`, `EVENT [guard]` for a named
 *   guard, `EVENT [inline guard n]` for an anonymous one (n: its place among the event's
 *   candidates), `EVENT [else]` for an unguarded fallback after guarded candidates,
 *   `always [guard]` for eventless transitions, `done: <actor src>` / `error: <actor src>` for
 *   invoke `onDone` / `onError`, `after <delay>` for delayed ones; `(reenter)` when set;
 * - a transition without a target (it only runs actions) as a self loop;
 * - transitions declared on the machine root come from a node "<machine> (any state)";
 * - tags and invoked actors as description lines of the state (`tags: busy`).
 *
 * The output depends on the machine definition only (declaration order), so it diffs cleanly.
 */
import type { AnyStateMachine, AnyStateNode, AnyTransitionDefinition } from 'xstate';

const INDENT = '  ';

/** A Mermaid id for a state node: its path joined with `_`, the machine id for the root. */
function mermaidId(node: AnyStateNode): string {
  const raw = node.path.length === 0 ? node.machine.id : node.path.join('_');
  return raw.replace(/[^A-Za-z0-9_]/g, '_');
}

/**
 * Text safe inside a quoted state name or after `:` in an edge or description line: one line, with
 * `#`, `;` and `"` written as Mermaid entity codes (a bare `;` ends a statement).
 */
function escapeText(text: string): string {
  const entities: Record<string, string> = { '#': '#35;', ';': '#59;', '"': '#quot;' };
  return text.replace(/[\r\n]+/g, ' ').replace(/[#;"]/g, (c) => entities[c] ?? c);
}

function childNodes(node: AnyStateNode): AnyStateNode[] {
  return Object.values(node.states).sort((a, b) => a.order - b.order);
}

function allNodes(node: AnyStateNode): AnyStateNode[] {
  return [node, ...childNodes(node).flatMap(allNodes)];
}

function guardLabel(guard: unknown): string | null {
  if (guard === undefined || guard === null) return null;
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'object' && 'type' in guard && typeof guard.type === 'string') return guard.type;
  if (typeof guard === 'function' && 'check' in guard) {
    // Built-in combinators are functions named after themselves, carrying their operands.
    const operands = 'guards' in guard && Array.isArray(guard.guards) ? guard.guards.map((g: unknown) => guardLabel(g) ?? '?') : [];
    if (guard.name === 'not') return `!${operands[0] ?? '?'}`;
    if (guard.name === 'and') return `(${operands.join(' && ')})`;
    if (guard.name === 'or') return `(${operands.join(' || ')})`;
    if (guard.name === 'stateIn' && 'stateValue' in guard) return `in ${JSON.stringify(guard.stateValue)}`;
  }
  return null;
}

/** The name of an invoked actor: its `src` key (XState names inline logic `xstate.invoke.<id>`). */
function srcName(invoke: AnyStateNode['invoke'][number]): string {
  return typeof invoke.src === 'string' ? invoke.src : invoke.id;
}

/** `done: findSlots` for `xstate.done.actor.0.conversation.booking.searching`, and so on. */
function eventLabel(source: AnyStateNode, eventType: string): string {
  if (eventType === '') return 'always';
  if (eventType === '*') return '* (any event)';
  for (const invoke of source.invoke) {
    if (eventType === `xstate.done.actor.${invoke.id}`) return `done: ${srcName(invoke)}`;
    if (eventType === `xstate.error.actor.${invoke.id}`) return `error: ${srcName(invoke)}`;
    if (eventType === `xstate.snapshot.${invoke.id}`) return `snapshot: ${srcName(invoke)}`;
  }
  if (eventType === `xstate.done.state.${source.id}`) return 'done';
  const delayed = source.after.find((t) => t.eventType === eventType);
  if (delayed) return `after ${String(delayed.delay)}`;
  return eventType;
}

interface Edge {
  from: AnyStateNode;
  to: AnyStateNode;
  label: string;
}

/** The transitions of one node, grouped by event, in XState's evaluation order. */
function transitionGroups(node: AnyStateNode): Array<[string, readonly AnyTransitionDefinition[]]> {
  const groups: Array<[string, readonly AnyTransitionDefinition[]]> = [...node.transitions.entries()];
  if (node.always && node.always.length > 0) groups.push(['', node.always]);
  return groups;
}

function edgesOf(node: AnyStateNode): Edge[] {
  const edges: Edge[] = [];
  for (const [eventType, candidates] of transitionGroups(node)) {
    const event = eventLabel(node, eventType);
    candidates.forEach((transition, index) => {
      const named = guardLabel(transition.guard);
      const guarded = candidates.slice(0, index).some((earlier) => earlier.guard !== undefined);
      let label = event;
      if (transition.guard !== undefined) label += ` [${named ?? `inline guard ${index + 1}`}]`;
      else if (guarded) label += ' [else]';
      if (transition.reenter) label += ' (reenter)';
      const targets = transition.target && transition.target.length > 0 ? transition.target : [node];
      for (const target of targets) edges.push({ from: node, to: target, label });
    });
  }
  return edges;
}

function descriptionLines(node: AnyStateNode): string[] {
  const lines: string[] = [];
  if (node.tags.length > 0) lines.push(`tags: ${[...node.tags].sort().join(', ')}`);
  if (node.invoke.length > 0) lines.push(`invokes: ${node.invoke.map(srcName).join(', ')}`);
  return lines;
}

export function toMermaid(machine: AnyStateMachine): string {
  const root = machine.root;
  const nodes = allNodes(root);

  const ids = new Map<AnyStateNode, string>();
  for (const node of nodes) {
    const id = mermaidId(node);
    const clash = [...ids.entries()].find(([, other]) => other === id);
    if (clash) throw new Error(`state nodes "${clash[0].id}" and "${node.id}" map to the same Mermaid id "${id}"`);
    ids.set(node, id);
  }
  const idOf = (node: AnyStateNode): string => ids.get(node) ?? mermaidId(node);

  const out: string[] = ['stateDiagram-v2'];
  const emit = (depth: number, line: string) => out.push(INDENT.repeat(depth) + line);

  /** The inside of a compound or parallel node (or of the root): initial marker, then children. */
  const writeBody = (parent: AnyStateNode, depth: number) => {
    const children = childNodes(parent);
    if (parent.type === 'parallel') {
      // Mermaid accepts the region separator `--` inside a composite only, not at the top level.
      const separate = parent !== parent.machine.root;
      children.forEach((child, index) => {
        if (index > 0 && separate) emit(depth, '--');
        writeNode(child, depth);
      });
    } else {
      for (const target of parent.initial?.target ?? []) emit(depth, `[*] --> ${idOf(target)}`);
      for (const child of children) writeNode(child, depth);
      for (const child of children) if (child.type === 'final') emit(depth, `${idOf(child)} --> [*]`);
    }
  };

  const writeNode = (node: AnyStateNode, depth: number) => {
    const id = idOf(node);
    const name = node.type === 'history' ? `${node.key} (history)` : node.key;
    const children = childNodes(node);
    if (children.length === 0) {
      emit(depth, `state "${escapeText(name)}" as ${id}`);
      for (const line of descriptionLines(node)) emit(depth, `${id} : ${escapeText(line)}`);
      return;
    }
    emit(depth, `state "${escapeText(name)}" as ${id} {`);
    writeBody(node, depth + 1);
    emit(depth, '}');
    const notes = descriptionLines(node);
    if (notes.length > 0) {
      emit(depth, `note right of ${id}`);
      for (const line of notes) emit(depth + 1, escapeText(line));
      emit(depth, 'end note');
    }
  };

  // Transitions declared on the root apply in every state; they start from a stand-in node.
  if (transitionGroups(root).length > 0) emit(1, `state "${escapeText(`${machine.id} (any state)`)}" as ${idOf(root)}`);
  writeBody(root, 1);
  // Every transition is written at the top level, after all states are declared: Mermaid moves a
  // state into the last composite block that mentions it, so an edge written inside a block
  // would pull states from other composites into it.
  for (const node of nodes) {
    for (const edge of edgesOf(node)) emit(1, `${idOf(edge.from)} --> ${idOf(edge.to)} : ${escapeText(edge.label)}`);
  }
  return `${out.join('\n')}\n`;
}
