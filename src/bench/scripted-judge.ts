/**
 * The scripted model's answer to a structured-output question — the relevance judge's "is this
 * message about the pending request?". It reads the pending request from the prompt with the
 * same offline NLU it reads the patient with, decides, and fills whatever JSON schema was sent.
 */
import type { NluResult } from '../core/nlu.js';
import type { Nlu } from '../nlu/index.js';
import { reply, type ChatRequest, type FakeReply } from './fake-openai-replies.js';
import type { PromptFacts } from './prompt-facts.js';

type Verdict = 'about_pending' | 'drop' | 'unrelated';

export function judgeRelevance(request: ChatRequest, nlu: Nlu, facts: PromptFacts, message: NluResult): FakeReply {
  const pendingLine = facts.system.match(/Pending request:([^\n]*)/)?.[1] ?? '';
  const pending = nlu.understand(pendingLine, { locale: facts.locale, now: facts.now });
  return reply.json(fillSchema(request.response_format?.json_schema?.schema, decide(pending, message)));
}

function decide(pending: NluResult, message: NluResult): Verdict {
  const pendingIds = [pending.entities.serviceId, pending.entities.doctorId].filter((id): id is string => Boolean(id));
  const negated = [...message.negated.serviceIds, ...message.negated.doctorIds];
  if (negated.some((id) => pendingIds.includes(id))) return 'drop';
  const named = [message.entities.serviceId, message.entities.doctorId].filter((id): id is string => Boolean(id));
  if (named.some((id) => pendingIds.includes(id))) return 'about_pending';
  if (message.entities.serviceId) return 'unrelated';
  return message.entities.date || ['confirm', 'deny', 'choose_option', 'book'].includes(message.intent) ? 'about_pending' : 'unrelated';
}

interface JsonSchemaLike {
  type?: string | string[];
  enum?: unknown[];
  properties?: Record<string, JsonSchemaLike>;
}

/** An object of the requested shape: the verdict in an enum or string field, a yes/no in a boolean one. */
function fillSchema(schema: unknown, verdict: Verdict): unknown {
  const shape = (schema ?? {}) as JsonSchemaLike;
  if (!shape.properties) return { verdict };
  return Object.fromEntries(
    Object.entries(shape.properties).map(([name, property]) => [name, fillProperty(name, property, verdict)]),
  );
}

function fillProperty(name: string, property: JsonSchemaLike, verdict: Verdict): unknown {
  if (property.enum) return property.enum.includes(verdict) ? verdict : (property.enum.find((v) => String(v).includes(verdict)) ?? property.enum[0]);
  const types = Array.isArray(property.type) ? property.type : [property.type];
  if (types.includes('boolean')) return /drop/i.test(name) ? verdict === 'drop' : verdict === 'about_pending';
  if (types.includes('string')) return /reason|why|explanation/i.test(name) ? 'scripted' : verdict;
  return null;
}
