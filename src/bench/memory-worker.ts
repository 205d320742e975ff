/** The memory bench in its own process: see memory.ts. */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRuntime, type Runtime } from '../app.js';
import { SUPPORTED_LOCALES } from '../core/locale.js';
import { ACTIVE_CONVERSATIONS, type MemoryFigures } from './memory.js';
import { benchPlace, deleteKeys, dropSchema, servicesEnv } from './services-runtime.js';

const setup = process.argv[2] === 'embedded' ? 'embedded' : 'services';
// Active, not simultaneous: a hundred turns in flight at a time (the 1,000-patient runs measure bursts).
const BATCH = 100;
const LINES: Record<string, [string, string]> = {
  en: ['How much is a cleaning?', 'I want to book a cleaning'],
  es: ['¿Cuánto cuesta una limpieza?', 'Quiero reservar una limpieza'],
  ru: ['Сколько стоит чистка?', 'Хочу записаться на чистку'],
  he: ['כמה עולה ניקוי שיניים?', 'אני רוצה לקבוע תור לניקוי שיניים'],
  pt: ['Quanto custa uma limpeza?', 'Quero marcar uma limpeza'],
};

async function converse(runtime: Runtime, index: number): Promise<void> {
  const id = `mem-${index}`;
  const lines = LINES[SUPPORTED_LOCALES[index % SUPPORTED_LOCALES.length] ?? 'en'] ?? ['hi', 'book a cleaning'];
  for (const text of lines) {
    await runtime.assistant.handle({ channel: 'webchat', conversationId: id, senderId: id, messageId: randomUUID(), text, at: new Date() });
  }
}

const place = benchPlace('mem');
const dataDir = setup === 'embedded' ? await mkdtemp(path.join(tmpdir(), 'clinic-bench-mem-')) : null;
const env =
  setup === 'services'
    ? servicesEnv(place)
    : { DATA_DIR: dataDir ?? '', REDIS_URL: '', DATABASE_URL: '', LOG_LEVEL: 'silent', RATE_LIMIT_MAX: '1000', RATE_LIMIT_ADDRESS_MAX: '100000', TURN_TIMEOUT_MS: '120000' };
const runtime = await createRuntime(env, { watchLocales: false });
let peak = process.memoryUsage().rss;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
try {
  for (let start = 0; start < ACTIVE_CONVERSATIONS; start += BATCH) {
    await Promise.all(Array.from({ length: Math.min(BATCH, ACTIVE_CONVERSATIONS - start) }, (_, i) => converse(runtime, start + i)));
  }
  globalThis.gc?.();
  const usage = process.memoryUsage();
  peak = Math.max(peak, usage.rss);
  const figures: MemoryFigures = {
    setup: setup === 'services' ? 'redis+postgres' : 'embedded (memory + PGlite)',
    conversations: ACTIVE_CONVERSATIONS,
    turns: ACTIVE_CONVERSATIONS * 2,
    'RSS with all active MB': Math.round(usage.rss / 1024 / 1024),
    'peak RSS MB': Math.round(peak / 1024 / 1024),
    'heap used MB': Math.round(usage.heapUsed / 1024 / 1024),
  };
  process.send?.(figures);
} finally {
  clearInterval(sampler);
  await runtime.close();
  if (setup === 'services') {
    await dropSchema(place.schema);
    await deleteKeys(place.prefix);
  }
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
}
