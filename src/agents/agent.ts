/**
 * The tool loop of one turn. The model is offered the tools the chart allows in the current
 * state (strict schemas from zod, one call at a time) and answers with a tool call; that call
 * is validated (src/tools/validate.ts) and becomes one chart event. A refused call is sent
 * back once with the validator's feedback so the model can correct it; a second refusal asks
 * the patient instead. Nothing runs on invalid arguments: only a validated call yields an event.
 */
import { zodFunction } from 'openai/helpers/zod';
import type { ChatCompletionMessage, ChatCompletionMessageFunctionToolCall, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { Clinic } from '../config/catalog-schema.js';
import type { Locale } from '../core/locale.js';
import type { OutboundMessage } from '../core/messages.js';
import type { Metrics } from '../observability/metrics.js';
import { toolsFor } from '../tools/registry.js';
import { isToolName } from '../../statecharts/agent-policy.js';
import type { ToolCallContext, ToolValidationError } from '../tools/types.js';
import { checkToolCall } from '../tools/validate.js';
import type { ConversationContext, ConversationEvent, PendingAction } from '../../statecharts/conversation.js';
import { clarifyingQuestion } from './clarify.js';
import type { ModelGateway } from './gateway.js';
import { buildAgentPrompt } from './prompts.js';
import { ModelResponseError } from './resilience.js';

export interface AgentInput {
  text: string;
  state: string;
  context: ConversationContext;
  locale: Locale;
  now: Date;
  clinic: Clinic;
  pending: PendingAction | null;
  pendingIsRelevant: boolean;
}

export type AgentOutcome =
  | { kind: 'event'; event: ConversationEvent; tool: string }
  /** Two refused calls: ask the patient to choose among the valid values. */
  | { kind: 'clarify'; message: OutboundMessage }
  /** The model called no tool (text is ignored): the offline reading stands. */
  | { kind: 'no_tool' };

export async function runAgent(input: AgentInput, deps: { gateway: ModelGateway; metrics: Metrics }): Promise<AgentOutcome> {
  const specs = toolsFor(input.state);
  if (specs.length === 0) return { kind: 'no_tool' };
  const tools = specs.map((spec) => zodFunction({ name: spec.name, parameters: spec.parameters, description: spec.description }));
  const messages: ChatCompletionMessageParam[] = [
    { role: 'system', content: buildAgentPrompt(input) },
    { role: 'user', content: input.text },
  ];
  const ctx: ToolCallContext = { state: input.state, context: input.context, clinic: input.clinic, now: input.now, locale: input.locale };
  const ask = () => deps.gateway.complete('agent', { messages, tools, tool_choice: 'auto', parallel_tool_calls: false });

  const firstCall = firstToolCall(await ask());
  if (!firstCall) return { kind: 'no_tool' };
  const first = checkToolCall(firstCall.function.name, firstCall.function.arguments, ctx);
  if (first.ok) return { kind: 'event', event: first.event, tool: first.tool };
  countRefusal(deps.metrics, first.error);
  // Arguments that are not even JSON mean a broken server, not a model needing a hint.
  if (first.error.issues.every((issue) => issue.code === 'invalid_json')) throw new ModelResponseError('tool arguments are not JSON');

  messages.push(
    { role: 'assistant', content: null, tool_calls: [firstCall] },
    { role: 'tool', tool_call_id: firstCall.id, content: first.error.toModelFeedback() },
  );
  const secondCall = firstToolCall(await ask());
  const second = secondCall ? checkToolCall(secondCall.function.name, secondCall.function.arguments, ctx) : null;
  if (second?.ok) return { kind: 'event', event: second.event, tool: second.tool };
  if (second) countRefusal(deps.metrics, second.error);

  const { issues, suggestions } = second?.error ?? first.error;
  const question = clarifyingQuestion({ issues, suggestions, clinic: input.clinic, state: input.state, context: input.context });
  if (!question) throw new ModelResponseError('no valid tool call after feedback, and nothing to offer the patient');
  return { kind: 'clarify', message: question };
}

/** With parallel_tool_calls off there is at most one; anything beyond the first is ignored. */
function firstToolCall(message: ChatCompletionMessage): ChatCompletionMessageFunctionToolCall | null {
  const call = message.tool_calls?.find((c): c is ChatCompletionMessageFunctionToolCall => c.type === 'function');
  return call ?? null;
}

function countRefusal(metrics: Metrics, error: ToolValidationError): void {
  // A label per invented tool name would grow without bound.
  metrics.recordToolValidationFailure(isToolName(error.tool) ? error.tool : 'unknown_tool', error.issues[0]?.code ?? 'unknown');
}
