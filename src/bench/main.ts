/**
 * `npm run bench`: N simulated patients book at once through the real pipeline with the
 * offline NLU — once on Redis + PostgreSQL, once on the embedded defaults — and the figures
 * are printed. Flags: --conversations N (default 1000), --mode services|embedded|both.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import pg from 'pg';
import { createRuntime, type Runtime } from '../app.js';
import { SUPPORTED_LOCALES } from '../core/locale.js';
import { simulatePatient, type PatientScript } from './patients.js';
import { summarize, type BenchFigures } from './stats.js';

const { values } = parseArgs({
  options: {
    conversations: { type: 'string', default: '1000' },
    mode: { type: 'string', default: 'both' },
  },
});
const conversations = Number(values.conversations);
if (!Number.isInteger(conversations) || conversations < 1) {
  process.stderr.write(`--conversations must be a positive whole number (got "${values.conversations}")\n`);
  process.exit(2);
}
if (!['services', 'embedded', 'both'].includes(values.mode ?? '')) {
  process.stderr.write(`--mode must be services, embedded or both (got "${values.mode}")\n`);
  process.exit(2);
}

const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const DATABASE_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

async function runBench(label: string, runtime: Runtime): Promise<BenchFigures> {
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
  return summarize(label, latencies, seconds, peakRss, outcomes, await countBooked(runtime, scripts));
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

async function servicesRun(): Promise<BenchFigures> {
  const schema = `bench_${process.pid}_${Date.now()}`;
  const prefix = `bench:${schema}`;
  const runtime = await createRuntime(
    { REDIS_URL, DATABASE_URL, DATABASE_SCHEMA: schema, REDIS_KEY_PREFIX: prefix, LOG_LEVEL: 'silent', DATABASE_POOL_SIZE: '20', RATE_LIMIT_MAX: '1000' },
    { watchLocales: false },
  );
  try {
    return await runBench('redis+postgres', runtime);
  } finally {
    await runtime.close();
    const client = new pg.Client({ connectionString: DATABASE_URL });
    await client.connect();
    await client.query(`drop schema if exists ${schema} cascade`);
    await client.end();
    const redis = new Redis(REDIS_URL);
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    redis.disconnect();
  }
}

async function embeddedRun(): Promise<BenchFigures> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'clinic-bench-'));
  const runtime = await createRuntime({ DATA_DIR: dataDir, REDIS_URL: '', DATABASE_URL: '', LOG_LEVEL: 'silent', RATE_LIMIT_MAX: '1000' }, { watchLocales: false });
  try {
    return await runBench('embedded (memory + PGlite)', runtime);
  } finally {
    await runtime.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

const results: BenchFigures[] = [];
if (values.mode !== 'embedded') results.push(await servicesRun());
if (values.mode !== 'services') results.push(await embeddedRun());
process.stdout.write(`\n${conversations} concurrent conversations, offline NLU, Node ${process.version}\n`);
console.table(results);
