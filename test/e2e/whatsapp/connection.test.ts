/**
 * The WhatsApp socket against the fake WhatsApp server, on the real Redis and PostgreSQL:
 * end-to-end encrypted messages both ways, every key type Baileys writes stored in PostgreSQL,
 * a restart that reconnects from those credentials without linking again, and the connection
 * policy for each disconnect: 515, 428, 408, 440, 401.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../../src/app.js';
import { FakeWhatsApp, type SimulatedPatient } from '../../support/fake-whatsapp/server.js';
import { eventually, linkByQr, recordStatuses, statusReaches, whatsappDeployment, type WhatsAppDeployment } from '../../support/whatsapp-app.js';

let server: FakeWhatsApp;
let deployment: WhatsAppDeployment;
let app: RunningApp | undefined;
let patient: SimulatedPatient;

beforeAll(async () => {
  server = await FakeWhatsApp.start();
  deployment = await whatsappDeployment(server, 'wa_conn', { WHATSAPP_CONNECT_TIMEOUT_MS: '1500' });
  app = await deployment.start();
  await linkByQr(app, server);
  patient = server.patient({ lidUser: '77100000000001', phone: '447700900001', pushName: 'Oliver' });
});

afterAll(async () => {
  await app?.stop();
  await server?.stop();
  await deployment?.cleanUp();
});

function running(): RunningApp {
  if (!app) throw new Error('the app is not running');
  return app;
}

async function metric(name: string, labels: string): Promise<number> {
  const text = await (await fetch(`${running().url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

async function chatRoundTrip(message: string, expected: RegExp): Promise<void> {
  await patient.send(message);
  const replies = await patient.repliesUntilQuiet();
  expect(replies.map((r) => r.text).join('\n')).toMatch(expected);
}

describe('the WhatsApp connection', () => {
  it('answers an encrypted message with a reply the patient decrypts, and stores every key type in PostgreSQL', async () => {
    await chatRoundTrip('Hello', /virtual assistant/);
    const wanted = ['pre-key', 'session', 'identity-key', 'lid-mapping', 'device-list', 'tctoken'];
    // The privacy token (tctoken) is fetched in the background after the reply went out.
    const types = await eventually('every key type stored', async () => {
      const stored = (await deployment.query<{ type: string }>('select distinct type from whatsapp_keys')).map((row) => row.type);
      return wanted.every((type) => stored.includes(type)) ? stored : undefined;
    }, 5_000);
    expect(types).toEqual(expect.arrayContaining(wanted));
    const [account] = await deployment.query<{ creds: string; fence: string }>('select creds, fence::text as fence from whatsapp_accounts');
    expect(account?.creds).toContain('"me"');
    expect(Number(account?.fence)).toBeGreaterThan(0);
    // The patient's number and LID both lead to one patient; the name is what WhatsApp showed.
    const identities = await deployment.query<{ external_id: string; display_name: string }>(
      'select i.external_id, p.display_name from patient_identities i join patients p on p.id = i.patient_id order by i.external_id',
    );
    expect(identities).toEqual([
      { external_id: '447700900001@s.whatsapp.net', display_name: 'Oliver' },
      { external_id: `${patient.lidUser}@lid`, display_name: 'Oliver' },
    ]);
  });

  it('after a restart, reconnects from the stored credentials without linking again, and the session goes on', async () => {
    const registrations = server.counts.registrations;
    const logins = server.counts.logins;
    await running().stop();
    app = await deployment.start();
    await statusReaches(running(), 'connected');
    expect(server.counts.registrations).toBe(registrations);
    expect(server.counts.logins).toBe(logins + 1);
    await chatRoundTrip('How much is a cleaning?', /cleaning/i);
  });

  it('515: reconnects at once', async () => {
    const logins = server.counts.logins;
    server.streamError(515);
    await eventually('a new login', () => server.counts.logins > logins);
    await statusReaches(running(), 'connected');
    expect(await metric('clinic_whatsapp_disconnects_total', 'code="515"')).toBe(1);
  });

  it('428 (closed by the server): backs off, then reconnects', async () => {
    const logins = server.counts.logins;
    const statuses = recordStatuses(running());
    server.closeConnections();
    const status = await statuses.next('reconnecting');
    expect(status.lastDisconnect?.code).toBe(428);
    expect(Date.parse(status.retryAt ?? '')).toBeGreaterThan(Date.parse(status.lastDisconnect?.at ?? ''));
    await statuses.next('connected');
    statuses.stop();
    expect(server.counts.logins).toBe(logins + 1);
  });

  it('408 (silence): gives up on a mute server after the timeout and reconnects when it answers again', async () => {
    server.silent = true;
    const statuses = recordStatuses(running());
    server.closeConnections();
    const status = await eventually('a 408', () => statuses.seen.find((s) => s.lastDisconnect?.code === 408));
    expect(status.state).toBe('reconnecting');
    server.silent = false;
    await statuses.next('connected');
    statuses.stop();
    expect(await metric('clinic_whatsapp_disconnects_total', 'code="408"')).toBeGreaterThanOrEqual(1);
  });

  it('440 (replaced): pauses for the long back-off, never a tight loop, then connects again', async () => {
    const connections = server.counts.connections;
    server.streamError(440);
    const status = await statusReaches(running(), 'replaced');
    const pauseMs = Date.parse(status.retryAt ?? '') - Date.parse(status.lastDisconnect?.at ?? '');
    expect(pauseMs).toBeGreaterThanOrEqual(2_900);
    // Half the pause later still nobody has knocked on WhatsApp's door again.
    await sleep(1_500);
    expect(server.counts.connections).toBe(connections);
    await statusReaches(running(), 'connected', 10_000);
    expect(server.counts.connections).toBe(connections + 1);
  });

  it('401 (logged out from the phone): stops, deletes the credentials, says it needs linking; the app stays ready', async () => {
    const connections = server.counts.connections;
    server.unlinkFromPhone();
    await statusReaches(running(), 'logged_out');
    await eventually('credentials deleted', async () => (await deployment.query('select 1 from whatsapp_accounts where creds is not null')).length === 0);
    expect(await deployment.query('select 1 from whatsapp_keys')).toHaveLength(0);
    const audit = await deployment.query<{ action: string; details: { code: number } }>("select action, details from audit_log where action = 'whatsapp.logged_out'");
    expect(audit).toEqual([{ action: 'whatsapp.logged_out', details: { code: 401 } }]);
    await sleep(1_000);
    expect(server.counts.connections).toBe(connections);
    const ready = await fetch(`${running().url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', details: { whatsapp: { state: 'logged_out', holdsLease: true } } });
    expect(await metric('clinic_whatsapp_state', 'state="logged_out"')).toBe(1);
  });
});
