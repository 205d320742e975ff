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
});
