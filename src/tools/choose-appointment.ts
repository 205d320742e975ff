import { z } from 'zod';
import { appointmentIdArg } from './args.js';
import { defineTool } from './define.js';
import { chooseAppointment as chooseAmongShown } from './appointments.js';
import { appointmentSuggestions } from './suggestions.js';

export const chooseAppointment = defineTool({
  name: 'choose_appointment',
  description:
    'Name which of the listed appointments the patient wants to move to another time. ' +
    'Only ids of appointments shown in this conversation are accepted; the bot then offers new times.',
  parameters: z.strictObject({ appointmentId: appointmentIdArg }),
  suggest: (ctx) => ({ appointmentId: appointmentSuggestions(ctx) }),
  check: (args, ctx) => chooseAmongShown(args.appointmentId, ctx),
});
