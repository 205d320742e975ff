/**
 * Three app processes (real `node src/main.ts` children) on one Redis and PostgreSQL compete
 * for one WhatsApp number: exactly one holds the socket; a staff reply sent from the console of
 * another process reaches the patient through the holder (the outbox); when the holder is
 * killed (SIGKILL) another takes over from the stored credentials and answers the patient,
 * whose encrypted session goes on. A holder frozen with SIGSTOP loses the number the same way
 * and, thawed, lets go of it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../../src/staff/passwords.js';
import { FakeWhatsApp, type SimulatedPatient } from '../../support/fake-whatsapp/server.js';
import { eventually, linkByQr, whatsappDeployment, type WhatsAppDeployment } from '../../support/whatsapp-app.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const STAFF = { email: 'ana@clinic.test', displayName: 'Ana', password: 'front-desk-password-1' };

interface AppProcess {
  name: string;
  child: ChildProcess;
  url: string;
  output: () => string;
}

let server: FakeWhatsApp;
let deployment: WhatsAppDeployment;
let patient: SimulatedPatient;
const processes: AppProcess[] = [];

async function spawnApp(name: string): Promise<AppProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...deployment.env, LOG_LEVEL: 'info', WHATSAPP_LOG_LEVEL: 'info', LOG_REDACT: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = await eventually(`${name} to listen`, () => /"url":"(http:\/\/[^"]+)"/.exec(output)?.[1], 30_000);
  const started: AppProcess = { name, child, url, output: () => output };
  processes.push(started);
  return started;
}

interface Readiness {
  status: string;
  details?: { whatsapp?: { state: string; holdsLease: boolean } };
}

async function readiness(app: AppProcess): Promise<Readiness | null> {
  try {
    return (await (await fetch(`${app.url}/readyz`)).json()) as Readiness;
  } catch {
    return null;
  }
}

async function holder(apps: AppProcess[]): Promise<AppProcess> {
  return eventually('one process holding a connected number', async () => {
    const states = await Promise.all(apps.map(async (app) => ({ app, ready: await readiness(app) })));
    const holding = states.filter(({ ready }) => ready?.details?.whatsapp?.holdsLease);
    const connected = holding.length === 1 && holding[0]?.ready?.details?.whatsapp?.state === 'connected';
    return connected ? holding[0]?.app : undefined;
  }, 30_000);
}

/** Ana, signed in to the console of `app`, claims the patient's escalation and replies; returns how she hands it back. */
async function staffReplies(app: AppProcess, text: string): Promise<() => Promise<void>> {
  const call = async (method: string, route: string, cookie: string, body?: unknown): Promise<Response> =>
    fetch(`${app.url}${route}`, {
      method,
      headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const session = await fetch(`${app.url}/staff/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: STAFF.email, password: STAFF.password }),
  });
  expect(session.status).toBe(200);
  const cookie = (session.headers.getSetCookie()[0] ?? '').split(';')[0] ?? '';
  const queue = (await (await call('GET', '/staff/api/escalations', cookie)).json()) as { id: string; channel: string }[];
  const escalation = queue.find((entry) => entry.channel === 'whatsapp');
  if (!escalation) throw new Error('no WhatsApp escalation in the queue');
  expect((await call('POST', `/staff/api/escalations/${escalation.id}/claim`, cookie, {})).status).toBe(200);
  expect((await call('POST', `/staff/api/escalations/${escalation.id}/reply`, cookie, { text })).status).toBe(201);
  return async () => {
    expect((await call('POST', `/staff/api/escalations/${escalation.id}/resolve`, cookie, {})).status).toBe(200);
  };
}

async function roundTrip(text: string): Promise<string> {
  await patient.send(text);
  const replies = await patient.repliesUntilQuiet(800, 20_000);
  return replies.map((reply) => reply.text).join('\n');
}

beforeAll(async () => {
  server = await FakeWhatsApp.start();
  deployment = await whatsappDeployment(server, 'wa_two');
  // Link once, in this process; it hands the number over when it stops.
  const linker = await deployment.start();
  await linkByQr(linker, server);
  await linker.runtime.records.staff.create({ email: STAFF.email, displayName: STAFF.displayName, role: 'staff', passwordHash: await hashPassword(STAFF.password) });
  await linker.stop();
  patient = server.patient({ lidUser: '77200000000001', phone: '5511900000001', pushName: 'João' });
});

afterAll(async () => {
  for (const app of processes) {
    if (app.child.exitCode === null && app.child.signalCode === null) {
      app.child.kill('SIGCONT');
      app.child.kill('SIGKILL');
    }
  }
  await server?.stop();
  await deployment?.cleanUp();
});

describe('several app processes and one WhatsApp number', () => {
  it('one holds the socket; another takes over when it is killed or frozen, and the patient keeps being answered', { timeout: 120_000 }, async () => {
    const apps = await Promise.all(['A', 'B', 'C'].map((name) => spawnApp(name)));
    const first = await holder(apps);
    const others = apps.filter((app) => app !== first);
    expect(server.onlineConnections).toBe(1);
    for (const other of others) expect((await readiness(other))?.details?.whatsapp).toEqual({ state: 'connected', holdsLease: false });
    expect(await roundTrip('Olá')).toMatch(/assistente virtual/);

    // The patient asks for a person; Ana answers from the console of a process without the number.
    expect(await roundTrip('Quero falar com uma pessoa')).toMatch(/Encaminhei a sua conversa/);
    const desk = others[0];
    if (!desk) throw new Error('no second process');
    const handBack = await staffReplies(desk, 'Olá, aqui é a Ana da receção.');
    const reply = await patient.nextReply(20_000);
    expect(reply.text).toBe('*Ana · Equipa da clínica*\nOlá, aqui é a Ana da receção.');
    await eventually('the staff reply marked sent in the outbox', async () => {
      const [row] = await deployment.query<{ status: string }>("select status from outbox where channel = 'whatsapp' and message->>'author' = 'staff'");
      return row?.status === 'sent';
    });

    // The holder now: on a busy machine a late lease renewal may have moved the number since.
    const victim = await holder(apps);
    const survivors = apps.filter((app) => app !== victim);
    const [before] = await deployment.query<{ fence: string }>('select fence::text as fence from whatsapp_accounts');
    const logins = server.counts.logins;
    const killedAt = Date.now();
    victim.child.kill('SIGKILL');
    const second = await holder(survivors);
    const takeoverMs = Date.now() - killedAt;
    process.stdout.write(`WhatsApp takeover after SIGKILL of the holder: ${takeoverMs} ms (lease ${deployment.env.WHATSAPP_LEASE_MS} ms)\n`);
    expect(server.counts.logins).toBe(logins + 1);
    expect(server.counts.registrations).toBe(1);
    const [after] = await deployment.query<{ fence: string }>('select fence::text as fence from whatsapp_accounts');
    expect(Number(after?.fence)).toBeGreaterThan(Number(before?.fence));
    // The session keys the first process wrote are the ones the second decrypts with. (Staff
    // have the conversation, so the bot is silent; Ana hands it back first.)
    await handBack();
    expect(await roundTrip('Quanto custa uma limpeza?')).toMatch(/Limpeza/);

    // The new holder is frozen: the last process takes over, the thawed one lets go.
    const last = survivors.filter((app) => app !== second);
    second.child.kill('SIGSTOP');
    await holder(last);
    second.child.kill('SIGCONT');
    await eventually('the thawed process to let go of the number', async () => (await readiness(second))?.details?.whatsapp?.holdsLease === false, 20_000);
    expect(await roundTrip('Obrigado')).toBeTruthy();
    await eventually('one connection to WhatsApp', () => server.onlineConnections === 1);
    expect(second.output()).toContain('no longer holds the number');

    // Nothing in any process's log names the patient or the clinic's number (LOG_REDACT).
    for (const app of apps) {
      expect(app.output()).toContain('"module":"baileys"');
      for (const secret of [patient.phone ?? '?', patient.lidUser, server.phone.number, server.phone.lidUser, 'Olá', 'João']) {
        expect(app.output(), `${app.name}'s log`).not.toContain(secret);
      }
    }
  });
});
