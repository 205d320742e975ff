/** One of the `--processes N` bench processes: its own runtime on the shared place, its share of patients. */
import { createRuntime } from '../app.js';
import type { WorkerOrder, WorkerReport } from './processes.js';
import { simulatePatient } from './patients.js';
import { countBooked, scriptsFor } from './runs.js';
import { servicesEnv, type BenchPlace } from './services-runtime.js';
import { measure, summarize } from './stats.js';

const place = JSON.parse(process.env.BENCH_PLACE ?? '{}') as BenchPlace;
const index = Number(process.env.BENCH_INDEX);
const patients = Number(process.env.BENCH_PATIENTS);
const send = (message: object) => process.send?.(message);

const runtime = await createRuntime(servicesEnv(place), { watchLocales: false });
const orders = new Promise<void>((resolve) => process.on('message', (order: WorkerOrder) => 'go' in order && resolve()));
send({ ready: true });
await orders;
const scripts = scriptsFor(patients, `p${index}`, index * patients);
const { result: outcomes, measured } = await measure((latencies) => Promise.all(scripts.map((script) => simulatePatient(runtime.assistant, script, latencies))));
const retried = outcomes.filter((outcome) => outcome.retriedAfterTaken).length;
const booked = await countBooked(runtime, scripts);
const report: WorkerReport = { figures: summarize(`process ${index + 1}`, patients, measured, { booked, retried }), measured };
process.on('message', async (order: WorkerOrder) => {
  if ('stop' in order) {
    await runtime.close();
    process.exit(0);
  }
});
send({ report });
