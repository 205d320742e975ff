/**
 * `npm run whatsapp:link` against the fake WhatsApp server, on the real Redis and PostgreSQL:
 * it prints a QR code in the terminal; with --phone it prints a pairing code, which typed on the
 * clinic phone links the number; the credentials are then in PostgreSQL. Bad arguments exit 2
 * naming the problem.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeWhatsApp } from '../../support/fake-whatsapp/server.js';
import { eventually, whatsappDeployment, type WhatsAppDeployment } from '../../support/whatsapp-app.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');

let server: FakeWhatsApp;
let deployment: WhatsAppDeployment;

beforeAll(async () => {
  server = await FakeWhatsApp.start();
  deployment = await whatsappDeployment(server, 'wa_cli');
});

afterAll(async () => {
  await server?.stop();
  await deployment?.cleanUp();
});

function runLink(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/channels/whatsapp/link-cli.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...deployment.env, LOG_LEVEL: 'error' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, stdout: () => stdout, stderr: () => stderr };
}

describe('npm run whatsapp:link', () => {
  it('refuses a phone number it cannot use, naming it', async () => {
    const run = runLink(['--phone', '12ab']);
    expect(await run.exited).toBe(2);
    expect(run.stderr()).toContain('--phone must be the number in international form');
  });

  it('prints a QR code in the terminal, and stops cleanly on Ctrl+C', async () => {
    const run = runLink([]);
    await eventually('a QR code on stdout', () => run.stdout().includes('Linked devices → Link a device, and scan'), 30_000);
    // Terminal QR codes are drawn with half-block characters.
    expect(run.stdout()).toMatch(/[▀▄█]{10,}/);
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(130);
  });

  it('with --phone prints a pairing code; typed on the phone, the number is linked and stored', async () => {
    const run = runLink(['--phone', `+${server.phone.number}`]);
    const code = await eventually('a pairing code on stdout', () => /Pairing code: ([A-Z0-9]{4}-[A-Z0-9]{4})/.exec(run.stdout())?.[1], 30_000);
    await server.enterPairingCode(code);
    expect(await run.exited).toBe(0);
    expect(run.stdout()).toContain(`Linked: +${server.phone.number} is connected`);
    expect(await deployment.query("select 1 from whatsapp_accounts where creds like '%\"account\"%'")).toHaveLength(1);
    const audit = await deployment.query<{ action: string }>("select action from audit_log where action like 'whatsapp.%'");
    expect(audit.map((row) => row.action)).toEqual(['whatsapp.linked']);
  });
});
