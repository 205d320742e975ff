/** Every tool by name, and the ones the chart allows in a state (in the policy's order). */
import { isToolName, toolsAllowedIn, type ToolName } from '../../statecharts/agent-policy.js';
import type { ToolSpec } from './types.js';
import { answerConfirmation } from './answer-confirmation.js';
import { bookSlot } from './book-slot.js';
import { cancelAppointment } from './cancel-appointment.js';
import { chooseAppointment } from './choose-appointment.js';
import { dropRequest } from './drop-request.js';
import { escalate } from './escalate.js';
import { listMyAppointments } from './list-my-appointments.js';
import { searchSlots } from './search-slots.js';
import { serviceInfo } from './service-info.js';
import { startCancellation } from './start-cancellation.js';
import { startReschedule } from './start-reschedule.js';

export const TOOLS: { readonly [K in ToolName]: ToolSpec } = {
  service_info: serviceInfo,
  search_slots: searchSlots,
  book_slot: bookSlot,
  answer_confirmation: answerConfirmation,
  start_reschedule: startReschedule,
  start_cancellation: startCancellation,
  cancel_appointment: cancelAppointment,
  choose_appointment: chooseAppointment,
  list_my_appointments: listMyAppointments,
  drop_request: dropRequest,
  escalate,
};

export function findTool(name: string): ToolSpec | null {
  return isToolName(name) ? TOOLS[name] : null;
}

/** The tools to offer the model in `state`; none while escalated. */
export function toolsFor(state: string): ToolSpec[] {
  return toolsAllowedIn(state).map((name) => TOOLS[name]);
}
