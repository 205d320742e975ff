import { describe, expect, it } from 'vitest';
import { createHttpServer } from '../../../src/http/server.js';
import { createLogger } from '../../../src/observability/logger.js';
import { createMetrics } from '../../../src/observability/metrics.js';

describe('model metrics', () => {
  it('counts calls by outcome and purpose, tokens, latency, refusals and turn paths', async () => {
    const metrics = createMetrics();
    metrics.recordModelCall({ purpose: 'agent', outcome: 'ok', seconds: 0.4, promptTokens: 300, completionTokens: 20 });
    metrics.recordModelCall({ purpose: 'relevance', outcome: 'ok', seconds: 0.2, promptTokens: 100, completionTokens: 5 });
    metrics.recordModelCall({ purpose: 'agent', outcome: 'timeout', seconds: 8 });
    metrics.recordToolValidationFailure('search_slots', 'unknown_id');
    metrics.recordToolValidationFailure('book_slot', 'not_offered');
    metrics.recordTurn('fast');
    metrics.recordTurn('fast');
    metrics.recordTurn('fallback');

    const snapshot = await metrics.snapshot();
    expect(snapshot.modelCalls).toBe(3);
    expect(snapshot.modelCallsByOutcome).toEqual({ ok: 2, timeout: 1 });
    expect(snapshot.modelCallsByPurpose).toEqual({ agent: 2, relevance: 1 });
    expect(snapshot.promptTokens).toBe(400);
    expect(snapshot.completionTokens).toBe(25);
    expect(snapshot.modelLatency.count).toBe(3);
    expect(snapshot.toolValidationFailures).toBe(2);
    expect(snapshot.toolValidationFailuresByTool).toEqual({ search_slots: 1, book_slot: 1 });
    expect(snapshot.turnsByPath).toEqual({ fast: 2, fallback: 1 });
  });

  it('keeps each runtime figures apart', async () => {
    const first = createMetrics();
    const second = createMetrics();
    first.recordTurn('model');
    expect((await second.snapshot()).turnsByPath).toEqual({});
  });

  it('serves the counters as Prometheus text at GET /metrics', async () => {
    const metrics = createMetrics();
    metrics.recordToolValidationFailure('search_slots', 'placeholder');
    const server = createHttpServer({ logger: createLogger({ level: 'silent', redact: true, toStderr: false }), readiness: [], isShuttingDown: () => false, metrics });
    try {
      const response = await server.inject({ method: 'GET', url: '/metrics' });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toContain('text/plain');
      expect(response.body).toContain('clinic_tool_validation_failures_total{tool="search_slots",code="placeholder"} 1');
      expect(response.body).toContain('# TYPE clinic_model_latency_seconds histogram');
    } finally {
      await server.close();
    }
  });
});
