import { z } from 'zod';
import { serviceIdArg } from './args.js';
import { accept, refuse, unknownServiceIssue } from './checks.js';
import { defineTool } from './define.js';
import { serviceSuggestions } from './suggestions.js';

export const startCancellation = defineTool({
  name: 'start_cancellation',
  description:
    'Start cancelling one of the patient\'s existing appointments. The bot finds it (asking which one if there are several) ' +
    'and asks the patient to confirm before anything is cancelled.',
  parameters: z.strictObject({
    serviceId: serviceIdArg.nullable().describe('The service of the appointment to cancel ("my cleaning"); null if not said.'),
  }),
  suggest: (ctx) => ({ serviceId: serviceSuggestions(ctx) }),
  check(args, ctx) {
    const issue = unknownServiceIssue(ctx.clinic, args.serviceId);
    if (issue) return refuse(issue, { serviceId: serviceSuggestions(ctx) });
    return accept({ type: 'CANCEL', serviceId: args.serviceId });
  },
});
