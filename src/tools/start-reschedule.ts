import { z } from 'zod';
import { dateArg, partOfDayArg, serviceIdArg, timeArg, timeRelationArg } from './args.js';
import { accept, refuse } from './checks.js';
import { defineTool } from './define.js';
import { checkRequest, requestSuggestions } from './request.js';

export const startReschedule = defineTool({
  name: 'start_reschedule',
  description:
    'Start moving one of the patient\'s existing appointments to another time. ' +
    'The bot finds the appointment (asking which one if there are several) and offers new times.',
  parameters: z.strictObject({
    serviceId: serviceIdArg.nullable().describe('The service of the appointment to move ("my filling"); null if not said.'),
    date: dateArg,
    time: timeArg,
    timeRelation: timeRelationArg,
    partOfDay: partOfDayArg,
  }),
  suggest: (ctx) => requestSuggestions(ctx, null),
  check(args, ctx) {
    const request = checkRequest({ ...args, doctorId: null }, ctx);
    if (!request.ok) return refuse(request.issues, request.suggestions);
    return accept({ type: 'RESCHEDULE', date: request.date, serviceId: args.serviceId });
  },
});
