/**
 * The assistant as a real process (`node --import tsx src/main.ts`, what `npm start` runs), for
 * tests that kill it, race two of them or stop it with a signal.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './private-servers.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface AppProcess {
  url: string;
  child: ChildProcess;
  /** What the process wrote to stderr and stdout (its logs), for failure messages. */
  output(): string;
  exited: Promise<number | null>;
  kill(signal: NodeJS.Signals): void;
  /** SIGTERM, then SIGKILL if it is still there after `ms`. */
  stop(ms?: number): Promise<number | null>;
}

export async function startAppProcess(env: NodeJS.ProcessEnv): Promise<AppProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the app exited with ${child.exitCode} before listening:\n${output}`);
    const up = await fetch(`${url}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    if (up) break;
    if (Date.now() > deadline) throw new Error(`the app did not listen within 30 s:\n${output}`);
    await sleep(100);
  }
  return {
    url,
    child,
    output: () => output,
    exited,
    kill: (signal) => {
      if (child.exitCode === null) child.kill(signal);
    },
    async stop(ms = 15_000) {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), ms);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
