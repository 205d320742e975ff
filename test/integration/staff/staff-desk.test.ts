/**
 * The staff desk on a real (embedded) database, with the in-process LiveEvents and small
 * in-test implementations of the OutboxWaker and ConversationControl ports that record what
 * they were asked to do (the control runs the desk's change in a transaction, as the pipeline
 * does; the pipeline's own side is tested in test/integration/escalation/staff-hooks.test.ts).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ConversationKey } from '../../../src/core/messages.js';
import type { StaffChange } from '../../../src/core/ports/conversation-control.js';
import type { LiveEvent, OutgoingMessage } from '../../../src/core/ports/live-events.js';
import type { Escalation, Records, StaffUser, Urgency } from '../../../src/core/ports/records.js';
import type { SqlDatabase } from '../../../src/db/database.js';
import { createRecords } from '../../../src/db/records.js';
import { createStaffDesk, type StaffDesk } from '../../../src/escalation/staff-desk.js';
import { MemoryLiveEvents } from '../../../src/store/live-events-memory.js';
import { uniqueName } from '../../support/services.js';
import { newPatient, openMigrated, pgliteBackend } from '../db/backends.js';

const NOW = new Date('2031-05-05T12:00:00Z');

let db: SqlDatabase;
let records: Records;
let liveEvents: MemoryLiveEvents;
let desk: StaffDesk;
let published: LiveEvent[];
let woken: string[];
let control: { claimed: ConversationKey[]; resolved: ConversationKey[] };
let alice: StaffUser;
let bruno: StaffUser;
let admin: StaffUser;

async function user(displayName: string, role: StaffUser['role']): Promise<StaffUser> {
  const created = await records.staff.create({ email: `${uniqueName('desk')}@clinic.example`, displayName, role, passwordHash: 'x' });
  if (created.outcome !== 'created') throw new Error('no user');
  return created.user;
}

async function escalation(urgency: Urgency, raisedAt: Date): Promise<Escalation> {
  const patientId = await newPatient(records, 'Pat');
  const created = await records.escalations.create({ patientId, channel: 'webchat', conversationId: uniqueName('conv'), urgency, reason: 'human' });
  await db.query('update escalations set raised_at = $2 where id = $1', [created.id, raisedAt]);
  return created;
}

function minutesBefore(minutes: number): Date {
  return new Date(NOW.getTime() - minutes * 60_000);
}

/** Runs the desk's change in a transaction; the conversation is told only when the change applies. */
async function applied<T>(told: ConversationKey[], conversation: ConversationKey, change: StaffChange<T>): Promise<T> {
  const tx = await records.begin();
  const decision = await change(tx);
  if (decision.apply) {
    await tx.commit();
    told.push(conversation);
  } else {
    await tx.rollback();
  }
  return decision.value;
}

async function outboxOf(conversationId: string): Promise<{ channel: string; message: OutgoingMessage; status: string }[]> {
  return db.query('select channel, message, status from outbox where conversation_id = $1 order by id', [conversationId]);
}

beforeAll(async () => {
  db = await openMigrated(pgliteBackend);
  records = createRecords(db);
  liveEvents = new MemoryLiveEvents();
  liveEvents.subscribe((event) => published.push(event));
  desk = createStaffDesk({
    records,
    liveEvents,
    outbox: { wake: (channel) => void woken.push(channel) },
    conversationControl: {
      staffClaimed: (conversation, change) => applied(control.claimed, conversation, change),
      staffResolved: (conversation, change) => applied(control.resolved, conversation, change),
    },
    defaultLocale: 'en',
    now: () => NOW,
  });
  alice = await user('Alice', 'staff');
  bruno = await user('Bruno', 'staff');
  admin = await user('Ada', 'admin');
});

beforeEach(() => {
  published = [];
  woken = [];
  control = { claimed: [], resolved: [] };
});

afterAll(async () => {
  await liveEvents?.close();
  if (db) await pgliteBackend.dispose(db);
});

/** MemoryLiveEvents delivers on a later tick. */
async function settle(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
}

describe('the queue', () => {
  it('puts the most urgent first, then the longest waiting, and says how long each has waited', async () => {
    const lowOld = await escalation('low', minutesBefore(300));
    const urgentNew = await escalation('urgent', minutesBefore(2));
    const highNew = await escalation('high', minutesBefore(10));
    const highOld = await escalation('high', minutesBefore(45));
    const ours = new Set([lowOld.id, urgentNew.id, highNew.id, highOld.id]);

    const queue = (await desk.queue()).filter((entry) => ours.has(entry.escalation.id));
    expect(queue.map((entry) => entry.escalation.id)).toEqual([urgentNew.id, highOld.id, highNew.id, lowOld.id]);
    expect(queue.map((entry) => entry.waitingMinutes)).toEqual([2, 45, 10, 300]);
  });
});

