import { describe, expect, it } from 'vitest';
import type { AnyStateNode } from 'xstate';
import { conversationMachine } from '../../../statecharts/conversation.js';
import { CONFIRMING_STATES, REFINING_STATES, TOOL_NAMES, toolsAllowedIn, type ToolName } from '../../../statecharts/agent-policy.js';

function leaves(node: AnyStateNode): AnyStateNode[] {
  const children = Object.values(node.states);
  return children.length === 0 ? [node] : children.flatMap(leaves);
}

const LEAVES = leaves(conversationMachine.root);
const STATES = LEAVES.map((node) => node.path.join('.'));
const allowedIn = (tool: ToolName) => STATES.filter((state) => toolsAllowedIn(state).includes(tool));
/** Leaf states whose own CHOOSE transition is guarded by `guard`: where that kind of menu is on offer. */
const choosingWith = (guard: string) =>
  LEAVES.filter((node) => (node.on['CHOOSE'] ?? []).some((transition) => JSON.stringify(transition.guard) === JSON.stringify(guard))).map(
    (node) => node.path.join('.'),
  );

describe('which tools the agent may call in each state of the chart', () => {
  it('knows every state of the chart', () => {
    expect(STATES).toContain('booking.choosingSlot');
    expect(STATES).toContain('booking.cancelling.confirming');
    expect(STATES.length).toBeGreaterThanOrEqual(20);
  });

  it.each(STATES)('%s: only known tools, each once', (state) => {
    const tools = toolsAllowedIn(state);
    expect(new Set(tools).size).toBe(tools.length);
    for (const tool of tools) expect(TOOL_NAMES).toContain(tool);
  });

  it('allows nothing while escalated and escalating everywhere else', () => {
    for (const state of STATES) {
      if (state.startsWith('escalated')) expect(toolsAllowedIn(state), state).toEqual([]);
      else expect(toolsAllowedIn(state), state).toContain('escalate');
    }
  });

  it('offers book_slot exactly where the chart takes a slot choice, never in idle or inquiry', () => {
    expect(allowedIn('book_slot')).toEqual(choosingWith('isValidSlotOption'));
    expect(allowedIn('book_slot')).toEqual(['booking.choosingSlot', 'booking.confirming']);
    for (const state of STATES.filter((s) => s === 'idle' || s.startsWith('inquiry'))) {
      expect(toolsAllowedIn(state), state).not.toContain('book_slot');
    }
  });

  it('offers cancel_appointment only while cancelling, and choose_appointment only while picking one to move', () => {
    expect(allowedIn('cancel_appointment').every((state) => state.startsWith('booking.cancelling.'))).toBe(true);
    expect(allowedIn('cancel_appointment')).toEqual(['booking.cancelling.selecting', 'booking.cancelling.confirming']);
    const appointmentMenus = choosingWith('isValidAppointmentOption');
    expect(allowedIn('choose_appointment')).toEqual(appointmentMenus.filter((state) => state.startsWith('booking.rescheduling.')));
  });

  it('offers answer_confirmation only in the confirming states', () => {
    const confirming = STATES.filter((state) => state.endsWith('.confirming'));
    expect(allowedIn('answer_confirmation')).toEqual(confirming);
    expect([...CONFIRMING_STATES].sort()).toEqual([...confirming].sort());
    for (const state of confirming) expect(LEAVES.find((n) => n.path.join('.') === state)?.on['CONFIRM']).toBeDefined();
  });

  it('treats a search as a refinement only in booking states that take details', () => {
    for (const state of REFINING_STATES) {
      expect(STATES).toContain(state);
      expect(state.startsWith('booking.')).toBe(true);
      expect(LEAVES.find((n) => n.path.join('.') === state)?.on['PROVIDE'], state).toBeDefined();
    }
  });

  it('allows nothing for the escalated parent state either', () => {
    expect(toolsAllowedIn('escalated')).toEqual([]);
  });
});
