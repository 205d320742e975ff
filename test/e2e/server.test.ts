/** The app as a process and as a server: readiness, trace ids, graceful shutdown. */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startApp } from '../../src/app.js';
import { FakeOpenAiServer } from '../support/fake-openai.js';
import { createScriptedModel } from '../support/scripted-model.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

describe('readiness', () => {
  it('/healthz stays up while /readyz reports an unreachable hot store with 503', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'readyz-'));
    const app = await startApp({ PORT: '0', DATA_DIR: dataDir, REDIS_URL: 'redis://127.0.0.1:1', DATABASE_URL: '', LOG_LEVEL: 'silent' });
    try {
      expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
      const ready = await fetch(`${app.url}/readyz`);
      expect(ready.status).toBe(503);
      const body = (await ready.json()) as { status: string; checks: Record<string, string> };
      expect(body.status).toBe('not_ready');
      expect(body.checks.database).toBe('ok');
      // Refused outright, or (ioredis retrying the connection) no answer within the check's bound.
      expect(body.checks.hotStore).toMatch(/^(failed|timeout)$/);
    } finally {
      await app.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('echoes the caller trace id', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'trace-'));
    const app = await startApp({ PORT: '0', DATA_DIR: dataDir, REDIS_URL: '', DATABASE_URL: '', LOG_LEVEL: 'silent' });
    try {
      const response = await fetch(`${app.url}/readyz`, { headers: { 'x-request-id': 'abc-123' } });
      expect(response.status).toBe(200);
      expect(response.headers.get('x-trace-id')).toBe('abc-123');
    } finally {
      await app.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('npm start as a process', () => {
  it('stops on a bad variable naming it', async () => {
    const child = spawn('npx', ['tsx', 'src/main.ts'], { cwd: ROOT, env: { ...process.env, PORT: 'eighty' } });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toMatch(/PORT: expected a whole number between 0 and 65535 \(got "eighty"\)/);
  });

  it('on SIGTERM finishes the message in flight, then exits 0', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'shutdown-'));
    const port = 40_000 + Math.floor(Math.random() * 20_000);
    // A model that takes a second and a half: the turn is surely in flight when the signal comes.
    const model = await FakeOpenAiServer.start({ defaultResponder: await createScriptedModel(), latencyMs: { min: 1_500, max: 1_500 } });
    // Node itself (with tsx's loader), so the signal reaches our process and not a wrapper.
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        REDIS_URL: '',
        DATABASE_URL: '',
        LOG_LEVEL: 'info',
        OPENAI_BASE_URL: model.baseUrl,
        OPENAI_API_KEY: 'test',
      },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      const url = `http://127.0.0.1:${port}`;
      for (let i = 0; i < 300 && !output.includes('listening'); i += 1) await new Promise((r) => setTimeout(r, 200));
      expect(output).toContain('listening');
      const inFlight = fetch(`${url}/api/webchat/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ conversationId: 'shutdown-test', text: 'I want to book a cleaning' }),
      });
      // The turn has reached the model: it is in flight inside the app.
      for (let i = 0; i < 300 && model.requestCount === 0; i += 1) await new Promise((r) => setTimeout(r, 20));
      expect(model.requestCount).toBeGreaterThan(0);
      child.kill('SIGTERM');
      const response = await inFlight;
      expect(response.status).toBe(200);
      const body = (await response.json()) as { replies: { text: string }[] };
      expect(body.replies.map((reply) => reply.text).join(' ')).toMatch(/available times for Teeth cleaning/);
      expect(await exited).toBe(0);
      expect(output).toContain('shutting down');
    } finally {
      child.kill('SIGKILL');
      await model.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
