/**
 * The app with WhatsApp enabled against the loopback fake WhatsApp server, on the real Redis
 * and PostgreSQL (own key prefix and schema per deployment, removed by cleanUp), with short
 * leases, pauses and back-offs so tests run in seconds.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { startApp, type RunningApp, type RuntimeOptions } from '../../src/app.js';
import type { WhatsAppLinkState, WhatsAppStatus } from '../../src/core/ports/whatsapp-link.js';
import type { FakeWhatsApp } from './fake-whatsapp/server.js';
import { DATABASE_URL, REDIS_URL, removeTestPlace, requirePostgres, requireRedis, uniqueName } from './services.js';

export const FAST_WHATSAPP_ENV: Record<string, string> = {
  WHATSAPP_ENABLED: 'true',
  WHATSAPP_LEASE_MS: '2000',
  WHATSAPP_CHAT_GAP_MS: '20',
  WHATSAPP_SEND_GAP_MS: '0',
  WHATSAPP_RECONNECT_BASE_MS: '200',
  WHATSAPP_RECONNECT_MAX_MS: '1000',
  WHATSAPP_REPLACED_PAUSE_MS: '3000',
  WHATSAPP_CONNECT_TIMEOUT_MS: '4000',
  WHATSAPP_LOG_LEVEL: process.env.TEST_WHATSAPP_LOG_LEVEL ?? 'silent',
};

export interface WhatsAppDeployment {
  env: Record<string, string>;
  schema: string;
  prefix: string;
  start(options?: RuntimeOptions & { env?: Record<string, string> }): Promise<RunningApp>;
  query<R extends object>(sql: string, params?: unknown[]): Promise<R[]>;
  cleanUp(): Promise<void>;
}

/** One deployment (schema + key prefix) that may run several app processes (in-process here). */
export async function whatsappDeployment(server: FakeWhatsApp, label: string, extraEnv: Record<string, string> = {}): Promise<WhatsAppDeployment> {
  await requireRedis();
  await requirePostgres();
  const schema = uniqueName(label);
  const prefix = `test:${schema}`;
  const env: Record<string, string> = {
    PORT: '0',
    HOST: '127.0.0.1',
    APP_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    TURN_TIMEOUT_MS: '120000',
    OPENAI_API_KEY: '',
    OPENAI_BASE_URL: '',
    REDIS_URL,
    DATABASE_URL,
    DATABASE_SCHEMA: schema,
    REDIS_KEY_PREFIX: prefix,
    ...FAST_WHATSAPP_ENV,
    ...server.appEnv,
    ...extraEnv,
  };
  return {
    env,
    schema,
    prefix,
    start: ({ env: more, ...options } = {}) => startApp({ ...env, ...more }, { watchLocales: false, ...options }),
    async query(sql, params = []) {
      const client = new pg.Client({ connectionString: DATABASE_URL });
      await client.connect();
      try {
        await client.query(`set search_path to ${schema}`);
        return (await client.query(sql, params)).rows;
      } finally {
        await client.end();
      }
    },
    async cleanUp() {
      await removeTestPlace(schema, prefix);
    },
  };
}

/** Polls until `check` returns a value (not undefined/false), or fails naming what it waited for. */
export async function eventually<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

export function whatsappOf(app: RunningApp): NonNullable<RunningApp['whatsapp']> {
  if (!app.whatsapp) throw new Error('WhatsApp is not enabled in this app');
  return app.whatsapp;
}

/** Every status the app shows from now on, so a short-lived one (reconnecting for 50 ms) is not missed. */
export function recordStatuses(app: RunningApp): { seen: WhatsAppStatus[]; next(state: WhatsAppLinkState, timeoutMs?: number): Promise<WhatsAppStatus>; stop(): void } {
  const seen: WhatsAppStatus[] = [];
  let taken = 0;
  const stop = whatsappOf(app).onStatus((status) => seen.push(status));
  return {
    seen,
    async next(state, timeoutMs = 20_000) {
      const found = await eventually(`a ${state} status (seen: ${seen.slice(taken).map((s) => s.state).join(', ') || 'none'})`, () => {
        const index = seen.findIndex((status, i) => i >= taken && status.state === state);
        if (index < 0) return undefined;
        taken = index + 1;
        return seen[index];
      }, timeoutMs);
      return found;
    },
    stop,
  };
}

export async function statusReaches(app: RunningApp, state: WhatsAppLinkState, timeoutMs = 20_000): Promise<WhatsAppStatus> {
  return eventually(`WhatsApp state ${state} (now ${whatsappOf(app).status().state})`, () => {
    const status = whatsappOf(app).status();
    return status.state === state ? status : undefined;
  }, timeoutMs);
}

/** Links the deployment's number by QR: asks to link, waits for the QR code, lets the clinic phone scan it. */
export async function linkByQr(app: RunningApp, server: FakeWhatsApp): Promise<void> {
  // A command needs a process holding the number, as the console's buttons do.
  await eventually('a process holding the number', () => whatsappOf(app).status().state !== 'no_owner');
  await whatsappOf(app).command({ type: 'link' });
  const status = await statusReaches(app, 'waiting_for_scan');
  if (!status.qr) throw new Error('no QR code in the status');
  await server.scanQr(status.qr);
  await statusReaches(app, 'connected');
}
