/**
 * `npm run staff:add` as a real process: against the real PostgreSQL (a unique schema), and
 * on the embedded default, where the app started afterwards on the same DATA_DIR lets the
 * new user sign in.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp } from '../../../src/app.js';
import { createRecords } from '../../../src/db/records.js';
import type { SqlDatabase } from '../../../src/db/database.js';
import { verifyPassword } from '../../../src/staff/passwords.js';
import { DATABASE_URL, uniqueName } from '../../support/services.js';
import { postgresBackend } from '../db/backends.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const PASSWORD = 'a long enough password';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function staffAdd(args: string[], stdin: string, env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/staff/add-cli.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: 'warn', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

describe('staff:add on PostgreSQL', () => {
  const schema = uniqueName('staff_cli');
  const env = { DATABASE_URL, DATABASE_SCHEMA: schema, DATA_DIR: join(tmpdir(), 'unused-staff-cli') };
  let db: SqlDatabase | undefined;

  beforeAll(async () => {
    await postgresBackend.require();
  });

  afterAll(async () => {
    db ??= await postgresBackend.open({ schema });
    await postgresBackend.dispose(db, schema);
  });

  it('creates the user with an argon2id hash of the piped password', async () => {
    const run = await staffAdd(['--email', 'Rosa@Clinic.example', '--name', 'Rosa Pires', '--role', 'admin'], `${PASSWORD}\n`, env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ created: { email: 'rosa@clinic.example', displayName: 'Rosa Pires', role: 'admin' } });

    db = await postgresBackend.open({ schema });
    const credentials = await createRecords(db).staff.findCredentials('rosa@clinic.example');
    expect(credentials?.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(credentials?.passwordHash ?? '', PASSWORD)).toBe(true);
  }, 60_000);

  it('refuses the same email again (exit 1)', async () => {
    const run = await staffAdd(['--email', 'rosa@clinic.example', '--name', 'Rosa'], `${PASSWORD}\n`, env);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/--email: .*already has a staff account/);
  }, 60_000);

  it('names the problem and creates nothing for bad input', async () => {
    const cases: { args: string[]; stdin: string; says: RegExp }[] = [
      { args: ['--email', 'not-an-email', '--name', 'X'], stdin: `${PASSWORD}\n`, says: /--email: must be an email address/ },
      { args: ['--email', 'x@clinic.example', '--name', 'X'], stdin: 'short\n', says: /password: must be at least 12 characters/ },
      { args: ['--email', 'x@clinic.example', '--name', 'X'], stdin: '', says: /password: none given/ },
      { args: ['--email', 'x@clinic.example', '--name', 'X', '--role', 'owner'], stdin: `${PASSWORD}\n`, says: /--role: must be "staff" or "admin"/ },
      { args: ['--email', 'x@clinic.example'], stdin: `${PASSWORD}\n`, says: /--name is required/ },
      { args: ['--email', 'x@clinic.example', '--name', 'X', '--colour', 'red'], stdin: `${PASSWORD}\n`, says: /colour/ },
    ];
    for (const item of cases) {
      const run = await staffAdd(item.args, item.stdin, env);
      expect(run.code, item.args.join(' ')).not.toBe(0);
      expect(run.stderr).toMatch(item.says);
      expect(run.stdout).toBe('');
    }
    db ??= await postgresBackend.open({ schema });
    expect(await createRecords(db).staff.findCredentials('x@clinic.example')).toBeNull();
  }, 120_000);
});

describe('staff:add on the embedded default', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'staff-cli-'));
  });

  afterAll(async () => {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('creates a user who can then sign in to the app on the same DATA_DIR', async () => {
    const run = await staffAdd(['--email', 'tomas@clinic.example', '--name', 'Tomás'], `${PASSWORD}\n`, { DATABASE_URL: '', DATA_DIR: dataDir });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);

    const app = await startApp(
      { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, DATABASE_URL: '', REDIS_URL: '', LOG_LEVEL: 'warn' },
      { watchLocales: false },
    );
    try {
      const response = await fetch(new URL('/staff/api/session', app.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'tomas@clinic.example', password: PASSWORD }),
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ user: { email: 'tomas@clinic.example', displayName: 'Tomás', role: 'staff' } });
    } finally {
      await app.stop();
    }
    // A child process and a whole app start: slow on a busy machine.
  }, 120_000);
});
