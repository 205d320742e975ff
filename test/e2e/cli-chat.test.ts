/**
 * The terminal chat as a user runs it (`npx tsx src/channels/cli/main.ts …`), on the real
 * runtime with its embedded defaults in a fresh DATA_DIR.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'cli-chat-'));
});

afterAll(async () => {
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

function runChat(args: string[], stdin: string, timeoutMs = 60_000): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['tsx', 'src/channels/cli/main.ts', ...args], {
      cwd: process.cwd(),
      env: { ...process.env, DATA_DIR: dataDir, REDIS_URL: '', DATABASE_URL: '', LOG_LEVEL: 'warn' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`chat did not exit within ${timeoutMs} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(stdin);
  });
}

describe('npm run chat', () => {
  it('answers a piped Russian greeting in Russian and exits 0 at EOF', async () => {
    const result = await runChat(['--lang', 'ru', '--conversation', `cli-e2e-${randomUUID()}`], 'Привет\n');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/[А-Яа-яЁё]/);
    expect(result.stdout).not.toContain('> ');
  }, 90_000);

  it('refuses an unknown language, naming the flag, with a non-zero exit', async () => {
    const result = await runChat(['--lang', 'xx'], '');
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('--lang');
  }, 60_000);
});
