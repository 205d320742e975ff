import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createModelClient, type ModelSettings } from '../../../src/agents/client.js';
import { createModelGateway } from '../../../src/agents/gateway.js';
import { createModelRelevanceJudge } from '../../../src/agents/relevance-judge.js';
import { createModelPolicy } from '../../../src/agents/resilience.js';
import type { NluResult } from '../../../src/core/nlu.js';
import { createMetrics } from '../../../src/observability/metrics.js';
import { decideRelevance, type RelevanceJudge } from '../../../src/relevance/judge.js';
import type { PendingAction } from '../../../statecharts/conversation.js';
import { testClinic } from '../../fixtures/clinic.js';
import { FakeOpenAiServer, lastUserText, reply, systemText } from '../../support/fake-openai.js';

const nlu = (over: Partial<NluResult>): NluResult => ({
  intent: 'unknown',
  confidence: 0,
  entities: {},
  negated: { serviceIds: [], doctorIds: [] },
  language: 'en',
  ...over,
});
const pending: PendingAction = { kind: 'book', serviceId: 'filling', doctorId: 'dr-dan', slot: null };

describe('relevance: the model judges only what the fast checks leave undecided', () => {
  let server: FakeOpenAiServer;
  let judge: RelevanceJudge;

  beforeAll(async () => {
    server = await FakeOpenAiServer.start();
    const settings: ModelSettings = {
      apiKey: 'test-key',
      baseUrl: server.baseUrl,
      model: 'fake-model',
      turnBudgetMs: 30_000,
      timeoutMs: 5_000,
      maxRetries: 0,
      breakerThreshold: 100,
      breakerCooldownMs: 1_000,
      azure: null,
    };
    const gateway = createModelGateway({ client: createModelClient(settings), model: settings.model, policy: createModelPolicy(settings), metrics: createMetrics() });
    judge = createModelRelevanceJudge({ gateway, clinic: testClinic() });
  });
  afterAll(async () => server.close());
  beforeEach(() => server.reset());

  it('asks nobody when the fast checks decide', async () => {
    const dropped = await decideRelevance({ text: "I don't need Dan", nlu: nlu({ intent: 'deny', negated: { serviceIds: [], doctorIds: ['dr-dan'] } }), pending, locale: 'en' }, judge);
    const otherService = await decideRelevance({ text: 'and x-rays?', nlu: nlu({ intent: 'ask_service', entities: { serviceId: 'xray' } }), pending, locale: 'en' }, judge);
    const yes = await decideRelevance({ text: 'yes', nlu: nlu({ intent: 'confirm', entities: { yesNo: 'yes' } }), pending, locale: 'en' }, judge);
    expect([dropped.verdict, otherService.verdict, yes.verdict]).toEqual(['drop', 'unrelated', 'about_pending']);
    expect([dropped.judged, otherService.judged, yes.judged]).toEqual([false, false, false]);
    expect(server.requestCount).toBe(0);
  });

  it('asks nobody when there is no pending action', async () => {
    const decision = await decideRelevance({ text: 'hmm, maybe later', nlu: nlu({}), pending: null, locale: 'en' }, judge);
    expect(decision).toEqual({ verdict: 'unrelated', judged: false });
    expect(server.requestCount).toBe(0);
  });

  it('asks the model once when undecided, with a structured answer, and takes its verdict', async () => {
    server.enqueue(reply.json({ verdict: 'about_pending' }));
    const decision = await decideRelevance({ text: 'can it be a bit later?', nlu: nlu({}), pending, locale: 'en' }, judge);
    expect(decision).toEqual({ verdict: 'about_pending', judged: true });
    expect(server.requestCount).toBe(1);
    const request = server.requests[0];
    if (!request) throw new Error('no request recorded');
    expect(request.response_format?.type).toBe('json_schema');
    expect(lastUserText(request)).toBe('can it be a bit later?');
    expect(systemText(request)).toContain('book Filling with Dr. Dan');
  });

  it('passes on a drop verdict', async () => {
    server.enqueue(reply.json({ verdict: 'drop' }));
    const decision = await decideRelevance({ text: 'forget it', nlu: nlu({}), pending, locale: 'en' }, judge);
    expect(decision.verdict).toBe('drop');
  });

  it('fails loudly on an answer outside the schema, so the turn can fall back', async () => {
    server.enqueue(reply.json({ verdict: 'maybe' }));
    await expect(decideRelevance({ text: 'hmm', nlu: nlu({}), pending, locale: 'en' }, judge)).rejects.toThrow(/relevance verdict/);
  });
});
