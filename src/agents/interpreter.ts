/**
 * The model-backed Interpreter (src/conversation/interpreter.ts). Per turn:
 *   1. deterministic message → the offline reading, no model call (fast-path.ts);
 *   2. relevance of the pending action: fast checks, then the model judge if undecided;
 *   3. the agent's tool loop → one chart event, or a question to the patient.
 * Any model trouble (timeout, error, open circuit, garbage) → the offline reading plus the
 * localized apology `fallback.model_unavailable`: the patient is never left without an answer,
 * and never gets one in another language.
 */
import type OpenAI from 'openai';
import type { Clinic } from '../config/catalog-schema.js';
import type { OutboundMessage } from '../core/messages.js';
import { currentPending } from '../conversation/events.js';
import { isDeterministic } from '../conversation/fast-path.js';
import { offlineInterpretation, type Interpretation, type Interpreter, type InterpretInput } from '../conversation/interpreter.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { decideRelevance } from '../relevance/judge.js';
import { runAgent } from './agent.js';
import { createModelClient, type ModelSettings } from './client.js';
import { countingGateway, createModelGateway, type ModelGateway } from './gateway.js';
import { createModelRelevanceJudge } from './relevance-judge.js';
import { classifyModelFailure, createModelPolicy } from './resilience.js';

export const MODEL_UNAVAILABLE_NOTICE: OutboundMessage = { key: 'fallback.model_unavailable' };

export interface ModelInterpreterDeps {
  clinic: Clinic;
  gateway: ModelGateway;
  metrics: Metrics;
  logger: Logger;
  /** All model calls of one turn together; a turn never waits on the model longer than this. */
  turnBudgetMs: number;
}

/** From settings: the client, the resilience policy and the counted gateway, wired once per runtime. */
export function createModelInterpreterFromSettings(
  settings: ModelSettings,
  deps: Omit<ModelInterpreterDeps, 'gateway' | 'turnBudgetMs'> & { client?: OpenAI },
): Interpreter {
  const policy = createModelPolicy({
    timeoutMs: settings.timeoutMs,
    maxRetries: settings.maxRetries,
    breakerThreshold: settings.breakerThreshold,
    breakerCooldownMs: settings.breakerCooldownMs,
  });
  const client = deps.client ?? createModelClient(settings);
  const gateway = createModelGateway({ client, model: settings.model, policy, metrics: deps.metrics });
  return createModelInterpreter({ ...deps, gateway, turnBudgetMs: settings.turnBudgetMs });
}

export function createModelInterpreter(deps: ModelInterpreterDeps): Interpreter {
  return {
    async interpret(input) {
      if (isDeterministic(input.nlu, input.state, input.context)) {
        deps.metrics.recordTurn('fast');
        return { event: offlineInterpretation(input), notices: [], modelCalls: 0 };
      }
      // Each call has its own timeout, but a judge call plus an agent call plus a correction
      // could add up past what a channel waits (Teams re-sends after ~15 s).
      const gateway = countingGateway(deps.gateway, AbortSignal.timeout(deps.turnBudgetMs));
      try {
        const result = await understandWithModel(input, gateway, deps);
        return { ...result, modelCalls: gateway.calls };
      } catch (error) {
        deps.metrics.recordTurn('fallback');
        deps.logger.warn({ err: error, outcome: classifyModelFailure(error), state: input.state }, 'model unavailable; answered offline');
        return { event: offlineInterpretation(input), notices: [MODEL_UNAVAILABLE_NOTICE], modelCalls: gateway.calls };
      }
    },
  };
}

async function understandWithModel(
  input: InterpretInput,
  gateway: ModelGateway,
  deps: ModelInterpreterDeps,
): Promise<Omit<Interpretation, 'modelCalls'>> {
  const pending = currentPending(input.state, input.context);
  const judge = createModelRelevanceJudge({ gateway, clinic: deps.clinic });
  const relevance = await decideRelevance({ text: input.text, nlu: input.nlu, pending, locale: input.locale }, judge);
  if (relevance.verdict === 'drop') {
    deps.metrics.recordTurn('model');
    return { event: { type: 'DROP_PENDING' }, notices: [] };
  }
  const outcome = await runAgent(
    { ...input, clinic: deps.clinic, pending, pendingIsRelevant: relevance.verdict === 'about_pending' },
    { gateway, metrics: deps.metrics },
  );
  switch (outcome.kind) {
    case 'event':
      deps.metrics.recordTurn('model');
      return { event: outcome.event, notices: [] };
    case 'clarify':
      deps.metrics.recordTurn('clarify');
      return { event: null, notices: [outcome.message] };
    case 'no_tool':
      deps.metrics.recordTurn('model');
      return { event: offlineInterpretation(input), notices: [] };
  }
}
