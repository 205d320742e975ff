/**
 * A reminder through WhatsApp, end to end: a simulated patient's phone (Portuguese number)
 * books through the fake WhatsApp server and the real Baileys socket, the reminder reaches the
 * phone end-to-end encrypted as a numbered menu in European Portuguese, and "3" then "sim"
 * cancels the appointment through the cancel flow. Real Redis (BullMQ) and PostgreSQL, on a
 * clock the test sets.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningApp } from '../../../src/app.js';
import { FakeWhatsApp, type SimulatedPatient } from '../../support/fake-whatsapp/server.js';
import { replyLanguage } from '../../support/language.js';
import { eventually, linkByQr, whatsappDeployment, type WhatsAppDeployment } from '../../support/whatsapp-app.js';
import { mondayAt, TestClock } from '../../integration/reminders/harness.js';

const REQUEST = 'Quero uma limpeza amanhã às 10';
const clock = new TestClock();
let server: FakeWhatsApp;
let deployment: WhatsAppDeployment;
let app: RunningApp;

beforeAll(async () => {
  clock.set(mondayAt('08:00'));
  server = await FakeWhatsApp.start();
  deployment = await whatsappDeployment(server, 'wa_reminders');
  app = await deployment.start({ now: clock.now });
  await linkByQr(app, server);
}, 60_000);

afterAll(async () => {
  await app?.stop();
  await deployment?.cleanUp();
  await server?.stop();
});

async function botLines(lid: string): Promise<number> {
  const [row] = await deployment.query<{ n: number }>("select count(*)::int as n from messages where conversation_id = $1 and author = 'bot'", [lid]);
  return row?.n ?? 0;
}

/** Sends a line and returns the bot's replies to it, as the phone decrypted them. */
async function say(patient: SimulatedPatient, text: string): Promise<string> {
  const before = await botLines(patient.lid);
  await patient.send(text);
  const after = await eventually(`the answer to "${text}"`, async () => {
    const count = await botLines(patient.lid);
    return count > before ? count : undefined;
  });
  const replies: string[] = [];
  for (let i = before; i < after; i += 1) replies.push((await patient.nextReply()).text);
  return replies.join('\n');
}

it('reaches the phone as a numbered menu in Portuguese; 3 then "sim" cancels the appointment', { timeout: 120_000 }, async () => {
  const probe = await app.runtime.assistant.handle({ channel: 'webchat', conversationId: `probe-${randomUUID()}`, senderId: 'probe', messageId: randomUUID(), text: REQUEST, at: new Date() });
  const slotId = probe[0]?.options?.[0]?.id ?? '';
  const startsAt = new Date(slotId.slice(slotId.indexOf('@') + 1));
  const dueAt = startsAt.getTime() - 86_400_000;

  const patient = server.patient({ lidUser: '77911100000001', phone: '351910000001', pushName: 'Rita' });
  clock.set(new Date(dueAt - 60_000));
  expect(await say(patient, REQUEST)).toMatch(/\*1\.\*/);
  expect(await say(patient, '1')).toMatch(/Posso fazer a marcação/);
  clock.set(new Date(dueAt - 1_500));
  expect(await say(patient, 'sim')).toMatch(/Pronto!/);

  // Nothing sent: the reminder comes by itself.
  const reminder = (await patient.nextReply(20_000)).text;
  expect(reminder).toMatch(/lembrete: tem uma marcação de Limpeza/i);
  expect(replyLanguage(reminder)).toBe('pt');
  expect(reminder).toMatch(/\*1\.\* Confirmar[\s\S]*\*2\.\* Mudar a hora[\s\S]*\*3\.\* Cancelar a marcação/);

  expect(await say(patient, '3')).toMatch(/Posso cancelar a sua marcação de Limpeza/);
  expect(await say(patient, 'sim')).toMatch(/cancelad/);
  const [row] = await deployment.query<{ status: string; outcome: string; channel: string }>(
    'select a.status, r.outcome, r.channel from appointments a join appointment_reminders r on r.appointment_id = a.id',
  );
  expect(row).toEqual({ status: 'cancelled', outcome: 'cancelled', channel: 'whatsapp' });
});
