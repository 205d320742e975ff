import { z } from 'zod';
import { EMERGENCY_KINDS } from '../nlu/lexicon-schema.js';
import { accept } from './checks.js';
import { defineTool } from './define.js';

const KIND_PATTERN = /^[a-z][a-z_]{1,39}$/;

/**
 * An emergency is never held up by how its kind is spelled: an odd kind becomes "unspecified"
 * rather than a refusal the model would have to retry. A kind outside the lexicon's list is kept
 * (as a slug): the chart treats a kind it does not know as life-threatening.
 */
function emergencyKind(kind: string | null): string {
  const normalized = kind?.trim().toLowerCase().replace(/[\s-]+/g, '_') ?? '';
  return KIND_PATTERN.test(normalized) ? normalized : 'unspecified';
}

export const escalate = defineTool({
  name: 'escalate',
  description:
    'Hand the conversation to clinic staff. Call it at once for a medical emergency happening now (chest pain, trouble breathing, ' +
    'fainting, signs of a stroke or a seizure, a severe allergic reaction, heavy bleeding, thoughts of self-harm, a bad injury, ' +
    'spreading swelling, pain painkillers do not touch), or when the patient asks for a person. ' +
    'Not for ordinary toothache, a symptom the patient says they do not have, or questions the other tools handle.',
  parameters: z.strictObject({
    reason: z.enum(['emergency', 'patient_request']).describe('"emergency" for a medical emergency, "patient_request" when they ask for a person.'),
    kind: z
      .string()
      .nullable()
      .describe(`For an emergency, what it is: ${EMERGENCY_KINDS.join(', ')}; null for a request for a person.`),
  }),
  suggest: () => ({}),
  check: (args) => accept(args.reason === 'emergency' ? { type: 'EMERGENCY', kind: emergencyKind(args.kind) } : { type: 'HUMAN' }),
});
