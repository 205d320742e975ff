import { z } from 'zod';
import { accept } from './checks.js';
import { defineTool } from './define.js';

export const listMyAppointments = defineTool({
  name: 'list_my_appointments',
  description: 'Show the patient their upcoming appointments. Call it when they ask what or when their appointments are.',
  parameters: z.strictObject({}),
  suggest: () => ({}),
  check: () => accept({ type: 'LIST_APPOINTMENTS' }),
});
