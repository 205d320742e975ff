/**
 * Private Redis and PostgreSQL servers for fault tests: started on free ports, so the shared
 * ones keep running while these are frozen (SIGSTOP), thawed or killed. PostgreSQL refuses to
 * run as root, so its instance runs as the `postgres` user Debian's package creates.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chown, mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import pg from 'pg';

export interface PrivateServer {
  url: string;
  /** SIGSTOP: the server keeps its connections but answers nothing. */
  freeze(): void;
  thaw(): void;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function until(ready: () => Promise<boolean>, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await ready().catch(() => false)) return;
    await sleep(100);
  }
  throw new Error(`${what} did not start within ${ms} ms`);
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  // Detached children lead their own process group.
  if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, signal);
}

/**
 * PostgreSQL's backends each start a session of their own, so the postmaster's group is not
 * enough: the postmaster first (no new backends are forked), then each child it has.
 */
function signalTree(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null) return;
  process.kill(child.pid, signal);
  const children = spawnSync('pgrep', ['-P', String(child.pid)]).stdout.toString().split('\n').filter(Boolean);
  for (const pid of children) {
    try {
      process.kill(Number(pid), signal);
    } catch {
      // It exited meanwhile.
    }
  }
}

async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  signalGroup(child, 'SIGCONT');
  signalGroup(child, 'SIGKILL');
  await exited;
}

export async function startPrivateRedis(): Promise<PrivateServer> {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    detached: true,
    stdio: 'ignore',
  });
  const url = `redis://127.0.0.1:${port}`;
  await until(async () => {
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => undefined);
    try {
      await client.connect();
      return (await client.ping()) === 'PONG';
    } finally {
      client.disconnect();
    }
  }, 'the private redis-server');
  return {
    url,
    freeze: () => signalGroup(child, 'SIGSTOP'),
    thaw: () => signalGroup(child, 'SIGCONT'),
    stop: () => terminate(child),
  };
}

function postgresBin(name: string): string {
  const versions = spawnSync('ls', ['/usr/lib/postgresql']).stdout.toString().trim().split('\n').filter(Boolean).sort();
  const newest = versions.at(-1);
  if (!newest) throw new Error('PostgreSQL server binaries are not installed under /usr/lib/postgresql');
  return `/usr/lib/postgresql/${newest}/bin/${name}`;
}

function postgresUser(): { uid: number; gid: number } {
  const uid = Number(spawnSync('id', ['-u', 'postgres']).stdout.toString().trim());
  const gid = Number(spawnSync('id', ['-g', 'postgres']).stdout.toString().trim());
  if (!Number.isInteger(uid) || !Number.isInteger(gid)) throw new Error('there is no "postgres" user to run a private PostgreSQL as');
  return { uid, gid };
}

async function chownTree(dir: string, uid: number, gid: number): Promise<void> {
  await chown(dir, uid, gid);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) await chownTree(full, uid, gid);
    else await chown(full, uid, gid);
  }
}

export async function startPrivatePostgres(): Promise<PrivateServer> {
  const user = postgresUser();
  const dir = await mkdtemp(path.join(tmpdir(), 'private-pg-'));
  await chownTree(dir, user.uid, user.gid);
  const data = path.join(dir, 'data');
  const init = spawnSync(postgresBin('initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8'], {
    ...user,
    stdio: 'pipe',
  });
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr.toString()}`);
  const port = await freePort();
  const child = spawn(
    postgresBin('postgres'),
    ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'max_connections=100'],
    { ...user, detached: true, stdio: 'ignore' },
  );
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  await until(async () => {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
    try {
      await client.connect();
      await client.query('select 1');
      return true;
    } finally {
      await client.end().catch(() => undefined);
    }
  }, 'the private PostgreSQL');
  return {
    url,
    freeze: () => signalTree(child, 'SIGSTOP'),
    thaw: () => signalTree(child, 'SIGCONT'),
    async stop() {
      signalTree(child, 'SIGCONT');
      await terminate(child);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
