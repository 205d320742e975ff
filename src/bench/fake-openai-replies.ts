/**
 * What a scripted stand-in for OpenAI's servers answers, and how each answer is written on the
 * wire in the shape of the Chat Completions API (what the `openai` client parses).
 */
import { randomUUID } from 'node:crypto';

/** The parts of a Chat Completions request body that the fakes read. */
export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  tools?: OfferedTool[];
  tool_choice?: unknown;
  parallel_tool_calls?: boolean;
  response_format?: { type: string; json_schema?: { name?: string; schema?: unknown } };
  [other: string]: unknown;
}

export interface ChatMessage {
  role: 'system' | 'developer' | 'user' | 'assistant' | 'tool';
  content?: string | { type: string; text?: string }[] | null;
  tool_calls?: { id: string; type: string; function: { name: string; arguments: string } }[];
  tool_call_id?: string;
}

export interface OfferedTool {
  type: 'function';
  function: { name: string; description?: string; parameters?: unknown; strict?: boolean };
}

/** One scripted answer. */
export type FakeReply =
  /** A function call; `args` is serialized with JSON.stringify unless `rawArguments` is given. */
  | { kind: 'tool_call'; name: string; args?: unknown; rawArguments?: string }
  | { kind: 'text'; content: string }
  /** A structured-output answer (response_format json_schema): the value as JSON content. */
  | { kind: 'json'; value: unknown }
  | { kind: 'http_error'; status: number; message?: string }
  /** Answers `then` after `ms`; a client that gives up first just sees nothing. */
  | { kind: 'delay'; ms: number; then: FakeReply }
  /** Broken answers: a non-JSON body, JSON without choices, or a tool call whose arguments are not JSON. */
  | { kind: 'garbage'; shape: 'not_json' | 'no_choices' | 'bad_arguments' };

/** Decides the answer to one request: a fixed reply, or one computed from what was sent. */
export type Responder = (request: ChatRequest) => FakeReply | Promise<FakeReply>;

export const reply = {
  toolCall: (name: string, args: unknown): FakeReply => ({ kind: 'tool_call', name, args }),
  text: (content: string): FakeReply => ({ kind: 'text', content }),
  json: (value: unknown): FakeReply => ({ kind: 'json', value }),
  error: (status: number, message?: string): FakeReply => ({ kind: 'http_error', status, ...(message ? { message } : {}) }),
  delay: (ms: number, then: FakeReply): FakeReply => ({ kind: 'delay', ms, then }),
  garbage: (shape: 'not_json' | 'no_choices' | 'bad_arguments'): FakeReply => ({ kind: 'garbage', shape }),
};

export interface WireResponse {
  status: number;
  contentType: string;
  body: string;
  usage: { prompt: number; completion: number };
}

/** Roughly four characters a token, as OpenAI's own rule of thumb; good enough for figures. */
export function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

const ERROR_TYPES: Record<number, { type: string; code: string | null }> = {
  400: { type: 'invalid_request_error', code: null },
  401: { type: 'invalid_request_error', code: 'invalid_api_key' },
  404: { type: 'invalid_request_error', code: 'not_found' },
  429: { type: 'requests', code: 'rate_limit_exceeded' },
  500: { type: 'server_error', code: null },
  503: { type: 'server_error', code: 'service_unavailable' },
};

export function errorBody(status: number, message: string): string {
  const { type, code } = ERROR_TYPES[status] ?? { type: 'server_error', code: null };
  return JSON.stringify({ error: { message, type, param: null, code } });
}

/** Writes a settled (non-delay) reply as the HTTP response the `openai` client expects. */
export function toWire(request: ChatRequest, answer: Exclude<FakeReply, { kind: 'delay' }>): WireResponse {
  const prompt = estimateTokens(JSON.stringify(request.messages ?? []) + JSON.stringify(request.tools ?? []));
  const json = 'application/json';
  switch (answer.kind) {
    case 'http_error':
      return { status: answer.status, contentType: json, body: errorBody(answer.status, answer.message ?? `scripted ${answer.status}`), usage: { prompt: 0, completion: 0 } };
    case 'garbage':
      return garbage(request, answer.shape, prompt);
    case 'text':
      return completion(request, { role: 'assistant', content: answer.content, refusal: null }, 'stop', prompt, answer.content);
    case 'json': {
      const content = JSON.stringify(answer.value);
      return completion(request, { role: 'assistant', content, refusal: null }, 'stop', prompt, content);
    }
    case 'tool_call': {
      const args = answer.rawArguments ?? JSON.stringify(answer.args ?? {});
      return completion(request, toolCallMessage(answer.name, args), 'tool_calls', prompt, answer.name + args);
    }
  }
}

function toolCallMessage(name: string, args: string) {
  return {
    role: 'assistant',
    content: null,
    refusal: null,
    tool_calls: [{ id: `call_${randomUUID().replace(/-/g, '').slice(0, 24)}`, type: 'function', function: { name, arguments: args } }],
  };
}

function completion(request: ChatRequest, message: object, finishReason: 'stop' | 'tool_calls', prompt: number, output: string): WireResponse {
  const completionTokens = estimateTokens(output);
  const body = {
    id: `chatcmpl-${randomUUID()}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: request.model ?? 'fake-model',
    choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason }],
    usage: { prompt_tokens: prompt, completion_tokens: completionTokens, total_tokens: prompt + completionTokens },
  };
  return { status: 200, contentType: 'application/json', body: JSON.stringify(body), usage: { prompt, completion: completionTokens } };
}

function garbage(request: ChatRequest, shape: 'not_json' | 'no_choices' | 'bad_arguments', prompt: number): WireResponse {
  if (shape === 'not_json') {
    return { status: 200, contentType: 'application/json', body: '<html>502 Bad Gateway</html>{"choices": [', usage: { prompt: 0, completion: 0 } };
  }
  if (shape === 'no_choices') {
    const body = { id: `chatcmpl-${randomUUID()}`, object: 'chat.completion', created: Math.floor(Date.now() / 1000), model: request.model };
    return { status: 200, contentType: 'application/json', body: JSON.stringify(body), usage: { prompt: 0, completion: 0 } };
  }
  const name = request.tools?.[0]?.function.name ?? 'search_slots';
  return completion(request, toolCallMessage(name, '{"serviceId": "filling", "date": tomorrow'), 'tool_calls', prompt, name);
}
