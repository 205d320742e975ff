import { z } from 'zod';
import { appointmentIdArg } from './args.js';
import { accept } from './checks.js';
import { defineTool } from './define.js';
import { chooseAppointment, notYours } from './appointments.js';
import { appointmentSuggestions } from './suggestions.js';

export const cancelAppointment = defineTool({
  name: 'cancel_appointment',
  description:
    'Name which of the listed appointments the patient wants to cancel, or confirm the one the bot asked about. ' +
    'The bot asks for a yes before cancelling anything. Only ids of appointments shown in this conversation are accepted.',
  parameters: z.strictObject({ appointmentId: appointmentIdArg }),
  suggest: (ctx) => ({ appointmentId: appointmentSuggestions(ctx) }),
  check(args, ctx) {
    if (ctx.state === 'booking.cancelling.confirming') {
      // Naming the appointment being confirmed is the patient's yes to cancelling it.
      return ctx.context.appointment?.id === args.appointmentId ? accept({ type: 'CONFIRM' }) : notYours(args.appointmentId, ctx);
    }
    return chooseAppointment(args.appointmentId, ctx);
  },
});
