import { z } from 'zod';
import { REFINING_STATES } from '../../statecharts/agent-policy.js';
import type { ToolCallContext } from './types.js';
import { dateArg, doctorIdArg, partOfDayArg, serviceIdArg, timeArg, timeRelationArg } from './args.js';
import { accept, refuse } from './checks.js';
import { defineTool } from './define.js';
import { checkRequest, requestSuggestions } from './request.js';

const parameters = z.strictObject({
  serviceId: serviceIdArg.nullable().describe('The service to book; null only when the patient has not said which (the bot will ask).'),
  doctorId: doctorIdArg.nullable().describe('The doctor the patient asked for; null for any doctor who does the service.'),
  date: dateArg,
  time: timeArg,
  timeRelation: timeRelationArg,
  partOfDay: partOfDayArg,
});

/** In a state taking details, the same service (or none named) refines the booking under way. */
function refinesCurrentBooking(serviceId: string | null, { state, context }: ToolCallContext): boolean {
  if (!REFINING_STATES.includes(state)) return false;
  return serviceId === null || context.serviceId === null || serviceId === context.serviceId;
}

export const searchSlots = defineTool({
  name: 'search_slots',
  description:
    'Find free appointment times for a service, optionally with a named doctor, day, time or part of the day. ' +
    'Call it when the patient wants to book, or changes the service, doctor, day or time of the booking under way. ' +
    'The bot shows the times and asks the patient to pick one; do not call it to answer a question about a service.',
  parameters,
  suggest: (ctx) => requestSuggestions(ctx, ctx.context.serviceId),
  check(args, ctx) {
    const refining = refinesCurrentBooking(args.serviceId, ctx);
    const serviceId = args.serviceId ?? (refining ? ctx.context.serviceId : null);
    if (refining && Object.values(args).every((value) => value === null)) {
      return refuse({ path: '', code: 'schema', message: 'Name at least one of serviceId, doctorId, date, time or partOfDay.' }, requestSuggestions(ctx, serviceId));
    }
    const request = checkRequest({ ...args, serviceId }, ctx);
    if (!request.ok) return refuse(request.issues, request.suggestions);
    const details = { serviceId: args.serviceId, doctorId: args.doctorId, date: request.date };
    return accept(refining ? { type: 'PROVIDE', ...details } : { type: 'BOOK', ...details });
  },
});
