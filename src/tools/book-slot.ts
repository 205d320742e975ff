import { z } from 'zod';
import { accept, refuse } from './checks.js';
import { defineTool } from './define.js';
import { slotSuggestions } from './suggestions.js';

export const bookSlot = defineTool({
  name: 'book_slot',
  description:
    'Pick one of the appointment times the bot has just offered, when the patient chooses it ("the second one", "Tuesday at 10"). ' +
    'The bot then asks the patient to confirm; nothing is booked before they say yes. Only ids of offered slots are accepted.',
  parameters: z.strictObject({
    slotId: z.string().describe('The id of one of the slots offered in this conversation.'),
  }),
  suggest: (ctx) => ({ slotId: slotSuggestions(ctx) }),
  check(args, ctx) {
    const index = ctx.context.offeredSlots.findIndex((slot) => slot.id === args.slotId);
    const slot = ctx.context.offeredSlots[index];
    if (!slot) {
      return refuse({ path: 'slotId', code: 'not_offered', message: `Slot "${args.slotId}" was not offered in this conversation.` }, { slotId: slotSuggestions(ctx) });
    }
    if (Date.parse(slot.startsAt) <= ctx.now.getTime()) {
      return refuse({ path: 'slotId', code: 'in_past', message: `Slot "${args.slotId}" has already started; search again.` }, { slotId: slotSuggestions(ctx) });
    }
    return accept({ type: 'CHOOSE', option: index + 1 });
  },
});
