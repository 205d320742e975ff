export interface BenchFigures {
  setup: string;
  turns: number;
  'turns/s': number;
  'p50 ms': number;
  'p95 ms': number;
  'p99 ms': number;
  booked: number;
  'slot taken, re-offered': number;
  'peak RSS MB': number;
}

export interface BenchRun {
  figures: BenchFigures;
  /** Conversation ids of the simulated patients. */
  scripts: { id: string }[];
}

export interface PatientOutcome {
  retriedAfterTaken: boolean;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? 0;
}

export function summarize(
  setup: string,
  latencies: number[],
  seconds: number,
  peakRss: number,
  outcomes: PatientOutcome[],
  booked: number,
): BenchFigures {
  const sorted = [...latencies].sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    setup,
    turns: latencies.length,
    'turns/s': Math.round(latencies.length / seconds),
    'p50 ms': round(percentile(sorted, 50)),
    'p95 ms': round(percentile(sorted, 95)),
    'p99 ms': round(percentile(sorted, 99)),
    booked,
    'slot taken, re-offered': outcomes.filter((o) => o.retriedAfterTaken).length,
    'peak RSS MB': Math.round(peakRss / 1024 / 1024),
  };
}
