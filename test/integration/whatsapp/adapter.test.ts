/**
 * The WhatsApp adapter at the Baileys boundary: Baileys' real event buffer (makeEventBuffer)
 * carries real WebMessageInfo objects into the adapter, which runs the real pipeline (embedded
 * defaults: in-process store, PGlite) and the outbox; a recorder stands in for the socket's
 * sendMessage, sendPresenceUpdate and readMessages.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeEventBuffer, proto, type WAMessage, type WAMessageKey } from '@whiskeysockets/baileys';
import { pino } from 'pino';
import type { StateValue } from 'xstate';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRuntime, type Runtime } from '../../../src/app.js';
import { WhatsAppInbound, type ReceivingSocket } from '../../../src/channels/whatsapp/inbound.js';
import { Pacer } from '../../../src/channels/whatsapp/pacer.js';
import { RecentSends } from '../../../src/channels/whatsapp/recent-sends.js';
import { createWhatsAppSender, type SendingSocket } from '../../../src/channels/whatsapp/sender.js';
import { stateName } from '../../../src/conversation/state-name.js';
import { eventually } from '../../support/whatsapp-app.js';

const ACCOUNT = 'default';
const RLM = '\u200F';

interface Sent {
  jid: string;
  text: string;
  messageId: string;
}

/** The socket's side effects, recorded. */
class Recorder implements ReceivingSocket, SendingSocket {
  readonly sent: Sent[] = [];
  readonly reads: WAMessageKey[] = [];
  readonly presence: { type: string; jid: string }[] = [];
  readonly lidOfPn = new Map<string, string>();
  private counter = 0;
  failNextSends = 0;

  async readMessages(keys: WAMessageKey[]): Promise<void> {
    this.reads.push(...keys);
  }
  async sendPresenceUpdate(type: 'composing' | 'paused', jid: string): Promise<void> {
    this.presence.push({ type, jid });
  }
  async lidForPn(pn: string): Promise<string | null> {
    return this.lidOfPn.get(pn) ?? null;
  }
  async pnForLid(): Promise<string | null> {
    return null;
  }
  ownUsers(): string[] {
    return ['351910000000', '88000000000001'];
  }
  newMessageId(): string {
    this.counter += 1;
    return `3EB0${String(this.counter).padStart(18, '0')}`;
  }
  async sendText(jid: string, text: string, messageId: string): Promise<void> {
    if (this.failNextSends > 0) {
      this.failNextSends -= 1;
      throw new Error('socket closed');
    }
    this.sent.push({ jid, text, messageId });
  }
  to(jid: string): Sent[] {
    return this.sent.filter((s) => s.jid === jid);
  }
}

let dataDir: string;
let runtime: Runtime;
let recorder: Recorder;
let ev: ReturnType<typeof makeEventBuffer>;
let inbound: WhatsAppInbound;
let recent: RecentSends;
let counter = 0;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'wa-adapter-'));
  runtime = await createRuntime(
    { DATA_DIR: dataDir, REDIS_URL: '', DATABASE_URL: '', LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', APP_ENV: 'test', TURN_TIMEOUT_MS: '120000', OPENAI_API_KEY: '', OPENAI_BASE_URL: '' },
    // A Monday morning ahead of the real clock: the outbox dates what send() records by the
    // database's clock and delivers what is due by the app's, so the app's must not lag behind.
    { watchLocales: false, now: () => new Date('2027-11-22T09:00:00Z') },
  );
  recorder = new Recorder();
  recent = new RecentSends();
  runtime.outbound.register(
    'whatsapp',
    createWhatsAppSender({
      access: { waitForOpen: async () => recorder, needsLinking: () => false },
      sentLog: runtime.whatsappState.sent,
      account: ACCOUNT,
      pacer: new Pacer({ chatGapMs: 0, sendGapMs: 0 }),
      recent,
      staffLabel: (reply) => runtime.translator.t(reply.locale, 'staff', {}, 'webchat'),
      wroteBefore: async (conversationId) => (await runtime.records.patients.findByIdentity({ channel: 'whatsapp', externalId: conversationId })) !== null,
      waitForOpenMs: 100,
      attempts: 3,
      backOffMs: 10,
    }),
  );
});

afterAll(async () => {
  await runtime?.close();
  await rm(dataDir, { recursive: true, force: true });
});

