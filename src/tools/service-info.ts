import { z } from 'zod';
import { serviceIdArg } from './args.js';
import { accept, refuse, unknownServiceIssue } from './checks.js';
import { defineTool } from './define.js';
import { serviceSuggestions } from './suggestions.js';

export const serviceInfo = defineTool({
  name: 'service_info',
  description:
    'Answer a question about one of the clinic\'s services (what it is, duration, price, preparation), or list the services. ' +
    'Call it when the patient asks about a service, not when they want to book it.',
  parameters: z.strictObject({
    serviceId: serviceIdArg.nullable().describe('The service asked about; null to list all services.'),
  }),
  suggest: (ctx) => ({ serviceId: serviceSuggestions(ctx) }),
  check(args, ctx) {
    const issue = unknownServiceIssue(ctx.clinic, args.serviceId);
    if (issue) return refuse(issue, { serviceId: serviceSuggestions(ctx) });
    return accept({ type: 'ASK_SERVICE', serviceId: args.serviceId });
  },
});
