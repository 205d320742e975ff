/**
 * `npm run bench`: N simulated patients book at once through the real pipeline — with the
 * offline NLU on Redis + PostgreSQL and on the embedded defaults, or (`--mode model`) with a
 * scripted OpenAI-compatible server answering every model call after 400–800 ms — and the
 * figures are printed. `--mode whatsapp` measures WhatsApp messages per second through the
 * WhatsApp adapter and the pipeline with a fake socket. Flags: --conversations N (default 1000;
 * 100 in model mode, 300 in whatsapp mode), --mode services|embedded|both|model|whatsapp.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createRuntime, type Runtime } from '../app.js';
import { SUPPORTED_LOCALES } from '../core/locale.js';
import { runModelBench } from './model-mode.js';
import { simulatePatient, type PatientScript } from './patients.js';
import { withServicesRuntime } from './services-runtime.js';
import { summarize, type BenchFigures, type BenchRun } from './stats.js';

const MODES = ['services', 'embedded', 'both', 'model', 'whatsapp'];
const { values } = parseArgs({
  options: {
    conversations: { type: 'string' },
    mode: { type: 'string', default: 'both' },
  },
});
const mode = values.mode ?? 'both';
if (!MODES.includes(mode)) {
  process.stderr.write(`--mode must be one of ${MODES.join(', ')} (got "${mode}")\n`);
  process.exit(2);
}
const DEFAULT_CONVERSATIONS: Record<string, string> = { model: '100', whatsapp: '300' };
const conversations = Number(values.conversations ?? DEFAULT_CONVERSATIONS[mode] ?? '1000');
if (!Number.isInteger(conversations) || conversations < 1) {
  process.stderr.write(`--conversations must be a positive whole number (got "${values.conversations}")\n`);
  process.exit(2);
}

async function runBench(label: string, runtime: Runtime): Promise<BenchRun> {
  const scripts: PatientScript[] = Array.from({ length: conversations }, (_, i) => ({
    id: `bench-${label}-${i}`,
    locale: SUPPORTED_LOCALES[i % SUPPORTED_LOCALES.length] ?? 'en',
    variant: i,
  }));
  const latencies: number[] = [];
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  const started = performance.now();
  const outcomes = await Promise.all(scripts.map((script) => simulatePatient(runtime.assistant, script, latencies)));
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  return { figures: summarize(label, latencies, seconds, peakRss, outcomes, await countBooked(runtime, scripts)), scripts };
}

/** Bookings as the database has them (not timed). */
async function countBooked(runtime: Runtime, scripts: PatientScript[]): Promise<number> {
  let booked = 0;
  for (const script of scripts) {
    const patient = await runtime.records.patients.findOrCreateByIdentity({ channel: 'webchat', externalId: script.id }, {});
    booked += (await runtime.records.appointments.listUpcomingForPatient(patient.id, new Date(0))).length;
  }
  return booked;
}

async function embeddedRun(): Promise<BenchFigures> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'clinic-bench-'));
  const runtime = await createRuntime({ DATA_DIR: dataDir, REDIS_URL: '', DATABASE_URL: '', LOG_LEVEL: 'silent', RATE_LIMIT_MAX: '1000' }, { watchLocales: false });
  try {
    return (await runBench('embedded (memory + PGlite)', runtime)).figures;
  } finally {
    await runtime.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

if (mode === 'whatsapp') {
  // Loaded only for this mode: nothing else in the bench needs Baileys.
  const { runWhatsAppBench } = await import('./whatsapp-mode.js');
  await runWhatsAppBench(conversations);
} else if (mode === 'model') {
  await runModelBench(conversations, (runtime) => runBench('model (scripted server) + redis+postgres', runtime));
} else {
  const results: BenchFigures[] = [];
  if (mode !== 'embedded') results.push((await withServicesRuntime({}, (runtime) => runBench('redis+postgres', runtime))).figures);
  if (mode !== 'services') results.push(await embeddedRun());
  process.stdout.write(`\n${conversations} concurrent conversations, offline NLU, Node ${process.version}\n`);
  console.table(results);
}
