/**
 * The one statement that commits a turn, on the real PostgreSQL and on PGlite: all of a turn
 * or none of it; refused when the conversation moved on or the message was answered already;
 * refused when the database would commit it after the turn's deadline.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationKey } from '../../../src/core/messages.js';
import type { Records, TurnCommit } from '../../../src/core/ports/records.js';
import type { SqlDatabase } from '../../../src/db/database.js';
import { createRecords } from '../../../src/db/records.js';
import { at, backends, newPatient, openMigrated } from './backends.js';

describe.each(backends)('committing a turn on $name', (backend) => {
  let db: SqlDatabase;
  let records: Records;

  beforeAll(async () => {
    db = await openMigrated(backend);
    records = createRecords(db);
  });
  afterAll(async () => {
    if (db) await backend.dispose(db);
  });

  function conversation(): ConversationKey {
    return { channel: 'webchat', conversationId: `c-${randomUUID()}` };
  }

  function turn(key: ConversationKey, patientId: string, expectedRev: number | null, messageId: string, text: string): TurnCommit {
    const now = new Date();
    const replies = [{ text: `re: ${text}`, locale: 'en' as const }];
    return {
      conversation: key,
      expectedRev,
      record: { machineVersion: 1, snapshot: { value: 'idle', text }, locale: 'en', lastActivityAt: now.toISOString(), patientId },
      answered: { messageId, replies },
      transcript: [
        { patientId, ...key, direction: 'in', author: 'patient', text, locale: 'en', messageId, at: now },
        { patientId, ...key, direction: 'out', author: 'bot', text: `re: ${text}`, locale: 'en', messageId: null, at: new Date(now.getTime() + 1) },
      ],
      audit: [{ actorType: 'bot', actorId: 'assistant', action: 'test.turn', patientId, details: { text } }],
      outbox: [{ deliveryId: `turn:${key.conversationId}:${messageId}`, conversation: key, patientId, message: { author: 'bot', replies } }],
      appointments: [],
      escalation: null,
      preferredLocale: { patientId, locale: 'en' },
      at: now,
      commitBy: new Date(Date.now() + 60_000),
    };
  }

  async function countsFor(key: ConversationKey, patientId: string) {
    const [row] = await db.query<{ inbox: string; lines: string; audit: string; outbox: string }>(
      `select (select count(*) from inbox where conversation_id = $1) as inbox,
              (select count(*) from messages where conversation_id = $1) as lines,
              (select count(*) from audit_log where patient_id = $2) as audit,
              (select count(*) from outbox where conversation_id = $1) as outbox`,
      [key.conversationId, patientId],
    );
    return { inbox: Number(row?.inbox), lines: Number(row?.lines), audit: Number(row?.audit), outbox: Number(row?.outbox) };
  }

  it('writes the state, the answer, the transcript, the audit and the outbox together, and numbers the revisions', async () => {
    const key = conversation();
    const patientId = await newPatient(records);
    const first = await records.conversations.commitTurn(turn(key, patientId, null, 'm1', 'hello'));
    expect(first).toMatchObject({ outcome: 'committed', conversation: { rev: 1, patientId } });
    const second = await records.conversations.commitTurn(turn(key, patientId, 1, 'm2', 'book'));
    expect(second).toMatchObject({ outcome: 'committed', conversation: { rev: 2 } });
    expect(await records.conversations.load(key)).toMatchObject({ rev: 2, snapshot: { text: 'book' } });
    expect(await records.conversations.findAnswer(key, 'm1')).toEqual([{ text: 're: hello', locale: 'en' }]);
    expect(await countsFor(key, patientId)).toEqual({ inbox: 2, lines: 4, audit: 2, outbox: 2 });
    expect((await records.patients.findById(patientId))?.preferredLocale).toBe('en');
  });

  it('writes nothing for a turn that started from an old revision, and says what is current', async () => {
    const key = conversation();
    const patientId = await newPatient(records);
    await records.conversations.commitTurn(turn(key, patientId, null, 'm1', 'hello'));
    const stale = await records.conversations.commitTurn(turn(key, patientId, null, 'm2', 'from an empty cache'));
    expect(stale).toMatchObject({ outcome: 'stale', current: { rev: 1, snapshot: { text: 'hello' } } });
    const behind = await records.conversations.commitTurn(turn(key, patientId, 5, 'm2', 'from the future'));
    expect(behind).toMatchObject({ outcome: 'stale', current: { rev: 1 } });
    expect(await countsFor(key, patientId)).toEqual({ inbox: 1, lines: 2, audit: 1, outbox: 1 });
  });

  it('writes nothing for a message answered before, and returns that answer', async () => {
    const key = conversation();
    const patientId = await newPatient(records);
    await records.conversations.commitTurn(turn(key, patientId, null, 'm1', 'hello'));
    const again = await records.conversations.commitTurn(turn(key, patientId, 1, 'm1', 'hello, again'));
    expect(again).toEqual({ outcome: 'answered', replies: [{ text: 're: hello', locale: 'en' }] });
    expect(await records.conversations.load(key)).toMatchObject({ rev: 1 });
    expect(await countsFor(key, patientId)).toEqual({ inbox: 1, lines: 2, audit: 1, outbox: 1 });
    // The same message id in another conversation is another message.
    expect(await records.conversations.commitTurn(turn(conversation(), patientId, null, 'm1', 'elsewhere'))).toMatchObject({ outcome: 'committed' });
  });

  it('refuses a commit the database would make after the turn\'s deadline, with everything the turn wrote before it', async () => {
    const key = conversation();
    const patientId = await newPatient(records);
    const late = { ...turn(key, patientId, null, 'm1', 'too late'), commitBy: new Date(Date.now() - 1_000) };
    await expect(records.conversations.commitTurn(late)).rejects.toThrow(/missed its deadline/);

    // In a transaction the check waits for COMMIT, and the booking the turn made earlier goes with it.
    const tx = await records.begin();
    await tx.appointments.create({ patientId, doctorId: 'dr-late', serviceId: 'cleaning', startsAt: at('10:00', 20), endsAt: at('11:00', 20) });
    expect(await tx.conversations.commitTurn(late)).toMatchObject({ outcome: 'committed' });
    await expect(tx.commit()).rejects.toThrow(/missed its deadline/);
    expect(await records.conversations.load(key)).toBeNull();
    expect(await countsFor(key, patientId)).toEqual({ inbox: 0, lines: 0, audit: 0, outbox: 0 });
    expect(await records.appointments.listUpcomingForPatient(patientId, at('00:00', 1))).toEqual([]);
  });

  it('checks the deadline at COMMIT: a transaction that waited past it after its last statement is refused', async () => {
    const key = conversation();
    const patientId = await newPatient(records);
    const tx = await records.begin();
    const commit = { ...turn(key, patientId, null, 'm1', 'slow'), commitBy: new Date(Date.now() + 300) };
    expect(await tx.conversations.commitTurn(commit)).toMatchObject({ outcome: 'committed' });
    await new Promise((resolve) => setTimeout(resolve, 500));
    await expect(tx.commit()).rejects.toThrow(/missed its deadline/);
    expect(await records.conversations.load(key)).toBeNull();
    expect(await countsFor(key, patientId)).toEqual({ inbox: 0, lines: 0, audit: 0, outbox: 0 });
  });

  it('books with the turn, and writes nothing when the slot was taken meanwhile (a conflict naming the slot)', async () => {
    const patientId = await newPatient(records);
    const other = await newPatient(records);
    const slot = { doctorId: `dr-${randomUUID()}`, serviceId: 'cleaning', startsAt: at('09:00', 21), endsAt: at('10:00', 21) };
    const first = conversation();
    const booked = await records.conversations.commitTurn({
      ...turn(first, patientId, null, 'm1', 'yes'),
      appointments: [{ op: 'book', appointment: { id: randomUUID(), patientId, ...slot } }],
    });
    expect(booked).toMatchObject({ outcome: 'committed' });

    const second = conversation();
    const clash = await records.conversations.commitTurn({
      ...turn(second, other, null, 'm1', 'yes'),
      appointments: [{ op: 'book', appointment: { id: randomUUID(), patientId: other, ...slot, startsAt: at('09:30', 21), endsAt: at('10:30', 21) } }],
    });
    expect(clash).toEqual({ outcome: 'conflict', conflict: { reason: 'slot_taken', doctorId: slot.doctorId, startsAt: at('09:30', 21) } });
    expect(await records.conversations.load(second)).toBeNull();
    expect(await countsFor(second, other)).toEqual({ inbox: 0, lines: 0, audit: 0, outbox: 0 });
    expect(await records.appointments.listUpcomingForPatient(other, at('00:00', 1))).toEqual([]);
  });

  it('writes nothing when the appointment to move or cancel is no longer booked', async () => {
    const patientId = await newPatient(records);
    const appointment = await records.appointments.create({ patientId, doctorId: `dr-${randomUUID()}`, serviceId: 'cleaning', startsAt: at('11:00', 22), endsAt: at('12:00', 22) });
    await records.appointments.cancel(appointment.id, patientId);
    const key = conversation();
    const cancel = await records.conversations.commitTurn({
      ...turn(key, patientId, null, 'm1', 'yes'),
      appointments: [{ op: 'cancel', appointmentId: appointment.id, patientId }],
    });
    expect(cancel).toEqual({ outcome: 'conflict', conflict: { reason: 'appointment_changed' } });
    const move = await records.conversations.commitTurn({
      ...turn(key, patientId, null, 'm1', 'yes'),
      appointments: [{ op: 'reschedule', appointmentId: appointment.id, patientId, doctorId: appointment.doctorId, startsAt: at('13:00', 22), endsAt: at('14:00', 22) }],
    });
    expect(move).toEqual({ outcome: 'conflict', conflict: { reason: 'appointment_changed' } });
    expect(await records.conversations.load(key)).toBeNull();
  });

  it('opens one escalation, raises it only upward, and refuses a turn that saw another escalation or urgency', async () => {
    const patientId = await newPatient(records);
    const key = conversation();
    const id = randomUUID();
    const opened = await records.conversations.commitTurn({
      ...turn(key, patientId, null, 'm1', 'a person please'),
      escalation: { id, patientId, urgency: 'medium', reason: 'patient_request', expectedUrgency: 'medium' },
    });
    expect(opened).toMatchObject({ outcome: 'committed', escalation: { id, urgency: 'medium', status: 'open', conversationId: key.conversationId } });

    const raised = await records.conversations.commitTurn({
      ...turn(key, patientId, 1, 'm2', 'chest pain'),
      escalation: { id, patientId, urgency: 'urgent', reason: 'emergency:chest_pain', expectedUrgency: 'urgent' },
    });
    expect(raised).toMatchObject({ outcome: 'committed', escalation: { id, urgency: 'urgent', reason: 'emergency:chest_pain' } });

    // A turn that thought there was none (another process opened it meanwhile) is refused, and so
    // is one that expected a lower urgency than the one there now.
    const blind = await records.conversations.commitTurn({
      ...turn(key, patientId, 2, 'm3', 'a person'),
      escalation: { id: randomUUID(), patientId, urgency: 'medium', reason: 'patient_request', expectedUrgency: 'medium' },
    });
    expect(blind).toEqual({ outcome: 'conflict', conflict: { reason: 'escalation_changed' } });
    const lower = await records.conversations.commitTurn({
      ...turn(key, patientId, 2, 'm3', 'a person'),
      escalation: { id, patientId, urgency: 'medium', reason: 'patient_request', expectedUrgency: 'medium' },
    });
    expect(lower).toEqual({ outcome: 'conflict', conflict: { reason: 'escalation_changed' } });
    const [row] = await db.query<{ n: string }>("select count(*) as n from escalations where conversation_id = $1 and status <> 'resolved'", [key.conversationId]);
    expect(Number(row?.n)).toBe(1);
  });
});
