/**
 * Which tools the language model may call in which state of the conversation chart.
 *
 * The chart owns this list because a tool call becomes one chart event, and only the chart
 * knows where that event means something. Pure: names and rules only, no imports.
 *
 * Rules:
 * - nothing while escalated: staff own the conversation and the agent never runs there;
 * - everywhere else a patient may ask about a service, ask for times (which starts or refines a
 *   booking), start a reschedule or a cancellation, list their appointments, drop what they were
 *   doing, or ask for help;
 * - picking an offered slot (`book_slot`) only where slots are on offer;
 * - yes/no (`answer_confirmation`) only where the bot asked to confirm a booking or cancellation;
 * - naming the appointment to cancel or move only where the patient is choosing one.
 */

export const TOOL_NAMES = [
  'service_info',
  'search_slots',
  'book_slot',
  'answer_confirmation',
  'start_reschedule',
  'start_cancellation',
  'cancel_appointment',
  'choose_appointment',
  'list_my_appointments',
  'drop_request',
  'escalate',
] as const;
export type ToolName = (typeof TOOL_NAMES)[number];

/** Requests a patient can make in any state the agent runs in. */
const ANYWHERE: readonly ToolName[] = [
  'service_info',
  'search_slots',
  'start_reschedule',
  'start_cancellation',
  'list_my_appointments',
  'drop_request',
  'escalate',
];

/** States whose question only these tools answer, on top of ANYWHERE. */
const STATE_TOOLS: Readonly<Record<string, readonly ToolName[]>> = {
  'booking.choosingSlot': ['book_slot'],
  // Another offered slot may still be picked while confirming one.
  'booking.confirming': ['answer_confirmation', 'book_slot'],
  'booking.rescheduling.selecting': ['choose_appointment'],
  'booking.cancelling.selecting': ['cancel_appointment'],
  'booking.cancelling.confirming': ['answer_confirmation', 'cancel_appointment'],
};

/** The confirming states: the only ones where a yes or no is a tool call. */
export const CONFIRMING_STATES: readonly string[] = ['booking.confirming', 'booking.cancelling.confirming'];

/**
 * States that take details without a new intent (PROVIDE): there a search for the same service
 * refines the booking under way instead of starting a new one.
 */
export const REFINING_STATES: readonly string[] = ['booking.collecting', 'booking.awaitingDate', 'booking.choosingSlot', 'booking.confirming'];

export function isEscalatedState(state: string): boolean {
  return state === 'escalated' || state.startsWith('escalated.');
}

/** The tools the agent may offer the model in `state` (a dotted name such as "booking.choosingSlot"). */
export function toolsAllowedIn(state: string): readonly ToolName[] {
  if (isEscalatedState(state)) return [];
  return [...ANYWHERE, ...(STATE_TOOLS[state] ?? [])];
}

export function isToolName(name: string): name is ToolName {
  return (TOOL_NAMES as readonly string[]).includes(name);
}
