/**
 * The model-backed interpreter against a scripted OpenAI-compatible server over HTTP (the
 * real `openai` client): fast path, tool loop with one correction, asking the patient after a
 * second refusal, relevance gating of the prompt, and the offline fallback with the apology.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createModelInterpreterFromSettings } from '../../../src/agents/interpreter.js';
import type { ModelSettings } from '../../../src/agents/client.js';
import type { Interpreter, InterpretInput } from '../../../src/conversation/interpreter.js';
import type { NluResult } from '../../../src/core/nlu.js';
import { createLogger } from '../../../src/observability/logger.js';
import { createMetrics, type Metrics } from '../../../src/observability/metrics.js';
import { initialContext, type ConversationContext, type Slot } from '../../../statecharts/conversation.js';
import { testClinic } from '../../fixtures/clinic.js';
import { FakeOpenAiServer, lastUserText, offeredToolNames, reply, systemText, toolResults, unreachableBaseUrl } from '../../support/fake-openai.js';

const clinic = testClinic();
const now = new Date('2026-11-21T10:00:00Z');
const nlu = (over: Partial<NluResult>): NluResult => ({
  intent: 'unknown',
  confidence: 0,
  entities: {},
  negated: { serviceIds: [], doctorIds: [] },
  language: 'en',
  ...over,
});
const slots: Slot[] = ['2026-11-23T10:00:00.000Z', '2026-11-23T14:00:00.000Z'].map((startsAt) => ({
  id: `dr-dan@${startsAt}`,
  doctorId: 'dr-dan',
  serviceId: 'filling',
  startsAt,
  endsAt: new Date(Date.parse(startsAt) + 3_600_000).toISOString(),
}));
const choosing: ConversationContext = { ...initialContext(), serviceId: 'filling', doctorId: 'dr-dan', offeredSlots: slots };
const input = (over: Partial<InterpretInput>): InterpretInput => ({
  text: 'something',
  nlu: nlu({}),
  state: 'idle',
  context: initialContext(),
  locale: 'en',
  now,
  ...over,
});

function settings(baseUrl: string, over: Partial<ModelSettings> = {}): ModelSettings {
  return { apiKey: 'test-key', baseUrl, model: 'fake-model', timeoutMs: 5_000, turnBudgetMs: 30_000, maxRetries: 0, breakerThreshold: 100, breakerCooldownMs: 60_000, azure: null, ...over };
}

describe('model interpreter', () => {
  let server: FakeOpenAiServer;
  let metrics: Metrics;
  let interpreter: Interpreter;
  const logger = createLogger({ level: 'silent', redact: true, toStderr: false });

  beforeAll(async () => {
    server = await FakeOpenAiServer.start();
  });
  afterAll(async () => server.close());
  beforeEach(() => {
    server.reset();
    metrics = createMetrics();
    interpreter = createModelInterpreterFromSettings(settings(server.baseUrl), { clinic, metrics, logger });
  });

  it('makes no model call on a deterministic turn', async () => {
    const result = await interpreter.interpret(input({ text: '2', nlu: nlu({ intent: 'choose_option', confidence: 1, entities: { option: 2 } }), state: 'booking.choosingSlot', context: choosing }));
    expect(result).toEqual({ event: { type: 'CHOOSE', option: 2 }, notices: [], modelCalls: 0 });
    expect(server.requestCount).toBe(0);
    expect((await metrics.snapshot()).turnsByPath.fast).toBe(1);
  });

  it('turns a valid tool call into the chart event, sending only the current message and the state tools', async () => {
    server.enqueue(reply.toolCall('service_info', { serviceId: 'xray' }));
    const result = await interpreter.interpret(input({ text: 'what do you know about pictures of teeth?' }));
    expect(result).toEqual({ event: { type: 'ASK_SERVICE', serviceId: 'xray' }, notices: [], modelCalls: 1 });
    const request = server.requests[0];
    if (!request) throw new Error('no request');
    expect(request.messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(lastUserText(request)).toBe('what do you know about pictures of teeth?');
    expect(request.parallel_tool_calls).toBe(false);
    expect(offeredToolNames(request)).toContain('service_info');
    expect(offeredToolNames(request)).not.toContain('book_slot');
    expect(request.tools?.every((tool) => tool.function.strict === true)).toBe(true);
  });

  it('sends a refused call back once and takes the corrected one', async () => {
    server.enqueue(
      reply.toolCall('search_slots', { serviceId: 'filling', doctorId: 'dr-danny', date: null, time: null, timeRelation: null, partOfDay: null }),
      reply.toolCall('search_slots', { serviceId: 'filling', doctorId: 'dr-dan', date: null, time: null, timeRelation: null, partOfDay: null }),
    );
    const result = await interpreter.interpret(input({ text: 'a filling with doctor danny please' }));
    expect(result.event).toEqual({ type: 'BOOK', serviceId: 'filling', doctorId: 'dr-dan', date: null });
    expect(result.modelCalls).toBe(2);
    const feedback = toolResults(server.requests[1] ?? { model: '', messages: [] });
    expect(feedback).toHaveLength(1);
    expect(feedback[0]).toContain('dr-danny');
    expect(feedback[0]).toContain('dr-dan');
    expect((await metrics.snapshot()).toolValidationFailuresByTool).toEqual({ search_slots: 1 });
  });

  it('after a second refusal asks the patient, re-showing the offered menu, and sends no chart event', async () => {
    server.enqueue(reply.json({ verdict: 'about_pending' }), reply.toolCall('book_slot', { slotId: 'slot-1' }), reply.toolCall('book_slot', { slotId: 'test' }));
    const result = await interpreter.interpret(input({ text: 'the one after lunch i guess', state: 'booking.choosingSlot', context: choosing, nlu: nlu({ intent: 'book', confidence: 0.5 }) }));
    expect(result.event).toBeNull();
    expect(result.modelCalls).toBe(3);
    expect(systemText(server.requests[1] ?? { model: '', messages: [] })).toContain(slots[1]?.id ?? 'missing');
    expect(result.notices).toEqual([
      {
        key: 'clarify.choose_option',
        options: slots.map((slot) => ({ id: slot.id, key: 'booking.slot_option', params: { doctorId: 'dr-dan', startsAt: slot.startsAt } })),
      },
    ]);
    const snapshot = await metrics.snapshot();
    expect(snapshot.toolValidationFailures).toBe(2);
    expect(snapshot.turnsByPath.clarify).toBe(1);
  });

  it('asks the judge when relevance is undecided, and keeps an unrelated pending booking out of the prompt', async () => {
    server.enqueue(reply.json({ verdict: 'unrelated' }), reply.toolCall('list_my_appointments', {}));
    const result = await interpreter.interpret(input({ text: 'what have I got coming up?', state: 'booking.choosingSlot', context: choosing, nlu: nlu({ intent: 'book', confidence: 0.4 }) }));
    expect(result.modelCalls).toBe(2);
    expect(result.event).toEqual({ type: 'LIST_APPOINTMENTS' });
    const agentPrompt = systemText(server.requests[1] ?? { model: '', messages: [] });
    expect(agentPrompt).not.toContain('Request in progress');
    expect(agentPrompt).not.toContain(slots[0]?.id ?? 'missing');
  });

  it('a judge that says drop ends the pending action without asking the agent', async () => {
    server.enqueue(reply.json({ verdict: 'drop' }));
    const result = await interpreter.interpret(input({ text: 'actually never mind all that', state: 'booking.choosingSlot', context: choosing, nlu: nlu({ intent: 'book', confidence: 0.4 }) }));
    expect(result).toEqual({ event: { type: 'DROP_PENDING' }, notices: [], modelCalls: 1 });
  });

  it('ignores text the model writes: the offline reading stands, with no apology', async () => {
    server.enqueue(reply.text('Sure! Your filling costs 5 EUR and I booked it.'));
    const result = await interpreter.interpret(input({ text: 'hmm', nlu: nlu({}) }));
    expect(result).toEqual({ event: { type: 'UNKNOWN' }, notices: [], modelCalls: 1 });
  });

  it.each([
    ['a server error', reply.error(500)],
    ['an answer without choices', reply.garbage('no_choices')],
    ['a body that is not JSON', reply.garbage('not_json')],
    ['tool arguments that are not JSON', reply.garbage('bad_arguments')],
  ])('falls back to the offline reading with the apology on %s', async (_label, answer) => {
    server.enqueue(answer);
    const result = await interpreter.interpret(input({ text: 'hmm', nlu: nlu({}) }));
    expect(result).toEqual({ event: { type: 'UNKNOWN' }, notices: [{ key: 'fallback.model_unavailable' }], modelCalls: 1 });
    expect((await metrics.snapshot()).turnsByPath.fallback).toBe(1);
  });

  it('falls back when the model is slower than the timeout', async () => {
    const slow = createModelInterpreterFromSettings(settings(server.baseUrl, { timeoutMs: 100 }), { clinic, metrics, logger });
    server.enqueue(reply.delay(2_000, reply.toolCall('service_info', { serviceId: 'xray' })));
    const result = await slow.interpret(input({ text: 'hmm', nlu: nlu({}) }));
    expect(result.notices).toEqual([{ key: 'fallback.model_unavailable' }]);
    expect((await metrics.snapshot()).modelCallsByOutcome.timeout).toBe(1);
  });

  it('ends the model calls of a turn at the turn budget, even when each call is within its own timeout', async () => {
    // A relevance question and a correction round each within the 5 s call timeout; the turn may take 300 ms in all.
    const budgeted = createModelInterpreterFromSettings(settings(server.baseUrl, { turnBudgetMs: 300 }), { clinic, metrics, logger });
    server.enqueue(reply.delay(2_000, reply.toolCall('service_info', { serviceId: 'xray' })));
    const result = await budgeted.interpret(input({ text: 'hmm', nlu: nlu({}) }));
    expect(result).toEqual({ event: { type: 'UNKNOWN' }, notices: [{ key: 'fallback.model_unavailable' }], modelCalls: 1 });
    expect((await metrics.snapshot()).modelCallsByOutcome.timeout).toBe(1);
  });

  it('falls back when the model is down, and stops calling once the circuit opens', async () => {
    const down = createModelInterpreterFromSettings(settings(await unreachableBaseUrl(), { breakerThreshold: 2 }), { clinic, metrics, logger });
    for (let i = 0; i < 3; i += 1) {
      const result = await down.interpret(input({ text: 'hmm', nlu: nlu({}) }));
      expect(result.event).toEqual({ type: 'UNKNOWN' });
      expect(result.notices).toEqual([{ key: 'fallback.model_unavailable' }]);
    }
    const snapshot = await metrics.snapshot();
    expect(snapshot.modelCallsByOutcome).toEqual({ error: 2, circuit_open: 1 });
  });
});
