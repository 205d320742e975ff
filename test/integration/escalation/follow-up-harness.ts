/**
 * Runtimes for the follow-up tests: the demo clinic with waits of a second or two, on the real
 * Redis + PostgreSQL (BullMQ) or on the embedded default (in-process timers + PGlite).
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createRuntime, type Runtime } from '../../../src/app.js';
import { DEMO_CLINIC_FILE } from '../../../src/config/clinic.js';
import type { ChannelName, RenderedReply } from '../../../src/core/messages.js';
import type { LiveEvent, OutgoingMessage } from '../../../src/core/ports/live-events.js';
import type { Urgency } from '../../../src/core/ports/records.js';
import { DATABASE_URL, REDIS_URL, removeTestPlace, uniqueName } from '../../support/services.js';

export type Backend = 'redis' | 'embedded';

/** Minutes; 0.05 = 3 s. Generous enough that a test can claim before the first one fires. */
export type Waits = Record<Urgency, number>;

export interface Deployment {
  backend: Backend;
  /** A process of the app on this deployment's stores (call again for a "restart"). */
  start(): Promise<Runtime>;
  /** Shuts one process down (the others, and the stores, stay). */
  stop(runtime: Runtime): Promise<void>;
  cleanup(): Promise<void>;
}

export async function openDeployment(backend: Backend, waits: Waits): Promise<Deployment> {
  const dir = await mkdtemp(path.join(tmpdir(), 'follow-ups-'));
  const clinic = JSON.parse(await readFile(DEMO_CLINIC_FILE, 'utf8')) as Record<string, unknown>;
  const clinicFile = path.join(dir, 'clinic.json');
  await writeFile(clinicFile, JSON.stringify({ ...clinic, escalation: { waitMinutes: waits } }));
  const name = uniqueName(`follow_${backend}`);
  const env: NodeJS.ProcessEnv =
    backend === 'redis'
      ? { REDIS_URL, DATABASE_URL, DATABASE_SCHEMA: name, REDIS_KEY_PREFIX: `test:${name}` }
      : { REDIS_URL: '', DATABASE_URL: '', DATA_DIR: dir };
  const started: Runtime[] = [];
  return {
    backend,
    async start() {
      const runtime = await createRuntime(
        { ...env, CLINIC_FILE: clinicFile, APP_ENV: 'test', LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', TURN_TIMEOUT_MS: '120000' },
        { watchLocales: false },
      );
      started.push(runtime);
      return runtime;
    },
    async stop(runtime) {
      const index = started.indexOf(runtime);
      if (index >= 0) started.splice(index, 1);
      await runtime.close();
    },
    async cleanup() {
      for (const runtime of started.splice(0)) await runtime.close();
      if (backend === 'redis') await removeTestPlace(name, `test:${name}`);
      await rm(dir, { recursive: true, force: true });
    },
  };
}


/** What a patient's live connection receives: the outbound events of one conversation. */
export function watchOutbound(runtime: Runtime, channel: ChannelName, conversationId: string): OutgoingMessage[] {
  const received: OutgoingMessage[] = [];
  runtime.liveEvents.subscribe((event: LiveEvent) => {
    if (event.type === 'outbound' && event.channel === channel && event.conversationId === conversationId) received.push(event.message);
  });
  return received;
}

export async function say(runtime: Runtime, channel: ChannelName, conversationId: string, text: string): Promise<RenderedReply[]> {
  return runtime.assistant.handle({ channel, conversationId, senderId: conversationId, messageId: randomUUID(), text, at: new Date() });
}

/** Polls until `check` passes or a generous deadline is over; never asserts how long it took. */
export async function eventually<T>(check: () => Promise<T> | T, deadlineMs = 30_000): Promise<T> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > until) throw error;
      await sleep(50);
    }
  }
}
