/**
 * The model side of SPEC §3: asked only what the fast checks could not decide, with a tiny
 * structured-output call whose answer is one of three words.
 */
import { zodResponseFormat } from 'openai/helpers/zod';
import { z } from 'zod';
import type { Clinic } from '../config/catalog-schema.js';
import type { RelevanceJudge } from '../relevance/judge.js';
import type { ModelGateway } from './gateway.js';
import { buildRelevancePrompt } from './prompts.js';
import { ModelResponseError } from './resilience.js';

const verdictSchema = z.object({ verdict: z.enum(['about_pending', 'drop', 'unrelated']) });
const responseFormat = zodResponseFormat(verdictSchema, 'relevance_verdict');

export function createModelRelevanceJudge(deps: { gateway: ModelGateway; clinic: Clinic }): RelevanceJudge {
  return {
    async judge({ text, pending, locale }) {
      const message = await deps.gateway.complete('relevance', {
        messages: [
          { role: 'system', content: buildRelevancePrompt({ clinic: deps.clinic, locale, pending }) },
          { role: 'user', content: text },
        ],
        response_format: responseFormat,
      });
      const parsed = verdictSchema.safeParse(parseJson(message.content));
      if (!parsed.success) throw new ModelResponseError('relevance verdict not in the expected shape');
      return parsed.data.verdict;
    },
  };
}

function parseJson(content: string | null): unknown {
  if (!content) return null;
  try {
    return JSON.parse(content);
  } catch {
    return null;
  }
}
