/**
 * The real app with the Teams channel on (authentication off, as in development), on the real
 * Redis and PostgreSQL, and Activities as Teams posts them to /api/messages. Replies go to a
 * FakeBotConnector at the activities' serviceUrl.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import { startApp, type RunningApp } from '../../src/app.js';
import { FakeBotConnector, type ConnectorRequest } from './fake-bot-connector.js';
import { DATABASE_URL, REDIS_URL, requirePostgres, requireRedis, uniqueName } from './services.js';

/**
 * Monday 24 Nov 2031, 09:00 UTC (Lisbon time too), running from there. Ahead of the real clock
 * on purpose: what the database stamps with its own now() (outbox rows, escalations) is then
 * never in the app's future.
 */
export const CLOCK = new Date('2031-11-24T09:00:00Z');

export interface TeamsHarness {
  app: RunningApp;
  connector: FakeBotConnector;
  /** Every log line the app wrote (debug level), as JSON text. */
  logs: string[];
  close(): Promise<void>;
}

export async function startTeamsApp(label: string, env: Record<string, string> = {}): Promise<TeamsHarness> {
  await Promise.all([requireRedis(), requirePostgres()]);
  const schema = uniqueName(label);
  const prefix = uniqueName(label);
  const connector = await FakeBotConnector.start();
  // The scripts' clock, running: transcript lines of later turns come later.
  const started = Date.now();
  const logs: string[] = [];
  let app: RunningApp;
  try {
    app = await startApp(
      {
        ...process.env,
        APP_ENV: 'test',
        PORT: '0',
        HOST: '127.0.0.1',
        REDIS_URL,
        REDIS_KEY_PREFIX: prefix,
        DATABASE_URL,
        DATABASE_SCHEMA: schema,
        LOG_LEVEL: 'debug',
        OPENAI_API_KEY: '',
        OPENAI_BASE_URL: '',
        TEAMS_ENABLED: 'true',
        MicrosoftAppId: '',
        MicrosoftAppPassword: '',
        TEAMS_RETRY_BASE_MS: '20',
        PUBLIC_URL: 'https://clinic.example',
        ...env,
      },
      { watchLocales: false, now: () => new Date(CLOCK.getTime() + Date.now() - started), logStream: { write: (line: string) => void logs.push(line) } },
    );
  } catch (error) {
    await connector.close();
    throw error;
  }
  return {
    app,
    connector,
    logs,
    async close() {
      await app.stop();
      await connector.close();
      const client = new pg.Client({ connectionString: DATABASE_URL });
      await client.connect();
      await client.query(`drop schema if exists "${schema}" cascade`);
      await client.end();
      const redis = new Redis(REDIS_URL);
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    },
  };
}

/** One person in a personal chat with the bot. */
export interface TeamsUser {
  aadObjectId: string;
  accountId: string;
  conversationId: string;
  locale: string;
  name: string;
}

export function teamsUser(locale = 'en-US', name = 'Pat Patient'): TeamsUser {
  return { aadObjectId: randomUUID(), accountId: `29:${randomUUID()}`, conversationId: `a:${randomUUID()}`, locale, name };
}

export const BOT = { id: '28:clinic-bot', name: 'Clinic assistant' };
export const TENANT = '7e0b8a59-52b0-4a8b-9b0e-3f7d5c1e2a10';

export type Activity = Record<string, unknown>;

/** A personal-chat activity from `user`, as Teams sends it. */
export function personalActivity(connector: FakeBotConnector, user: TeamsUser, fields: Activity): Activity {
  return {
    type: 'message',
    id: `${Date.now()}${Math.floor(Math.random() * 1000)}`,
    channelId: 'msteams',
    serviceUrl: connector.url,
    timestamp: new Date().toISOString(),
    from: { id: user.accountId, name: user.name, aadObjectId: user.aadObjectId },
    recipient: BOT,
    conversation: { id: user.conversationId, conversationType: 'personal', tenantId: TENANT },
    channelData: { tenant: { id: TENANT } },
    locale: user.locale,
    ...fields,
  };
}

export async function postActivity(app: RunningApp, activity: Activity, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(new URL('/api/messages', app.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(activity),
  });
}

/** The text of a message as a person reads it: its text, or its card's text and buttons. */
export function readable(request: ConnectorRequest): string {
  const card = request.body.attachments?.[0]?.content;
  if (!card) return request.body.text ?? '';
  const texts = (card.body ?? []).map((block) => block.text ?? (block.facts ?? []).map((f) => `${f.title}: ${f.value}`).join('\n'));
  return [...texts, ...(card.actions ?? []).map((action) => action.title)].join('\n');
}

/** The Action.Submit data of a card's buttons, in order. */
export function submitValues(request: ConnectorRequest): Record<string, string>[] {
  const actions = request.body.attachments?.[0]?.content.actions ?? [];
  return actions.filter((action) => action.type === 'Action.Submit').map((action) => action.data ?? {});
}
