/**
 * One chat-completions call under the resilience policy, counted: outcome, tokens, latency.
 * The only place a request leaves for the model; agent.ts and relevance-judge.ts go through it.
 */
import type OpenAI from 'openai';
import type { ChatCompletionCreateParamsNonStreaming, ChatCompletionMessage } from 'openai/resources/chat/completions';
import type { Metrics, ModelPurpose } from '../observability/metrics.js';
import { ModelResponseError, classifyModelFailure, type ModelPolicy } from './resilience.js';

export type ChatRequestBody = Omit<ChatCompletionCreateParamsNonStreaming, 'model' | 'stream'>;

export interface ModelGateway {
  /** The first choice's message; throws on any failure (see resilience.ts). */
  complete(purpose: ModelPurpose, body: ChatRequestBody, deadline?: AbortSignal): Promise<ChatCompletionMessage>;
}

/** A gateway for one turn: counts its calls, and ends them all when the turn's deadline passes. */
export interface CountingGateway extends ModelGateway {
  readonly calls: number;
}

export function createModelGateway(deps: { client: OpenAI; model: string; policy: ModelPolicy; metrics: Metrics }): ModelGateway {
  return {
    async complete(purpose, body, deadline) {
      const started = performance.now();
      const seconds = () => (performance.now() - started) / 1000;
      try {
        const { message, usage } = await deps.policy.execute((signal) =>
          deps.client.chat.completions.create({ ...body, model: deps.model, stream: false }, { signal }).then((result) => {
            // Checked inside the policy so a server answering nonsense counts against the breaker.
            const first = Array.isArray(result?.choices) ? result.choices[0]?.message : undefined;
            if (!first) throw new ModelResponseError('no choices');
            return { message: first, usage: result.usage };
          }),
          deadline,
        );
        deps.metrics.recordModelCall({
          purpose,
          outcome: 'ok',
          seconds: seconds(),
          promptTokens: usage?.prompt_tokens,
          completionTokens: usage?.completion_tokens,
        });
        return message;
      } catch (error) {
        deps.metrics.recordModelCall({ purpose, outcome: classifyModelFailure(error), seconds: seconds() });
        throw error;
      }
    },
  };
}

export function countingGateway(inner: ModelGateway, deadline: AbortSignal): CountingGateway {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    complete(purpose, body) {
      calls += 1;
      return inner.complete(purpose, body, deadline);
    },
  };
}