beforeEach(() => {
  ev = makeEventBuffer(pino({ level: 'silent' }));
  inbound = new WhatsAppInbound({
    assistant: runtime.assistant,
    conversationControl: runtime.conversationControl,
    outbound: runtime.outbound,
    patients: runtime.records.patients,
    sentLog: runtime.whatsappState.sent,
    account: ACCOUNT,
    recent,
    maxBacklogMs: 24 * 3_600_000,
    counters: { received: () => undefined, ignored: () => undefined },
    log: pino({ level: 'silent' }),
  });
  ev.on('messages.upsert', (upsert) => inbound.handleUpsert(recorder, upsert));
});

/** A fresh patient: LID and phone number no other test uses. */
function patient(countryCode = '351') {
  counter += 1;
  const n = String(counter).padStart(6, '0');
  return { lid: `7700000${n}@lid`, pn: `${countryCode}92${n}@s.whatsapp.net` };
}

function waMessage(
  chat: { lid: string; pn?: string },
  content: proto.IMessage,
  options: { id?: string; fromMe?: boolean; pushName?: string; at?: Date; pnForm?: boolean } = {},
): WAMessage {
  counter += 1;
  const remoteJid = options.pnForm && chat.pn ? chat.pn : chat.lid;
  const alt = options.pnForm ? chat.lid : chat.pn;
  const info = proto.WebMessageInfo.fromObject({
    key: { remoteJid, fromMe: options.fromMe ?? false, id: options.id ?? `3A${String(counter).padStart(18, '0')}` },
    message: content,
    messageTimestamp: Math.floor((options.at ?? new Date()).getTime() / 1000),
    ...(options.pushName ? { pushName: options.pushName } : {}),
  });
  return { ...info, key: { ...info.key, ...(alt ? { remoteJidAlt: alt } : {}), addressingMode: options.pnForm ? 'pn' : 'lid' } } as WAMessage;
}

function text(chat: { lid: string; pn?: string }, body: string, options: Parameters<typeof waMessage>[2] = {}): WAMessage {
  return waMessage(chat, { conversation: body }, options);
}

/** Every message handed in has had its turn, and the outbox has delivered (or given up on) every reply. */
async function settle(): Promise<void> {
  await inbound.drain();
  await eventually('the outbox to deliver the replies', async () => {
    const counts = await runtime.records.outbox.countByStatus();
    return !counts.some((row) => row.channel === 'whatsapp' && row.status === 'pending' && row.count > 0);
  });
}

async function stateOf(lid: string): Promise<string> {
  const stored = await runtime.hotStore.getConversation(`whatsapp:${lid}`);
  return stored ? stateName((stored.snapshot as { value: StateValue }).value) : 'idle';
}

