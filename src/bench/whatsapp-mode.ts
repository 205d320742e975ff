/**
 * `npm run bench -- --mode whatsapp`: WhatsApp messages per second through the WhatsApp adapter
 * and the pipeline, on the real Redis and PostgreSQL. Baileys' own event buffer carries real
 * WebMessageInfo objects in; a fake socket takes the read receipts, typing and replies out
 * (no network, no encryption: the WhatsApp side is not what is measured). Pacing is off here,
 * so the figure is the processing ceiling; the running app paces sends on purpose.
 */
import { randomUUID } from 'node:crypto';
import { makeEventBuffer, proto, type WAMessage, type WAMessageKey } from '@whiskeysockets/baileys';
import { pino } from 'pino';
import { WhatsAppInbound, type ReceivingSocket } from '../channels/whatsapp/inbound.js';
import { Pacer } from '../channels/whatsapp/pacer.js';
import { RecentSends } from '../channels/whatsapp/recent-sends.js';
import { createWhatsAppSender, type SendingSocket } from '../channels/whatsapp/sender.js';
import type { Locale } from '../core/locale.js';
import { SUPPORTED_LOCALES } from '../core/locale.js';
import { withServicesRuntime } from './services-runtime.js';
import { percentile } from './stats.js';

const LINES: Record<Locale, { ask: string; book: string; yes: string }> = {
  en: { ask: 'How much is a cleaning?', book: 'I want to book a cleaning', yes: 'yes' },
  es: { ask: '¿Cuánto cuesta una limpieza?', book: 'Quiero reservar una limpieza', yes: 'sí' },
  ru: { ask: 'Сколько стоит чистка?', book: 'Хочу записаться на чистку', yes: 'да' },
  he: { ask: 'כמה עולה ניקוי שיניים?', book: 'אני רוצה לקבוע תור לניקוי שיניים', yes: 'כן' },
  pt: { ask: 'Quanto custa uma limpeza?', book: 'Quero marcar uma limpeza', yes: 'sim' },
};

/** The socket's side effects, counted. A turn without replies ends with "paused" typing, which wakes its patient. */
class BenchSocket implements ReceivingSocket, SendingSocket {
  sent = 0;
  reads = 0;
  readonly waiting = new Map<string, () => void>();
  private ids = 0;
  async readMessages(keys: WAMessageKey[]): Promise<void> {
    this.reads += keys.length;
  }
  async sendPresenceUpdate(type: 'composing' | 'paused', jid: string): Promise<void> {
    if (type === 'paused') this.waiting.get(jid)?.();
  }
  async lidForPn(): Promise<string | null> {
    return null;
  }
  async pnForLid(): Promise<string | null> {
    return null;
  }
  ownUsers(): string[] {
    return ['351910000000'];
  }
  newMessageId(): string {
    this.ids += 1;
    return `3EB0BENCH${this.ids}`;
  }
  async sendText(): Promise<void> {
    this.sent += 1;
  }
}

function message(lid: string, pn: string, text: string): WAMessage {
  const info = proto.WebMessageInfo.fromObject({
    key: { remoteJid: lid, fromMe: false, id: `3A${randomUUID().replace(/-/g, '').slice(0, 18).toUpperCase()}` },
    message: { conversation: text },
    messageTimestamp: Math.floor(Date.now() / 1000),
    pushName: 'Bench',
  });
  return { ...info, key: { ...info.key, remoteJidAlt: pn, addressingMode: 'lid' } } as WAMessage;
}

export async function runWhatsAppBench(conversations: number): Promise<void> {
  await withServicesRuntime({}, async (runtime) => {
    const socket = new BenchSocket();
    const sender = createWhatsAppSender({
      access: { waitForOpen: async () => socket, needsLinking: () => false },
      sentLog: runtime.whatsappState.sent,
      account: 'bench',
      pacer: new Pacer({ chatGapMs: 0, sendGapMs: 0 }),
      recent: new RecentSends(),
      staffLabel: () => 'Clinic staff',
      wroteBefore: async () => true,
      waitForOpenMs: 1_000,
    });
    // Each turn's delivery finishing wakes the patient waiting for it.
    const { waiting } = socket;
    runtime.outbound.register('whatsapp', {
      async send(conversation, outgoing) {
        await sender.send(conversation, outgoing);
        waiting.get(conversation.conversationId)?.();
      },
    });
    const ev = makeEventBuffer(pino({ level: 'silent' }));
    const inbound = new WhatsAppInbound({
      assistant: runtime.assistant,
      conversationControl: runtime.conversationControl,
      outbound: runtime.outbound,
      patients: runtime.records.patients,
      sentLog: runtime.whatsappState.sent,
      account: 'bench',
      recent: new RecentSends(),
      maxBacklogMs: 3_600_000,
      counters: { received: () => undefined, ignored: () => undefined },
      log: pino({ level: 'silent' }),
    });
    ev.on('messages.upsert', (upsert) => inbound.handleUpsert(socket, upsert));

    const latencies: number[] = [];
    const patient = async (index: number): Promise<void> => {
      const lines = LINES[SUPPORTED_LOCALES[index % SUPPORTED_LOCALES.length] ?? 'en'];
      const lid = `7790${String(index).padStart(10, '0')}@lid`;
      const pn = `3519${String(index).padStart(8, '0')}@s.whatsapp.net`;
      for (const text of [lines.ask, lines.book, '1', lines.yes]) {
        const started = performance.now();
        const answered = new Promise<void>((resolve) => waiting.set(lid, resolve));
        ev.emit('messages.upsert', { messages: [message(lid, pn, text)], type: 'notify' });
        await answered;
        latencies.push(performance.now() - started);
      }
      waiting.delete(lid);
    };

    const started = performance.now();
    await Promise.all(Array.from({ length: conversations }, (_, i) => patient(i)));
    const seconds = (performance.now() - started) / 1000;
    await inbound.drain();
    const sorted = [...latencies].sort((a, b) => a - b);
    const round = (n: number) => Math.round(n * 10) / 10;
    process.stdout.write(`\n${conversations} concurrent WhatsApp patients (ask, book, pick 1, confirm), offline NLU, Redis + PostgreSQL, Node ${process.version}\n`);
    console.table([
      {
        setup: 'whatsapp adapter + pipeline (fake socket)',
        messages: latencies.length,
        'messages/s': Math.round(latencies.length / seconds),
        'replies sent': socket.sent,
        'read receipts': socket.reads,
        'p50 ms': round(percentile(sorted, 50)),
        'p95 ms': round(percentile(sorted, 95)),
        'p99 ms': round(percentile(sorted, 99)),
      },
    ]);
  });
}