describe('claim, reply, resolve', () => {
  it('claims once, tells the conversation and the consoles, and audits it', async () => {
    const item = await escalation('medium', minutesBefore(5));
    const claimed = await desk.claim(item.id, alice);
    expect(claimed).toMatchObject({ ok: true, value: { status: 'claimed', claimedBy: alice.id } });
    expect(control.claimed).toEqual([{ channel: 'webchat', conversationId: item.conversationId }]);
    await settle();
    expect(published).toEqual([{ type: 'escalation.changed', escalationId: item.id }]);

    // Claiming again (a retry) tells the conversation again, but is audited once.
    expect(await desk.claim(item.id, alice)).toMatchObject({ ok: true });
    expect(control.claimed).toHaveLength(2);
    expect(await desk.claim(item.id, bruno)).toMatchObject({ ok: false, refusal: 'already_claimed', escalation: { claimedBy: alice.id } });
    expect(control.claimed).toHaveLength(2);
    const audit = await records.audit.listForPatient(item.patientId);
    expect(audit.map((row) => [row.action, row.actorType, row.actorId])).toEqual([['escalation.claimed', 'staff', alice.id]]);
  });

  it('delivers a reply in the conversation\'s language, keeps it in the transcript, and shows it live', async () => {
    const item = await escalation('medium', minutesBefore(5));
    await records.transcripts.append([
      { patientId: item.patientId, channel: 'webchat', conversationId: item.conversationId, direction: 'in', author: 'patient', text: 'Позовите человека', locale: 'ru', messageId: 'm1', at: minutesBefore(6) },
    ]);
    expect(await desk.reply(item.id, alice, 'Здравствуйте')).toMatchObject({ ok: false, refusal: 'not_claimer' });
    await desk.claim(item.id, alice);
    published = [];

    const replied = await desk.reply(item.id, alice, 'Здравствуйте, это Алиса.');
    expect(replied).toEqual({ ok: true, value: { text: 'Здравствуйте, это Алиса.', locale: 'ru', at: NOW } });
    // Recorded for delivery with the transcript line, and the delivery loop woken for the channel.
    const outbox = await outboxOf(item.conversationId);
    expect(outbox).toEqual([
      {
        channel: 'webchat',
        status: 'pending',
        message: { deliveryId: expect.any(String), author: 'staff', authorName: 'Alice', replies: [{ text: 'Здравствуйте, это Алиса.', locale: 'ru' }], at: NOW.toISOString() },
      },
    ]);
    expect(woken).toEqual(['webchat']);
    const transcript = await records.transcripts.listForConversation('webchat', item.conversationId);
    expect(transcript.at(-1)).toMatchObject({ author: 'staff', authorName: 'Alice', direction: 'out', text: 'Здравствуйте, это Алиса.', locale: 'ru' });
    await settle();
    expect(published).toEqual([
      { type: 'conversation.message', channel: 'webchat', conversationId: item.conversationId, entry: { author: 'staff', authorName: 'Alice', text: 'Здравствуйте, это Алиса.', locale: 'ru', at: NOW.toISOString() } },
    ]);
    expect(await desk.reply(item.id, bruno, 'me too')).toMatchObject({ ok: false, refusal: 'not_claimer' });
  });

  it('hands back only by the claimer (or an admin), then it is closed', async () => {
    const item = await escalation('medium', minutesBefore(5));
    await desk.claim(item.id, alice);
    expect(await desk.resolve(item.id, bruno)).toMatchObject({ ok: false, refusal: 'not_claimer' });
    expect(control.resolved).toEqual([]);

    expect(await desk.resolve(item.id, alice)).toMatchObject({ ok: true, value: { status: 'resolved' } });
    expect(control.resolved).toEqual([{ channel: 'webchat', conversationId: item.conversationId }]);
    expect(await desk.resolve(item.id, admin)).toMatchObject({ ok: false, refusal: 'closed' });
    expect(await desk.reply(item.id, alice, 'one more thing')).toMatchObject({ ok: false, refusal: 'closed' });
    expect(await desk.claim(item.id, bruno)).toMatchObject({ ok: false, refusal: 'closed' });

    const other = await escalation('low', minutesBefore(1));
    await desk.claim(other.id, bruno);
    expect(await desk.resolve(other.id, admin)).toMatchObject({ ok: true });
  });

  it('audits a transcript view with who and which patient, and refuses unknown ids', async () => {
    const item = await escalation('high', minutesBefore(5));
    const viewed = await desk.view(item.id, bruno);
    expect(viewed).toMatchObject({ ok: true, value: { escalation: { id: item.id }, patient: { id: item.patientId }, transcript: [], claimedBy: null } });
    const [row] = await records.audit.listForPatient(item.patientId);
    expect(row).toMatchObject({ action: 'transcript.viewed', actorType: 'staff', actorId: bruno.id, patientId: item.patientId, details: { escalationId: item.id } });
    expect(await desk.view('not-a-uuid', bruno)).toEqual({ ok: false, refusal: 'not_found' });
    expect(await desk.claim('00000000-0000-4000-8000-000000000000', bruno)).toEqual({ ok: false, refusal: 'not_found' });
  });
});
