/** Finding the appointment the model named among the ones this conversation has shown the patient. */
import type { ToolCallContext, ToolCheck } from './types.js';
import { accept, refuse } from './checks.js';
import { appointmentSuggestions } from './suggestions.js';

export function notYours(appointmentId: string, ctx: ToolCallContext): ToolCheck {
  return refuse(
    { path: 'appointmentId', code: 'not_yours', message: `"${appointmentId}" is not one of the patient's appointments shown in this conversation.` },
    { appointmentId: appointmentSuggestions(ctx) },
  );
}

/** The menu choice (1-based) of that appointment among the choices offered. */
export function chooseAppointment(appointmentId: string, ctx: ToolCallContext): ToolCheck {
  const index = ctx.context.appointmentChoices.findIndex((appointment) => appointment.id === appointmentId);
  return index < 0 ? notYours(appointmentId, ctx) : accept({ type: 'CHOOSE', option: index + 1 });
}
