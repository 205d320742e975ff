import { z } from 'zod';
import { accept } from './checks.js';
import { defineTool } from './define.js';

export const dropRequest = defineTool({
  name: 'drop_request',
  description:
    'The patient no longer wants what they were doing ("I don\'t need the filling with Dr. Dan"): drop it at once. ' +
    'If they ask for something else in the same message, call the tool for that instead; it replaces the old request.',
  parameters: z.strictObject({}),
  suggest: () => ({}),
  check: () => accept({ type: 'DROP_PENDING' }),
});
