/**
 * The web chat's HTTP API on the real app (embedded defaults: in-process store, PGlite in a
 * fresh DATA_DIR, offline NLU). Nothing of ours is mocked.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp } from '../../src/app.js';

interface ErrorBody {
  error: string;
  reason: string;
}

interface RepliesBody {
  replies: { text: string; options?: { id: string; label: string }[]; locale: string; dir: string }[];
}

let app: { url: string; stop(): Promise<void> };
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'webchat-api-'));
  app = await startApp({
    ...process.env,
    PORT: '0',
    DATA_DIR: dataDir,
    REDIS_URL: '',
    DATABASE_URL: '',
    LOG_LEVEL: 'warn',
  });
});

afterAll(async () => {
  await app?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

function url(path: string): string {
  return new URL(path, app.url).toString();
}

async function postMessage(body: unknown): Promise<Response> {
  return fetch(url('/api/webchat/messages'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

function conversationId(): string {
  return `e2e-webchat-${randomUUID()}`;
}

describe('POST /api/webchat/messages — bad requests', () => {
  it('rejects a missing conversationId and names it', async () => {
    const response = await postMessage({ text: 'hello' });
    expect(response.status).toBe(400);
    const body = (await response.json()) as ErrorBody;
    expect(body.error).toBe('invalid_request');
    expect(body.reason).toMatch(/conversationId/);
  });

  it('rejects a text that is not a string and names it', async () => {
    const response = await postMessage({ conversationId: conversationId(), text: 42 });
    expect(response.status).toBe(400);
    const body = (await response.json()) as ErrorBody;
    expect(body.error).toBe('invalid_request');
    expect(body.reason).toMatch(/text/);
  });

  it('rejects a conversationId longer than 128 characters and says why', async () => {
    const response = await postMessage({ conversationId: 'a'.repeat(129), text: 'hello' });
    expect(response.status).toBe(400);
    const body = (await response.json()) as ErrorBody;
    expect(body.error).toBe('invalid_request');
    expect(body.reason).toMatch(/conversationId/);
    expect(body.reason).toMatch(/128/);
  });

  it('rejects a body that is not JSON', async () => {
    const response = await fetch(url('/api/webchat/messages'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"conversationId": ',
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as ErrorBody;
    expect(body.error).toBe('invalid_request');
    expect(body.reason).toMatch(/body/);
  });
});

describe('web chat page and strings', () => {
  it('serves the chat page as HTML', async () => {
    const response = await fetch(url('/'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    const html = await response.text();
    expect(html).toMatch(/<html[^>]*lang="(en|es|ru|he|pt)"/);
    expect(html).not.toMatch(/\{\{\w+\}\}/);
  });

  it('serves the script and the stylesheet with their content types', async () => {
    const script = await fetch(url('/webchat/app.js'));
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    const style = await fetch(url('/webchat/style.css'));
    expect(style.status).toBe(200);
    expect(style.headers.get('content-type')).toMatch(/^text\/css/);
  });

  it('gives the Hebrew strings with dir rtl', async () => {
    const response = await fetch(url('/api/webchat/strings/he'));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { locale: string; dir: string; strings: Record<string, string> };
    expect(body.locale).toBe('he');
    expect(body.dir).toBe('rtl');
    expect(body.strings.send).toMatch(/[\u0590-\u05FF]/);
  });

  it('refuses an unknown language with a reason', async () => {
    const response = await fetch(url('/api/webchat/strings/xx'));
    expect(response.status).toBe(400);
    const body = (await response.json()) as ErrorBody;
    expect(body.reason).toMatch(/xx/);
  });
});

describe('POST /api/webchat/messages — conversation', () => {
  it('answers "hello" with at least one non-empty reply', async () => {
    const response = await postMessage({ conversationId: conversationId(), text: 'hello', locale: 'en' });
    expect(response.status).toBe(200);
    const body = (await response.json()) as RepliesBody;
    expect(body.replies.length).toBeGreaterThanOrEqual(1);
    for (const reply of body.replies) {
      expect(reply.text.trim()).not.toBe('');
      expect(['ltr', 'rtl']).toContain(reply.dir);
    }
  });

  it('answers a redelivered messageId with the replies it got the first time, and changes nothing', async () => {
    const id = conversationId();
    const message = { conversationId: id, text: 'I want to book a cleaning', messageId: `msg-${randomUUID()}`, locale: 'en' };
    const first = (await (await postMessage(message)).json()) as RepliesBody;
    expect(first.replies[0]?.options?.length).toBeGreaterThanOrEqual(1);
    const again = await postMessage(message);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(first);
    // The same id in another conversation is another message, answered in its own right.
    const elsewhere = (await (await postMessage({ ...message, conversationId: conversationId(), text: 'hello' })).json()) as RepliesBody;
    expect(elsewhere.replies[0]?.text).toMatch(/Hello/);
  });
});
