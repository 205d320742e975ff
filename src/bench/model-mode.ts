/**
 * `npm run bench -- --mode model`: the same simulated patients, with the assistant pointed at
 * a scripted OpenAI-compatible server that answers like a model (src/bench/scripted-model.ts)
 * after a realistic 400–800 ms. Prints what a clinic pays for the model: calls per completed
 * booking, tokens per turn, end-to-end latency and how often the model's tool calls were refused.
 */
import type { Runtime } from '../app.js';
import type { MetricsSnapshot } from '../observability/metrics.js';
import { FakeOpenAiServer } from './fake-openai-server.js';
import { createScriptedModel } from './scripted-model.js';
import { withServicesRuntime } from './services-runtime.js';
import type { AppRun } from './runs.js';

const MODEL_LATENCY_MS = { min: 400, max: 800 };

export interface ModelFigures {
  conversations: number;
  turns: number;
  booked: number | string;
  'model calls': number;
  'model calls / booking': number;
  'prompt tokens / turn': number;
  'completion tokens / turn': number;
  'mean model call ms': number;
  'p50 ms': number;
  'p95 ms': number;
  'p99 ms': number;
  'validation failures': number;
  'turns fast / model / fallback / clarify': string;
}

export async function runModelBench(conversations: number, runBench: (runtime: Runtime) => Promise<AppRun>): Promise<void> {
  const server = await FakeOpenAiServer.start({ defaultResponder: await createScriptedModel(), latencyMs: MODEL_LATENCY_MS });
  try {
    const env = { OPENAI_BASE_URL: server.baseUrl, OPENAI_API_KEY: 'bench', OPENAI_MODEL: 'scripted-model' };
    const { run, counted } = await withServicesRuntime(env, async (runtime) => {
      const done = await runBench(runtime);
      return { run: done, counted: await runtime.metrics.snapshot() };
    });
    process.stdout.write(
      `\n${conversations} concurrent conversations, scripted model answering in ${MODEL_LATENCY_MS.min}–${MODEL_LATENCY_MS.max} ms, Node ${process.version}\n`,
    );
    console.table([modelFigures(conversations, run, counted, server)]);
  } finally {
    await server.close();
  }
}

function modelFigures(conversations: number, { figures }: AppRun, counted: MetricsSnapshot, server: FakeOpenAiServer): ModelFigures {
  const round = (n: number) => Math.round(n * 100) / 100;
  const turns = Math.max(1, figures.turns);
  const paths = counted.turnsByPath;
  return {
    conversations,
    turns: figures.turns,
    booked: figures.booked,
    // As the server saw them: every HTTP request, retries included.
    'model calls': server.requestCount,
    'model calls / booking': typeof figures.booked !== 'number' || figures.booked === 0 ? 0 : round(server.requestCount / figures.booked),
    'prompt tokens / turn': round(counted.promptTokens / turns),
    'completion tokens / turn': round(counted.completionTokens / turns),
    'mean model call ms': counted.modelLatency.count === 0 ? 0 : Math.round((counted.modelLatency.sumSeconds / counted.modelLatency.count) * 1000),
    'p50 ms': figures['p50 ms'],
    'p95 ms': figures['p95 ms'],
    'p99 ms': figures['p99 ms'],
    'validation failures': counted.toolValidationFailures,
    'turns fast / model / fallback / clarify': [paths.fast, paths.model, paths.fallback, paths.clarify].map((n) => n ?? 0).join(' / '),
  };
}