describe('WhatsApp adapter at the Baileys boundary', () => {
  it('answers a notify message: read receipt, typing, the reply to the LID chat, the patient under LID and phone number', async () => {
    const chat = patient('34');
    ev.emit('messages.upsert', { messages: [text(chat, 'Hola', { pushName: 'Lucía' })], type: 'notify' });
    await settle();
    const replies = recorder.to(chat.lid);
    expect(replies).toHaveLength(1);
    expect(replies[0]?.text).toMatch(/asistente virtual/i);
    expect(recorder.reads.at(-1)?.remoteJid).toBe(chat.lid);
    expect(recorder.presence).toContainEqual({ type: 'composing', jid: chat.lid });
    const byLid = await runtime.records.patients.findByIdentity({ channel: 'whatsapp', externalId: chat.lid });
    const byPhone = await runtime.records.patients.findByIdentity({ channel: 'whatsapp', externalId: chat.pn });
    expect(byLid?.displayName).toBe('Lucía');
    expect(byPhone?.id).toBe(byLid?.id);
    // What the bot sent is recorded: a redelivery must not send it again.
    expect(await runtime.whatsappState.sent.wasSentByBot(ACCOUNT, replies[0]?.messageId ?? '')).toBe(true);
  });

  it('uses the LID as the conversation also when a message comes in phone-number form', async () => {
    const chat = patient();
    recorder.lidOfPn.set(chat.pn, chat.lid);
    ev.emit('messages.upsert', { messages: [text(chat, 'Olá', { pnForm: true })], type: 'notify' });
    await settle();
    expect(recorder.to(chat.lid)).toHaveLength(1);
    expect(recorder.to(chat.pn)).toHaveLength(0);
  });

  it('books through a numbered menu: "2" picks the second time, in order, also from an offline (append) batch', async () => {
    const chat = patient();
    // Buffered like the messages Baileys collects while it catches up after a reconnect.
    ev.buffer();
    ev.emit('messages.upsert', { messages: [text(chat, 'Quero marcar uma limpeza com a Dra. Ana amanhã às 10')], type: 'append' });
    ev.emit('messages.upsert', { messages: [text(chat, '2')], type: 'append' });
    ev.emit('messages.upsert', { messages: [text(chat, 'sim')], type: 'append' });
    ev.flush();
    await settle();
    const replies = recorder.to(chat.lid).map((s) => s.text);
    expect(replies).toHaveLength(3);
    const menu = replies[0] ?? '';
    expect(menu).toContain('*1.* ');
    const second = /\*2\.\* (.+)/.exec(menu)?.[1];
    expect(second).toBeTruthy();
    expect(replies[1]).toContain('Posso fazer a marcação');
    expect(replies[1]).toContain(second?.split(' com ')[0] ?? '?');
    expect(replies[2]).toContain('está confirmada');
    const patientRow = await runtime.records.patients.findByIdentity({ channel: 'whatsapp', externalId: chat.lid });
    const booked = await runtime.records.appointments.listUpcomingForPatient(patientRow?.id ?? '', new Date('2027-11-22T00:00:00Z'));
    expect(booked).toHaveLength(1);
    expect(await stateOf(chat.lid)).toBe('idle');
  });

  it('answers a redelivered message once: the same id again sends nothing new', async () => {
    const chat = patient();
    const first = text(chat, 'Hello', { id: '3AREDELIVERED0000001' });
    ev.emit('messages.upsert', { messages: [first], type: 'notify' });
    await settle();
    ev.emit('messages.upsert', { messages: [text(chat, 'Hello', { id: '3AREDELIVERED0000001' })], type: 'append' });
    await settle();
    expect(recorder.to(chat.lid)).toHaveLength(1);
  });

  it('retries a failed send and sends it once', async () => {
    const chat = patient();
    recorder.failNextSends = 2;
    ev.emit('messages.upsert', { messages: [text(chat, 'Hello')], type: 'notify' });
    await settle();
    expect(recorder.to(chat.lid)).toHaveLength(1);
  });

  it('leaves groups, status, reactions and protocol messages alone', async () => {
    const before = recorder.sent.length;
    const group = proto.WebMessageInfo.fromObject({
      key: { remoteJid: '120363025246125486@g.us', participant: '77009999999@lid', id: 'G1', fromMe: false },
      message: { conversation: 'hi all' },
      messageTimestamp: Math.floor(Date.now() / 1000),
    }) as WAMessage;
    const status = proto.WebMessageInfo.fromObject({
      key: { remoteJid: 'status@broadcast', participant: '77009999998@lid', id: 'S1', fromMe: false },
      message: { conversation: 'my status' },
      messageTimestamp: Math.floor(Date.now() / 1000),
    }) as WAMessage;
    const chat = patient();
    const reaction = waMessage(chat, { reactionMessage: { text: '👍', key: { id: 'X', remoteJid: chat.lid } } });
    const revoke = waMessage(chat, { protocolMessage: { type: proto.Message.ProtocolMessage.Type.REVOKE, key: { id: 'X' } } });
    ev.emit('messages.upsert', { messages: [group, status, reaction, revoke], type: 'notify' });
    await settle();
    expect(recorder.sent.length).toBe(before);
    expect(await runtime.records.patients.findByIdentity({ channel: 'whatsapp', externalId: chat.lid })).toBeNull();
  });

  it('answers a voice note with the unsupported-media notice in the language of the phone number', async () => {
    const chat = patient('34');
    ev.emit('messages.upsert', { messages: [waMessage(chat, { audioMessage: { ptt: true, seconds: 5 } })], type: 'notify' });
    await settle();
    const [reply] = recorder.to(chat.lid);
    const notice = runtime.translator.t('es', 'fallback.unsupported_media');
    expect(reply?.text).toBe(notice);
  });

  it('answers an edited message as its new text', async () => {
    const chat = patient();
    const edit = waMessage(chat, {
      protocolMessage: {
        type: proto.Message.ProtocolMessage.Type.MESSAGE_EDIT,
        key: { id: '3AORIGINAL', remoteJid: chat.lid },
        editedMessage: { conversation: 'Quanto custa o branqueamento?' },
      },
    });
    ev.emit('messages.upsert', { messages: [edit], type: 'notify' });
    await settle();
    expect(recorder.to(chat.lid)[0]?.text).toMatch(/Branqueamento/);
  });

  it('shows Hebrew replies right to left', async () => {
    const chat = patient('972');
    ev.emit('messages.upsert', { messages: [text(chat, 'שלום')], type: 'notify' });
    await settle();
    const reply = recorder.to(chat.lid)[0]?.text ?? '';
    expect(reply.split('\n').filter((line) => line).every((line) => line.startsWith(RLM))).toBe(true);
  });

  it('ignores our own sends echoed back, and takes a message typed on the clinic phone as a staff takeover', async () => {
    const chat = patient();
    ev.emit('messages.upsert', { messages: [text(chat, 'Olá')], type: 'notify' });
    await settle();
    const ownId = recorder.to(chat.lid)[0]?.messageId ?? '';
    ev.emit('messages.upsert', { messages: [text(chat, 'echo', { fromMe: true, id: ownId })], type: 'append' });
    await settle();
    expect(await stateOf(chat.lid)).toBe('idle');

    const sentBefore = recorder.sent.length;
    ev.emit('messages.upsert', { messages: [text(chat, 'Bom dia, aqui é a Marta da clínica', { fromMe: true, id: '3EB0TYPEDONPHONE0001' })], type: 'notify' });
    await settle();
    expect(await stateOf(chat.lid)).toBe('escalated.withStaff');
    // (The runtime's clock stands still here, so lines are matched, not ordered.)
    const transcript = await runtime.records.transcripts.listForConversation('whatsapp', chat.lid);
    expect(transcript).toContainEqual(expect.objectContaining({ author: 'staff', text: 'Bom dia, aqui é a Marta da clínica' }));
    const escalation = await runtime.records.escalations.findOpenForConversation('whatsapp', chat.lid);
    expect(escalation?.reason).toBe('staff_takeover');

    // The bot stays silent while staff have it; the patient's message goes to the transcript.
    ev.emit('messages.upsert', { messages: [text(chat, 'Obrigada Marta')], type: 'notify' });
    await settle();
    expect(recorder.sent.length).toBe(sentBefore);
    const after = await runtime.records.transcripts.listForConversation('whatsapp', chat.lid);
    expect(after).toContainEqual(expect.objectContaining({ author: 'patient', text: 'Obrigada Marta' }));
  });

  it('delivers staff replies from the console with the staff name, once; never writes first to someone who did not write', async () => {
    const stranger = patient();
    await runtime.outbound.send({ channel: 'whatsapp', conversationId: stranger.lid }, { author: 'bot', replies: [{ text: 'Hi!', locale: 'pt' }], deliveryId: 'cold-1' });
    // Refused for good at the first attempt (PermanentDeliveryError): recorded as failed, never retried.
    const refused = await eventually('the cold message refused', async () => {
      const item = await runtime.records.outbox.findByDeliveryId('cold-1');
      return item?.status === 'failed' ? item : undefined;
    });
    expect(refused.attempts).toBe(1);
    expect(recorder.to(stranger.lid)).toHaveLength(0);

    const chat = patient();
    ev.emit('messages.upsert', { messages: [text(chat, 'Olá')], type: 'notify' });
    await settle();
    const before = recorder.to(chat.lid).length;
    await runtime.outbound.send({ channel: 'whatsapp', conversationId: chat.lid }, { author: 'staff', authorName: 'Ana', replies: [{ text: 'Até já!', locale: 'pt' }], deliveryId: 'staff-1' });
    await runtime.outbound.send({ channel: 'whatsapp', conversationId: chat.lid }, { author: 'staff', authorName: 'Ana', replies: [{ text: 'Até já!', locale: 'pt' }], deliveryId: 'staff-1' });
    await eventually('the staff reply', () => recorder.to(chat.lid).length > before);
    expect(recorder.to(chat.lid).slice(before).map((s) => s.text)).toEqual(['*Ana · Equipa da clínica*\nAté já!']);
  });
});
