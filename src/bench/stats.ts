export interface BenchFigures {
  setup: string;
  patients: number;
  turns: number;
  'turns/s': number;
  'p50 ms': number;
  'p95 ms': number;
  'p99 ms': number;
  'CPU ms/turn': number;
  /** How late the event loop ran its callbacks (p99): a turn's wait that is not the servers'. */
  'loop delay p99 ms': number;
  booked: number | string;
  'slot taken, re-offered': number | string;
  'peak RSS MB': number;
}

export interface PatientOutcome {
  retriedAfterTaken: boolean;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? 0;
}

export interface Measured {
  latencies: number[];
  seconds: number;
  /** User + system CPU of this process over the run, in ms. */
  cpuMs: number;
  peakRss: number;
  /** p99 of the event loop's delay over the run, in ms. */
  loopDelayP99Ms: number;
}

const round = (n: number, places = 1) => Math.round(n * 10 ** places) / 10 ** places;

export function summarize(
  setup: string,
  patients: number,
  measured: Measured,
  outcome: { booked: number | string; retried: number | string },
): BenchFigures {
  const sorted = [...measured.latencies].sort((a, b) => a - b);
  const turns = measured.latencies.length;
  return {
    setup,
    patients,
    turns,
    'turns/s': Math.round(turns / measured.seconds),
    'p50 ms': round(percentile(sorted, 50)),
    'p95 ms': round(percentile(sorted, 95)),
    'p99 ms': round(percentile(sorted, 99)),
    'CPU ms/turn': round(measured.cpuMs / Math.max(1, turns), 2),
    'loop delay p99 ms': round(measured.loopDelayP99Ms),
    booked: outcome.booked,
    'slot taken, re-offered': outcome.retried,
    'peak RSS MB': Math.round(measured.peakRss / 1024 / 1024),
  };
}

/**
 * The event loop's lag: a 10 ms timer that notes how late it fires. (Node's
 * monitorEventLoopDelay, tried first, read a 500 ms synchronous stretch as 10 ms.)
 */
class LoopLag {
  readonly #lags: number[] = [];
  #expected = performance.now() + 10;
  readonly #timer = setInterval(() => {
    const now = performance.now();
    this.#lags.push(Math.max(0, now - this.#expected));
    this.#expected = now + 10;
  }, 10);

  p99(): number {
    return percentile([...this.#lags].sort((a, b) => a - b), 99);
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}

/** Runs `work` measuring wall time, this process's CPU and its peak RSS (sampled every 50 ms). */
export async function measure<T>(work: (latencies: number[]) => Promise<T>): Promise<{ result: T; measured: Measured }> {
  const latencies: number[] = [];
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  const loop = new LoopLag();
  const cpu = process.cpuUsage();
  const started = performance.now();
  try {
    const result = await work(latencies);
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    const loopDelayP99Ms = loop.p99();
    return { result, measured: { latencies, seconds, cpuMs: (used.user + used.system) / 1000, peakRss, loopDelayP99Ms } };
  } finally {
    loop.stop();
    clearInterval(sampler);
  }
}
