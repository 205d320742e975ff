/**
 * The scripted server really speaks the protocol the `openai` client (v6) expects: checked
 * with the real client over HTTP, so the agent tests built on it test our code, not the fake.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeOpenAiServer, reply, unreachableBaseUrl } from '../../support/fake-openai.js';

const TOOLS = [
  {
    type: 'function' as const,
    function: {
      name: 'search_slots',
      description: 'Find free times',
      parameters: { type: 'object', properties: { serviceId: { type: 'string' } }, required: ['serviceId'], additionalProperties: false },
      strict: true,
    },
  },
];

describe('scripted OpenAI-compatible server, through the real openai client', () => {
  let server: FakeOpenAiServer;
  let client: OpenAI;

  beforeAll(async () => {
    server = await FakeOpenAiServer.start();
    client = new OpenAI({ baseURL: server.baseUrl, apiKey: 'test', maxRetries: 0, timeout: 2_000 });
  });
  afterAll(async () => server.close());
  beforeEach(() => server.reset());

  const ask = (text: string) =>
    client.chat.completions.create({ model: 'fake-model', messages: [{ role: 'user', content: text }], tools: TOOLS, parallel_tool_calls: false });

  it('answers a scripted tool call with id, function name, JSON arguments and finish_reason tool_calls', async () => {
    server.enqueue(reply.toolCall('search_slots', { serviceId: 'filling' }));
    const completion = await ask('I need a filling');
    const choice = completion.choices[0];
    expect(choice?.finish_reason).toBe('tool_calls');
    const call = choice?.message.tool_calls?.[0];
    expect(call?.type).toBe('function');
    expect(call?.id).toMatch(/^call_/);
    expect(call?.type === 'function' ? JSON.parse(call.function.arguments) : null).toEqual({ serviceId: 'filling' });
    expect(completion.object).toBe('chat.completion');
    expect(completion.usage?.prompt_tokens).toBeGreaterThan(0);
    expect(completion.usage?.total_tokens).toBe((completion.usage?.prompt_tokens ?? 0) + (completion.usage?.completion_tokens ?? 0));
  });

  it('records the parsed request bodies, and plain text comes back with finish_reason stop', async () => {
    server.enqueue(reply.text('Hello there'));
    const completion = await ask('hi');
    expect(completion.choices[0]?.message.content).toBe('Hello there');
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(server.requestCount).toBe(1);
    expect(server.requests[0]?.parallel_tool_calls).toBe(false);
    expect(server.requests[0]?.tools?.[0]?.function.name).toBe('search_slots');
    expect(server.tokens.prompt).toBeGreaterThan(0);
  });

  it('uses the default responder when the queue is empty, and can compute answers from the request', async () => {
    server.enqueue((request) => reply.text(`you said ${String(request.messages[0]?.content)}`));
    expect((await ask('one')).choices[0]?.message.content).toBe('you said one');
    expect((await ask('two')).choices[0]?.message.content).toBe('I am not sure.');
  });

  it('answers structured-output requests with JSON content', async () => {
    server.enqueue(reply.json({ relevant: false }));
    const completion = await client.chat.completions.create({
      model: 'fake-model',
      messages: [{ role: 'user', content: 'judge' }],
      response_format: { type: 'json_schema', json_schema: { name: 'verdict', schema: { type: 'object' }, strict: true } },
    });
    expect(JSON.parse(completion.choices[0]?.message.content ?? 'null')).toEqual({ relevant: false });
  });

  it('turns scripted HTTP errors into the client errors of that status, with the OpenAI error body', async () => {
    server.enqueue(reply.error(500), reply.error(429, 'slow down'), reply.error(503));
    await expect(ask('a')).rejects.toBeInstanceOf(OpenAI.InternalServerError);
    await expect(ask('b')).rejects.toMatchObject({ status: 429, code: 'rate_limit_exceeded', message: expect.stringContaining('slow down') });
    await expect(ask('c')).rejects.toMatchObject({ status: 503 });
  });

  it('lets the client time out on a delay longer than its timeout', async () => {
    server.enqueue(reply.delay(5_000, reply.text('too late')));
    const impatient = new OpenAI({ baseURL: server.baseUrl, apiKey: 'test', maxRetries: 0, timeout: 200 });
    await expect(impatient.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] })).rejects.toBeInstanceOf(
      OpenAI.APIConnectionTimeoutError,
    );
  });

  it('serves garbage: a non-JSON body fails to parse, no choices, and tool arguments that are not JSON', async () => {
    server.enqueue(reply.garbage('not_json'), reply.garbage('no_choices'), reply.garbage('bad_arguments'));
    await expect(ask('a')).rejects.toThrow();
    expect((await ask('b')).choices).toBeUndefined();
    const call = (await ask('c')).choices[0]?.message.tool_calls?.[0];
    expect(() => (call?.type === 'function' ? JSON.parse(call.function.arguments) : JSON.parse('{'))).toThrow();
  });

  it('is also reachable without the /v1 prefix, and a closed port refuses the connection', async () => {
    const bare = new OpenAI({ baseURL: server.url, apiKey: 'test', maxRetries: 0 });
    server.enqueue(reply.text('bare'));
    expect((await bare.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] })).choices[0]?.message.content).toBe('bare');
    const down = new OpenAI({ baseURL: await unreachableBaseUrl(), apiKey: 'test', maxRetries: 0 });
    await expect(down.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] })).rejects.toBeInstanceOf(
      OpenAI.APIConnectionError,
    );
  });
});
