/**
 * Prometheus counters for the model side of the assistant (issue 3, point 8). One registry per
 * runtime, never prom-client's global one: two runtimes in one process (tests, the bench) keep
 * separate figures. Served as text at GET /metrics; `snapshot()` gives the same counts as plain
 * numbers for the bench.
 */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Why a model was called: to choose a tool, or to judge a pending action's relevance. */
export type ModelPurpose = 'agent' | 'relevance';
/** How one model call ended (after the resilience policy). */
export type ModelCallOutcome = 'ok' | 'timeout' | 'circuit_open' | 'error' | 'invalid_response';
/**
 * How a turn was understood: `fast` offline with no model call, `model` by the model,
 * `fallback` offline because the model failed, `clarify` the patient was asked to choose.
 */
export type InterpreterPath = 'fast' | 'model' | 'fallback' | 'clarify';

/** How one inbound message ended: see the `clinic_messages_total` help text. */
export type MessageOutcome = 'answered' | 'replayed' | 'refused' | 'rate_limited' | 'in_progress' | 'timeout' | 'failed';
/** How one outbox delivery attempt ended. */
export type DeliveryOutcome = 'sent' | 'retry' | 'failed';

export interface MetricsSnapshot {
  modelCalls: number;
  modelCallsByOutcome: Partial<Record<ModelCallOutcome, number>>;
  modelCallsByPurpose: Partial<Record<ModelPurpose, number>>;
  promptTokens: number;
  completionTokens: number;
  modelLatency: { count: number; sumSeconds: number };
  toolValidationFailures: number;
  toolValidationFailuresByTool: Record<string, number>;
  turnsByPath: Partial<Record<InterpreterPath, number>>;
}

export interface Metrics {
  readonly registry: Registry;
  recordModelCall(call: { purpose: ModelPurpose; outcome: ModelCallOutcome; seconds: number; promptTokens?: number; completionTokens?: number }): void;
  /** One refused tool call, labelled with its first issue's code. */
  recordToolValidationFailure(tool: string, code: string): void;
  recordTurn(path: InterpreterPath): void;
  recordMessage(channel: string, outcome: MessageOutcome): void;
  recordDelivery(channel: string, outcome: DeliveryOutcome): void;
  /** Prometheus text exposition and its content type, for GET /metrics. */
  exposition(): Promise<{ contentType: string; body: string }>;
  snapshot(): Promise<MetricsSnapshot>;
}

/**
 * Process figures (CPU, memory, event-loop lag) for a server that is scraped. Separate from
 * createMetrics because they install process-wide observers: a test that builds many runtimes
 * should not pile them up.
 */
export function collectProcessMetrics(metrics: Metrics): void {
  collectDefaultMetrics({ register: metrics.registry, prefix: 'clinic_' });
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  const registers = [registry];

  const modelCalls = new Counter({
    name: 'clinic_model_calls_total',
    help: 'Language model calls by purpose and outcome (retries count once).',
    labelNames: ['purpose', 'outcome'] as const,
    registers,
  });
  const promptTokens = new Counter({
    name: 'clinic_model_prompt_tokens_total',
    help: 'Prompt tokens reported by the model.',
    labelNames: ['purpose'] as const,
    registers,
  });
  const completionTokens = new Counter({
    name: 'clinic_model_completion_tokens_total',
    help: 'Completion tokens reported by the model.',
    labelNames: ['purpose'] as const,
    registers,
  });
  const latency = new Histogram({
    name: 'clinic_model_latency_seconds',
    help: 'Time for one model call, retries and back-off included.',
    labelNames: ['purpose'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16],
    registers,
  });
  const validationFailures = new Counter({
    name: 'clinic_tool_validation_failures_total',
    help: 'Tool calls refused before anything ran, by tool and the first issue code.',
    labelNames: ['tool', 'code'] as const,
    registers,
  });
  const turns = new Counter({
    name: 'clinic_interpreter_turns_total',
    help: 'Turns by how they were understood: fast (offline, no model call), model, fallback, clarify.',
    labelNames: ['path'] as const,
    registers,
  });

  const messages = new Counter({
    name: 'clinic_messages_total',
    help:
      'Inbound messages by channel and outcome: answered (committed), replayed (a redelivery, given its first answer), ' +
      'refused (empty, too long, media), rate_limited, in_progress (another turn of the conversation held it past the ' +
      'time limit), timeout, failed (an apology; nothing committed, the message can be sent again).',
    labelNames: ['channel', 'outcome'] as const,
    registers,
  });
  const deliveries = new Counter({
    name: 'clinic_outbound_deliveries_total',
    help: 'Outbox delivery attempts by channel and outcome: sent, retry (will be tried again), failed (given up).',
    labelNames: ['channel', 'outcome'] as const,
    registers,
  });

  return {
    registry,
    recordMessage(channel, outcome) {
      messages.inc({ channel, outcome });
    },
    recordDelivery(channel, outcome) {
      deliveries.inc({ channel, outcome });
    },
    recordModelCall({ purpose, outcome, seconds, promptTokens: prompt, completionTokens: completion }) {
      modelCalls.inc({ purpose, outcome });
      latency.observe({ purpose }, seconds);
      if (prompt) promptTokens.inc({ purpose }, prompt);
      if (completion) completionTokens.inc({ purpose }, completion);
    },
    recordToolValidationFailure(tool, code) {
      validationFailures.inc({ tool, code });
    },
    recordTurn(path) {
      turns.inc({ path });
    },
    async exposition() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
    async snapshot() {
      const [calls, prompt, completion, histogram, failures, turnCounts] = await Promise.all([
        modelCalls.get(),
        promptTokens.get(),
        completionTokens.get(),
        latency.get(),
        validationFailures.get(),
        turns.get(),
      ]);
      const byLabel = <L extends string>(values: { labels: Partial<Record<L, string | number>>; value: number }[], label: L) => {
        const out: Record<string, number> = {};
        for (const { labels, value } of values) {
          const key = String(labels[label] ?? 'none');
          out[key] = (out[key] ?? 0) + value;
        }
        return out;
      };
      const total = (values: { value: number }[]) => values.reduce((sum, { value }) => sum + value, 0);
      const histogramTotal = (suffix: string) =>
        total(histogram.values.filter((v) => v.metricName === `clinic_model_latency_seconds_${suffix}`));
      return {
        modelCalls: total(calls.values),
        modelCallsByOutcome: byLabel(calls.values, 'outcome'),
        modelCallsByPurpose: byLabel(calls.values, 'purpose'),
        promptTokens: total(prompt.values),
        completionTokens: total(completion.values),
        modelLatency: { count: histogramTotal('count'), sumSeconds: histogramTotal('sum') },
        toolValidationFailures: total(failures.values),
        toolValidationFailuresByTool: byLabel(failures.values, 'tool'),
        turnsByPath: byLabel(turnCounts.values, 'path'),
      };
    },
  };
}
