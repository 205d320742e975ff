/**
 * `npm run bench`: simulated patients book at once through the real pipeline with the offline
 * NLU, and the figures are printed — on Redis + PostgreSQL next to the floor (the same Redis
 * commands and SQL statements replayed bare, src/bench/recorder.ts) at 20 and 1,000 patients,
 * 1,000 patients who pause between messages, 10,000 active conversations for memory, and the
 * embedded defaults. `--mode model` points the assistant at a scripted model server instead;
 * `--mode whatsapp` measures WhatsApp messages per second through the WhatsApp adapter and the
 * pipeline with a fake socket (300 patients unless --conversations says otherwise).
 *
 * Flags: --mode both|services|embedded|model|whatsapp, --conversations N (one size only),
 * --processes N (the 1,000-patient run over N processes), --pause-ms (default 5000),
 * --quick (skip the paused and memory runs).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createRuntime, type Runtime } from '../app.js';
import { runModelBench } from './model-mode.js';
import { runOverProcesses } from './processes.js';
import { appRun, floorRun } from './runs.js';
import { memoryRun } from './memory.js';
import { withServicesRuntime } from './services-runtime.js';
import type { BenchFigures } from './stats.js';

const MODES = ['services', 'embedded', 'both', 'model', 'whatsapp'];
const { values } = parseArgs({
  options: {
    conversations: { type: 'string' },
    mode: { type: 'string', default: 'both' },
    processes: { type: 'string', default: '1' },
    'pause-ms': { type: 'string', default: '5000' },
    quick: { type: 'boolean', default: false },
  },
});
const mode = values.mode ?? 'both';
if (!MODES.includes(mode)) fail(`--mode must be one of ${MODES.join(', ')} (got "${mode}")`);
const sizes = values.conversations ? [wholeNumber('--conversations', values.conversations)] : [20, 1000];
const processes = wholeNumber('--processes', values.processes ?? '1');
const pauseMs = wholeNumber('--pause-ms', values['pause-ms'] ?? '5000', 0);
const largest = Math.max(...sizes);

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

function wholeNumber(flag: string, raw: string, min = 1): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) fail(`${flag} must be a whole number of at least ${min} (got "${raw}")`);
  return value;
}

/** App and floor side by side, and what the app costs on top of the floor. */
function ratios(app: BenchFigures, floor: BenchFigures): Record<string, string | number> {
  const ratio = (a: number, b: number) => (b === 0 ? '—' : Math.round((a / b) * 100) / 100);
  return {
    patients: app.patients,
    'turns/s app ÷ floor': ratio(app['turns/s'], floor['turns/s']),
    'p99 app ÷ floor': ratio(app['p99 ms'], floor['p99 ms']),
    'CPU/turn app ÷ floor': ratio(app['CPU ms/turn'], floor['CPU ms/turn']),
  };
}

async function servicesRuns(): Promise<{ rows: BenchFigures[]; compared: Record<string, string | number>[] }> {
  const rows: BenchFigures[] = [];
  const compared: Record<string, string | number>[] = [];
  await withServicesRuntime({}, async (runtime, place) => {
    // Not counted: lets the JIT compile the hot paths, as in a process that has been running.
    const warm = await appRun(runtime, { label: 'warm-up', patients: 100, record: true, idPrefix: 'warm' });
    await floorRun('warm-up', place, warm.traffic);
    for (const patients of sizes) {
      const app = await appRun(runtime, { label: 'redis+postgres', patients, record: true, idPrefix: `b${patients}` });
      const floor = await floorRun('floor (same commands, bare)', place, app.traffic);
      rows.push(app.figures, floor);
      compared.push(ratios(app.figures, floor));
    }
  });
  if (!values.quick) {
    // A clinic of its own, its calendar empty, as the 1,000-patient run had it: after that run
    // nearly every time is taken, and a paused run there measures fights over the last slots.
    await withServicesRuntime({}, async (runtime, place) => {
      const paused = await appRun(runtime, { label: `redis+postgres, ${pauseMs} ms pauses`, patients: largest, pauseMs, record: true, idPrefix: 'paused' });
      const floor = await floorRun(`floor, ${pauseMs} ms pauses`, place, paused.traffic, pauseMs);
      rows.push(paused.figures, floor);
      compared.push({ ...ratios(paused.figures, floor), patients: `${largest}, paused` });
    });
  }
  return { rows, compared };
}

async function embeddedRun(patients: number): Promise<BenchFigures> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'clinic-bench-'));
  const runtime: Runtime = await createRuntime(
    { DATA_DIR: dataDir, REDIS_URL: '', DATABASE_URL: '', LOG_LEVEL: 'silent', RATE_LIMIT_MAX: '1000', RATE_LIMIT_ADDRESS_MAX: '100000', TURN_TIMEOUT_MS: '120000' },
    { watchLocales: false },
  );
  try {
    return (await appRun(runtime, { label: 'embedded (memory + PGlite)', patients, idPrefix: 'e' })).figures;
  } finally {
    await runtime.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

if (mode === 'whatsapp') {
  // Loaded only for this mode: nothing else in the bench needs Baileys.
  const { runWhatsAppBench } = await import('./whatsapp-mode.js');
  await runWhatsAppBench(values.conversations ? largest : 300);
} else if (mode === 'model') {
  await runModelBench(values.conversations ? largest : 100, async (runtime) => appRun(runtime, { label: 'model (scripted server) + redis+postgres', patients: values.conversations ? largest : 100, idPrefix: 'm' }));
} else {
  const rows: BenchFigures[] = [];
  let compared: Record<string, string | number>[] = [];
  if (mode !== 'embedded') {
    const services = await servicesRuns();
    rows.push(...services.rows);
    compared = services.compared;
    if (processes > 1) rows.push(...(await runOverProcesses(processes, largest)));
  }
  if (mode !== 'services') rows.push(await embeddedRun(largest));
  const memory = values.quick ? [] : await memoryRun(mode);
  process.stdout.write(`\nOffline NLU, Node ${process.version}, ${processes} process(es)\n`);
  console.table(rows);
  if (compared.length > 0) {
    process.stdout.write('\nThe app against its floor (goal: turns/s ≥ 0.5, p99 ≤ 2)\n');
    console.table(compared);
  }
  if (memory.length > 0) {
    process.stdout.write('\nMemory with 10,000 active conversations\n');
    console.table(memory);
  }
}
