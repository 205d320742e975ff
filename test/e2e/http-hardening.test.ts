/**
 * What the HTTP side holds against abuse and sloppy clients: rate limits per client address
 * (behind a trusted proxy), a cap on live streams per address, a time limit on receiving a
 * request, slow uploads that cannot hold a shutdown, ids with control characters refused, and
 * the headers every JSON answer carries. Plus: SIGTERM to `npm start` stops the app.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app.js';
import { startAppProcess } from '../support/app-process.js';
import { freePort } from '../support/private-servers.js';
import { postMessage } from '../support/webchat-client.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

let app: RunningApp;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'hardening-'));
  app = await startApp({
    PORT: '0',
    DATA_DIR: dataDir,
    REDIS_URL: '',
    DATABASE_URL: '',
    LOG_LEVEL: 'silent',
    RATE_LIMIT_MAX: '100',
    RATE_LIMIT_ADDRESS_MAX: '5',
    TRUST_PROXY: '127.0.0.1',
    WEBCHAT_MAX_STREAMS_PER_ADDRESS: '2',
    HTTP_REQUEST_TIMEOUT_MS: '1000',
  });
});

afterAll(async () => {
  await app?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

function fromAddress(address: string): Record<string, string> {
  return { 'x-forwarded-for': address };
}

/** Opens a raw connection and sends `head` without ending the request. */
async function rawRequest(url: string, head: string): Promise<{ socket: Socket; received: () => string; closed: Promise<void> }> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.write(head);
  return { socket, received: () => received, closed };
}

describe('rate limits per client address', () => {
  it('a client rotating conversation ids is limited by its address (from the trusted proxy), with one localized notice', async () => {
    const address = `203.0.113.${Math.floor(Math.random() * 200) + 1}`;
    const results = [];
    for (let i = 0; i < 8; i += 1) {
      const result = await postMessage(app.url, { conversationId: `rot-${randomUUID()}`, text: 'Hola', messageId: `m-${i}` }, 30_000, fromAddress(address));
      if (result.kind !== 'replies') throw new Error(JSON.stringify(result));
      results.push(result.replies);
    }
    // Five answered, then one notice in the message's language, then silence.
    expect(results.slice(0, 5).every((replies) => replies.length === 1 && /Hola/.test(replies[0]?.text ?? ''))).toBe(true);
    expect(results[5]?.[0]?.locale).toBe('es');
    expect(results[5]?.[0]?.text).toMatch(/más rápido/);
    expect(results.slice(6)).toEqual([[], []]);
    const patients = await app.runtime.records.patients.findByIdentity({ channel: 'webchat', externalId: 'none' });
    expect(patients).toBeNull();

    // Another address is not held back by it.
    const other = await postMessage(app.url, { conversationId: `rot-${randomUUID()}`, text: 'Hello', messageId: 'x' }, 30_000, fromAddress('198.51.100.7'));
    expect(other.kind === 'replies' && other.replies[0]?.text).toMatch(/Hello/);
  });

  it('caps the live streams one address holds open', async () => {
    const address = '192.0.2.44';
    const open = async () => {
      const controller = new AbortController();
      const response = await fetch(`${app.url}/api/webchat/events?conversationId=s-${randomUUID()}`, { headers: fromAddress(address), signal: controller.signal });
      return { status: response.status, body: response.status === 200 ? null : await response.json(), close: () => controller.abort() };
    };
    const first = await open();
    const second = await open();
    const third = await open();
    expect([first.status, second.status, third.status]).toEqual([200, 200, 429]);
    expect(third.body).toEqual({ error: 'too_many_streams', reason: 'at most 2 live streams per client address' });
    first.close();
    await sleep(100);
    const again = await open();
    expect(again.status).toBe(200);
    second.close();
    again.close();
  });
});

describe('requests', () => {
  it('cuts a request whose body does not arrive within the request time limit', async () => {
    const request = await rawRequest(
      app.url,
      'POST /api/webchat/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"conversationId":',
    );
    await request.closed;
    expect(request.received()).toMatch(/^HTTP\/1\.1 408/);
  });

  it('refuses a message id with a control character with a 400 naming the field', async () => {
    const response = await fetch(`${app.url}/api/webchat/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ conversationId: `nul-${randomUUID()}`, text: 'hi', messageId: 'a\u0000b' }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'invalid_request', reason: 'messageId: must not contain control characters' });
  });

  it('marks every JSON answer nosniff, and the staff API no-store', async () => {
    const chat = await fetch(`${app.url}/api/webchat/strings/en`);
    expect(chat.headers.get('x-content-type-options')).toBe('nosniff');
    const ready = await fetch(`${app.url}/readyz`);
    expect(ready.headers.get('x-content-type-options')).toBe('nosniff');
    const staff = await fetch(`${app.url}/staff/api/session`);
    expect(staff.status).toBe(401);
    expect(staff.headers.get('cache-control')).toBe('no-store');
    expect(staff.headers.get('x-content-type-options')).toBe('nosniff');
  });
});

describe('stopping', () => {
  it('SIGTERM to `npm start` stops the app instead of leaving it listening', async () => {
    const data = await mkdtemp(path.join(tmpdir(), 'npm-start-'));
    const port = await freePort();
    const npm = spawn('npm', ['start'], {
      cwd: ROOT,
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: data, REDIS_URL: '', DATABASE_URL: '', LOG_LEVEL: 'warn' },
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((resolve) => npm.once('exit', (code) => resolve(code)));
    try {
      for (let i = 0; i < 300; i += 1) {
        if (await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false)) break;
        await sleep(100);
      }
      npm.kill('SIGTERM');
      await exited;
      // Nobody listens on the port any more.
      let listening = true;
      for (let i = 0; i < 100 && listening; i += 1) {
        listening = await fetch(`http://127.0.0.1:${port}/healthz`).then(() => true, () => false);
        if (listening) await sleep(100);
      }
      expect(listening).toBe(false);
    } finally {
      npm.kill('SIGKILL');
      await rm(data, { recursive: true, force: true });
    }
  });

  it('a slow upload in progress does not hold up SIGTERM: the app still exits 0', async () => {
    const data = await mkdtemp(path.join(tmpdir(), 'slow-upload-'));
    const child = await startAppProcess({ DATA_DIR: data, REDIS_URL: '', DATABASE_URL: '', SHUTDOWN_TIMEOUT_MS: '20000', HTTP_REQUEST_TIMEOUT_MS: '60000' });
    try {
      const uploads = await Promise.all(
        Array.from({ length: 5 }, () =>
          rawRequest(child.url, 'POST /api/webchat/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{"text":"'),
        ),
      );
      expect(await child.stop(60_000)).toBe(0);
      await Promise.all(uploads.map((upload) => upload.closed));
    } finally {
      child.kill('SIGKILL');
      await rm(data, { recursive: true, force: true });
    }
  });
});
