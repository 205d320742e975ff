import { z } from 'zod';
import { accept } from './checks.js';
import { defineTool } from './define.js';

export const answerConfirmation = defineTool({
  name: 'answer_confirmation',
  description:
    'The patient\'s yes or no to the booking, change or cancellation the bot has just asked them to confirm. ' +
    'Call it only for a clear answer to that question; a new request is another tool.',
  parameters: z.strictObject({
    answer: z.enum(['yes', 'no']).describe('"yes" to go ahead, "no" to stop.'),
  }),
  suggest: () => ({}),
  check: (args) => accept(args.answer === 'yes' ? { type: 'CONFIRM' } : { type: 'DENY' }),
});
