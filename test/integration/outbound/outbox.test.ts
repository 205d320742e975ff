/**
 * The outbox on the real PostgreSQL and on PGlite: messages recorded for delivery outside a
 * patient's turn reach the channel's sender once, in whichever process registered it; a
 * channel that is down delays delivery and never loses it; retries back off and end, recorded,
 * after a permanent failure or too many attempts.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDefaultOutbound, createOutbound, type OutboundRegistry } from '../../../src/channels/outbound.js';
import { PermanentDeliveryError } from '../../../src/core/errors.js';
import type { ChannelName, ConversationKey } from '../../../src/core/messages.js';
import type { LiveEvent, OutgoingMessage } from '../../../src/core/ports/live-events.js';
import type { Records } from '../../../src/core/ports/records.js';
import type { SqlDatabase } from '../../../src/db/database.js';
import { createRecords } from '../../../src/db/records.js';
import type { DeliveryOutcome } from '../../../src/observability/metrics.js';
import { MemoryLiveEvents } from '../../../src/store/live-events-memory.js';
import { eventually } from '../escalation/follow-up-harness.js';
import { backends, openMigrated } from '../db/backends.js';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

function reply(text: string): OutgoingMessage {
  return { author: 'staff', authorName: 'Ana', replies: [{ text, locale: 'en' }] };
}

interface Recorder {
  delivered: { conversation: ConversationKey; message: OutgoingMessage }[];
  send(conversation: ConversationKey, message: OutgoingMessage): Promise<void>;
}

function recorder(fail?: (attempt: number) => Error | null): Recorder {
  let attempt = 0;
  const delivered: Recorder['delivered'] = [];
  return {
    delivered,
    async send(conversation, message) {
      attempt += 1;
      const error = fail?.(attempt) ?? null;
      if (error) throw error;
      delivered.push({ conversation, message });
    },
  };
}

describe.each(backends)('outbox on $name', (backend) => {
  let db: SqlDatabase;
  let records: Records;
  const registries: OutboundRegistry[] = [];
  const outcomes: [ChannelName, DeliveryOutcome][] = [];

  /** One "process": its own registry and delivery loop on the shared database. */
  function processOn(live = new MemoryLiveEvents()): OutboundRegistry {
    const registry = createOutbound({
      records,
      liveEvents: live,
      log: silent,
      recordDelivery: (channel, outcome) => void outcomes.push([channel, outcome]),
      settings: { pollIntervalMs: 50, retryBaseMs: 20, retryMaxMs: 40, maxAttempts: 3 },
    });
    registry.start();
    registries.push(registry);
    return registry;
  }

  async function statusOf(deliveryId: string) {
    return records.outbox.findByDeliveryId(deliveryId);
  }

  beforeAll(async () => {
    db = await openMigrated(backend);
    records = createRecords(db);
  });

  afterAll(async () => {
    for (const registry of registries) await registry.close();
    if (db) await backend.dispose(db);
  });

  it('delivers web chat and terminal messages as live events, and keeps a WhatsApp one pending until a sender registers', async () => {
    const live = new MemoryLiveEvents();
    const events: LiveEvent[] = [];
    live.subscribe((event) => {
      if (event.type === 'outbound') events.push(event);
    });
    const registry = createDefaultOutbound({ records, liveEvents: live, log: silent, settings: { pollIntervalMs: 50 } });
    registry.start();
    registries.push(registry);
    const web = { channel: 'webchat' as const, conversationId: `web-${randomUUID()}` };
    const phone = { channel: 'whatsapp' as const, conversationId: `${randomUUID()}@lid` };

    await registry.send(web, { ...reply('to the page'), deliveryId: `d-${randomUUID()}` });
    await registry.send({ channel: 'cli', conversationId: web.conversationId }, reply('to the terminal'));
    const waiting = `d-${randomUUID()}`;
    await registry.send(phone, { ...reply('waits for WhatsApp'), deliveryId: waiting });
    await eventually(() => expect(events).toHaveLength(2));
    expect(events.map((e) => (e.type === 'outbound' ? [e.channel, e.message.replies[0]?.text] : null))).toEqual([
      ['webchat', 'to the page'],
      ['cli', 'to the terminal'],
    ]);
    // No WhatsApp sender in this process: not dropped, not failed — pending.
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await statusOf(waiting)).toMatchObject({ status: 'pending', attempts: 0 });

    const whatsapp = recorder();
    registry.register('whatsapp', whatsapp);
    await eventually(() => expect(whatsapp.delivered).toHaveLength(1));
    expect(whatsapp.delivered[0]).toEqual({ conversation: phone, message: { ...reply('waits for WhatsApp'), deliveryId: waiting } });
    await eventually(async () => expect(await statusOf(waiting)).toMatchObject({ status: 'sent', attempts: 1 }));
    registry.unregister('whatsapp');
  });

  it('records a message once per delivery id, however often it is sent', async () => {
    const registry = processOn();
    const teams = recorder();
    const conversation = { channel: 'teams' as const, conversationId: `a:${randomUUID()}` };
    const deliveryId = `turn:${randomUUID()}`;
    await Promise.all([1, 2, 3].map(() => registry.send(conversation, { ...reply('once'), deliveryId })));
    registry.register('teams', teams);
    await eventually(async () => expect(await statusOf(deliveryId)).toMatchObject({ status: 'sent' }));
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(teams.delivered).toHaveLength(1);
    registry.unregister('teams');
  });

  it('retries a failing channel with back-off until it succeeds', async () => {
    outcomes.length = 0;
    const registry = processOn();
    const flaky = recorder((attempt) => (attempt < 3 ? new Error(`502 from the connector (attempt ${attempt})`) : null));
    registry.register('teams', flaky);
    const deliveryId = `d-${randomUUID()}`;
    await registry.send({ channel: 'teams', conversationId: `a:${randomUUID()}` }, { ...reply('third time lucky'), deliveryId });
    await eventually(async () => expect(await statusOf(deliveryId)).toMatchObject({ status: 'sent', attempts: 3 }));
    expect(flaky.delivered).toHaveLength(1);
    expect(outcomes.filter(([channel]) => channel === 'teams').map(([, outcome]) => outcome)).toEqual(['retry', 'retry', 'sent']);
    registry.unregister('teams');
  });

  it('gives up, recorded as failed with the reason, after a permanent failure or too many attempts', async () => {
    const registry = processOn();
    registry.register('whatsapp', recorder(() => new PermanentDeliveryError('WhatsApp is logged out')));
    const loggedOut = `d-${randomUUID()}`;
    await registry.send({ channel: 'whatsapp', conversationId: `${randomUUID()}@lid` }, { ...reply('never'), deliveryId: loggedOut });
    await eventually(async () => expect(await statusOf(loggedOut)).toMatchObject({ status: 'failed', attempts: 1, lastError: 'WhatsApp is logged out' }));
    registry.unregister('whatsapp');

    registry.register('teams', recorder(() => new Error('503 Service Unavailable')));
    const down = `d-${randomUUID()}`;
    await registry.send({ channel: 'teams', conversationId: `a:${randomUUID()}` }, { ...reply('never either'), deliveryId: down });
    await eventually(async () => expect(await statusOf(down)).toMatchObject({ status: 'failed', attempts: 3, lastError: '503 Service Unavailable' }));
    registry.unregister('teams');
  });

  it('writes down how an attempt ended even when the database loses the first write, instead of hiding the message for the lease', async () => {
    // A real fault in the database: every other status change of an outbox row is refused.
    await db.query('create sequence outbox_fault_seq');
    await db.query(`create function outbox_fault() returns trigger language plpgsql as $$
      begin
        if new.status <> old.status then
          if nextval('outbox_fault_seq') % 2 = 1 then raise exception 'injected: the write was lost'; end if;
        end if;
        return new;
      end $$`);
    await db.query('create trigger outbox_fault before update on outbox for each row execute function outbox_fault()');
    try {
      const registry = processOn();
      const teams = recorder();
      registry.register('teams', teams);
      const sent = `d-${randomUUID()}`;
      await registry.send({ channel: 'teams', conversationId: `a:${randomUUID()}` }, { ...reply('recorded as sent'), deliveryId: sent });
      // Well inside the one-minute attempt lease a lost write would otherwise cost.
      await eventually(async () => expect(await statusOf(sent)).toMatchObject({ status: 'sent', attempts: 1 }), 5_000);
      expect(teams.delivered).toHaveLength(1);
      registry.unregister('teams');

      registry.register('whatsapp', recorder(() => new PermanentDeliveryError('WhatsApp is logged out')));
      const refused = `d-${randomUUID()}`;
      await registry.send({ channel: 'whatsapp', conversationId: `${randomUUID()}@lid` }, { ...reply('recorded as failed'), deliveryId: refused });
      await eventually(async () => expect(await statusOf(refused)).toMatchObject({ status: 'failed', attempts: 1, lastError: 'WhatsApp is logged out' }), 5_000);
      registry.unregister('whatsapp');
      const [faults] = await db.query<{ n: string }>('select last_value::text as n from outbox_fault_seq');
      expect(Number(faults?.n)).toBe(4);
    } finally {
      await db.query('drop trigger outbox_fault on outbox');
      await db.query('drop function outbox_fault()');
      await db.query('drop sequence outbox_fault_seq');
    }
  });

  it('hands a message recorded in one process to the process that can deliver it, exactly once with two takers', async () => {
    const live = new MemoryLiveEvents();
    const producer = processOn(live);
    const first = processOn(live);
    const second = processOn(live);
    const a = recorder();
    const b = recorder();
    first.register('whatsapp', a);
    second.register('whatsapp', b);
    const conversation = { channel: 'whatsapp' as const, conversationId: `${randomUUID()}@lid` };
    const ids = Array.from({ length: 30 }, () => `d-${randomUUID()}`);
    for (const deliveryId of ids) await producer.send(conversation, { ...reply(deliveryId), deliveryId });
    await eventually(() => expect(a.delivered.length + b.delivered.length).toBe(30), 10_000);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const texts = [...a.delivered, ...b.delivered].map((d) => d.message.replies[0]?.text).sort();
    expect(texts).toEqual([...ids].sort());
    first.unregister('whatsapp');
    second.unregister('whatsapp');
  });
});
