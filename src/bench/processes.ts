/**
 * `--processes N`: the largest run spread over N processes of the app on one Redis and
 * PostgreSQL, each with its share of the patients, started together. Prints each process's
 * turns per second and the total.
 */
import { fork } from 'node:child_process';
import { benchWorker } from './worker-path.js';
import { createRuntime } from '../app.js';
import { benchPlace, deleteKeys, dropSchema, servicesEnv, type BenchPlace } from './services-runtime.js';
import { summarize, type BenchFigures, type Measured } from './stats.js';

/** What a worker reports when its share is done. */
export interface WorkerReport {
  figures: BenchFigures;
  measured: Measured;
}

/** What the parent tells a worker. */
export type WorkerOrder = { go: true } | { stop: true };

const WORKER = benchWorker('process-worker');

export async function runOverProcesses(processes: number, patients: number): Promise<BenchFigures[]> {
  const place = benchPlace('multi');
  // The schema is migrated once, before the workers race to open it.
  const setup = await createRuntime(servicesEnv(place), { watchLocales: false });
  await setup.close();
  try {
    const share = Math.ceil(patients / processes);
    const workers = Array.from({ length: processes }, (_, index) => startWorker(place, index, Math.min(share, patients - index * share)));
    await Promise.all(workers.map((worker) => worker.ready));
    for (const worker of workers) worker.go();
    const reports = await Promise.all(workers.map((worker) => worker.done));
    const rows = reports.map((report, index) => ({ ...report.figures, setup: `process ${index + 1} of ${processes}` }));
    const all: Measured = {
      latencies: reports.flatMap((report) => report.measured.latencies),
      seconds: Math.max(...reports.map((report) => report.measured.seconds)),
      cpuMs: reports.reduce((sum, report) => sum + report.measured.cpuMs, 0),
      peakRss: Math.max(...reports.map((report) => report.measured.peakRss)),
      loopDelayP99Ms: Math.max(...reports.map((report) => report.measured.loopDelayP99Ms)),
    };
    const booked = reports.reduce((sum, report) => sum + (typeof report.figures.booked === 'number' ? report.figures.booked : 0), 0);
    const retried = reports.reduce((sum, report) => sum + (typeof report.figures['slot taken, re-offered'] === 'number' ? report.figures['slot taken, re-offered'] : 0), 0);
    rows.push(summarize(`${processes} processes together`, patients, all, { booked, retried }));
    return rows;
  } finally {
    await dropSchema(place.schema);
    await deleteKeys(place.prefix);
  }
}

function startWorker(place: BenchPlace, index: number, patients: number) {
  const child = fork(WORKER.file, [], {
    execArgv: WORKER.execArgv,
    env: { ...process.env, BENCH_PLACE: JSON.stringify(place), BENCH_INDEX: String(index), BENCH_PATIENTS: String(patients) },
  });
  let resolveReady!: () => void;
  let resolveDone!: (report: WorkerReport) => void;
  let rejectDone!: (error: Error) => void;
  const ready = new Promise<void>((resolve) => (resolveReady = resolve));
  const done = new Promise<WorkerReport>((resolve, reject) => {
    resolveDone = resolve;
    rejectDone = reject;
  });
  child.on('message', (message: { ready?: true; report?: WorkerReport }) => {
    if (message.ready) resolveReady();
    if (message.report) {
      resolveDone(message.report);
      child.send({ stop: true } satisfies WorkerOrder);
    }
  });
  child.on('exit', (code) => {
    if (code !== 0) rejectDone(new Error(`bench worker ${index} exited with ${code}`));
  });
  return { ready, done, go: () => child.send({ go: true } satisfies WorkerOrder) };
}
