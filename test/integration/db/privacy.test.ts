import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Records, TranscriptEntry } from '../../../src/core/ports/records.js';
import type { SqlDatabase } from '../../../src/db/database.js';
import { erasePatient, purgeExpired, purgeTranscriptsOlderThan } from '../../../src/db/privacy.js';
import { createRecords } from '../../../src/db/records.js';
import { uniqueName } from '../../support/services.js';
import { at, backends, freshIdentity, openMigrated } from './backends.js';

describe.each(backends)('privacy on $name', (backend) => {
  let db: SqlDatabase;
  let records: Records;

  beforeAll(async () => {
    db = await openMigrated(backend);
    records = createRecords(db);
  });

  afterAll(async () => {
    if (db) await backend.dispose(db);
  });

  async function count(table: string, patientId: string): Promise<number> {
    const [row] = await db.query<{ n: number }>(`select count(*)::int as n from ${table} where patient_id = $1`, [
      patientId,
    ]);
    return row?.n ?? -1;
  }

  it('erasePatient removes the personal data and keeps the audit trail', async () => {
    const phone = freshIdentity('whatsapp');
    const lid = freshIdentity('whatsapp');
    const patient = await records.patients.findOrCreateByIdentity(phone, { displayName: 'Dana Cohen' });
    await records.patients.linkIdentity(patient.id, lid);
    await records.patients.setPreferredLocale(patient.id, 'he');
    const conversationId = uniqueName('conv');
    const appointment = await records.appointments.create({
      patientId: patient.id,
      doctorId: uniqueName('dr'),
      serviceId: 'cleaning',
      startsAt: at('10:00', 20),
      endsAt: at('11:00', 20),
    });
    await records.escalations.create({ patientId: patient.id, channel: 'whatsapp', conversationId, urgency: 'low', reason: 'asked for a person' });
    await records.transcripts.append([
      { patientId: patient.id, channel: 'whatsapp', conversationId, direction: 'in', author: 'patient', text: 'שלום, כואבת לי השן', locale: 'he', messageId: 'm1', at: new Date() },
      { patientId: patient.id, channel: 'whatsapp', conversationId, direction: 'out', author: 'bot', text: 'מצטערים לשמוע', locale: 'he', messageId: null, at: new Date() },
    ]);
    await records.audit.record({ actorType: 'bot', actorId: 'assistant', action: 'appointment.booked', patientId: patient.id, details: { appointmentId: appointment.id } });
    const bystander = await records.patients.findOrCreateByIdentity(freshIdentity(), { displayName: 'Untouched' });
    await records.transcripts.append([
      { patientId: bystander.id, channel: 'webchat', conversationId: uniqueName('c'), direction: 'in', author: 'patient', text: 'hi', locale: 'en', messageId: null, at: new Date() },
    ]);

    // The conversation's committed state, an answered message (its replies are the patient's data too) and a delivery.
    const replies = [{ text: 'מצטערים לשמוע', locale: 'he' as const }];
    await records.conversations.commitTurn({
      conversation: { channel: 'whatsapp', conversationId },
      expectedRev: null,
      record: { machineVersion: 1, snapshot: {}, locale: 'he', lastActivityAt: new Date().toISOString(), patientId: patient.id },
      answered: { messageId: 'm1', replies },
      transcript: [],
      audit: [],
      outbox: [{ deliveryId: `turn:${conversationId}:m1`, conversation: { channel: 'whatsapp', conversationId }, patientId: patient.id, message: { author: 'bot', replies } }],
      appointments: [],
      escalation: null,
      preferredLocale: null,
      at: new Date(),
      commitBy: null,
    });

    // A reminder sent for the appointment.
    expect(
      await records.reminders.recordSent({
        appointmentId: appointment.id,
        offsetMinutes: 1440,
        startsAt: appointment.startsAt,
        patientId: patient.id,
        conversation: { channel: 'whatsapp', conversationId },
        deliveryId: `reminder:${appointment.id}`,
        mode: 'prompt',
        sentAt: new Date(),
      }),
    ).toBe(true);

    const result = await erasePatient(db, patient.id, { actorType: 'staff', actorId: 'admin-1' });

    expect(result).toEqual({
      patientId: patient.id,
      deleted: { messages: 2, identities: 2, escalations: 1, appointments: 1, states: 1, answers: 1, outbox: 1, teamsConversations: 0 },
      identities: [phone, lid].sort((a, b) => a.externalId.localeCompare(b.externalId)),
      conversations: [{ channel: 'whatsapp', conversationId }],
      // Their reminder jobs are not in the database: the caller removes them.
      appointments: [{ id: appointment.id, startsAt: appointment.startsAt, timeSetAt: appointment.timeSetAt }],
    });
    expect(await db.query('select 1 from inbox where conversation_id = $1', [conversationId])).toEqual([]);
    expect(await db.query('select 1 from appointment_reminders where patient_id = $1', [patient.id])).toEqual([]);
    for (const table of ['messages', 'patient_identities', 'escalations', 'appointments']) {
      expect(await count(table, patient.id)).toBe(0);
    }
    const [row] = await db.query<{ display_name: string | null; preferred_locale: string | null; erased_at: Date | null }>(
      'select display_name, preferred_locale, erased_at from patients where id = $1',
      [patient.id],
    );
    expect(row).toMatchObject({ display_name: null, preferred_locale: null });
    expect(row?.erased_at).toBeInstanceOf(Date);
    expect(await records.patients.findById(patient.id)).toBeNull();
    expect(await records.appointments.findById(appointment.id)).toBeNull();

    const audit = await records.audit.listForPatient(patient.id);
    expect(audit.map((entry) => entry.action)).toEqual(['appointment.booked', 'patient.erased']);
    expect(audit[1]).toMatchObject({ actorType: 'staff', actorId: 'admin-1', details: { deleted: result?.deleted } });
    expect(JSON.stringify(audit)).not.toMatch(/Dana|שלום/);

    // The same phone writing again is a new, unknown patient.
    const returning = await records.patients.findOrCreateByIdentity(phone, {});
    expect(returning.id).not.toBe(patient.id);
    expect(returning.displayName).toBeNull();

    expect(await count('messages', bystander.id)).toBe(1);
    expect((await records.patients.findById(bystander.id))?.displayName).toBe('Untouched');
  });

  it('erasePatient of an unknown patient returns null', async () => {
    expect(await erasePatient(db, '00000000-0000-4000-8000-000000000000')).toBeNull();
    expect(await erasePatient(db, 'not-a-uuid')).toBeNull();
  });

  it('purgeTranscriptsOlderThan deletes transcript rows before the cutoff only', async () => {
    const patient = await records.patients.findOrCreateByIdentity(freshIdentity(), {});
    const conversationId = uniqueName('conv');
    const entry = (text: string, when: Date): TranscriptEntry => ({
      patientId: patient.id,
      channel: 'cli',
      conversationId,
      direction: 'in',
      author: 'patient',
      text,
      locale: 'en',
      messageId: null,
      at: when,
    });
    const cutoff = new Date('2001-06-01T00:00:00.000Z');
    await records.transcripts.append([
      entry('ancient', new Date('2001-01-01T00:00:00.000Z')),
      entry('just before', new Date(cutoff.getTime() - 1)),
      entry('at the cutoff', cutoff),
      entry('after', new Date('2001-07-01T00:00:00.000Z')),
    ]);

    expect(await purgeTranscriptsOlderThan(db, cutoff)).toBe(2);
    const left = await records.transcripts.listForConversation('cli', conversationId);
    expect(left.map((row) => row.text)).toEqual(['at the cutoff', 'after']);
    expect(await purgeTranscriptsOlderThan(db, cutoff)).toBe(0);

    const purges = await db.query<{ details: { deleted: number; cutoff: string } }>(
      "select details from audit_log where action = 'transcripts.purged' order by id",
    );
    expect(purges.map((row) => row.details)).toEqual([{ cutoff: cutoff.toISOString(), deleted: 2 }]);
  });

  it('purgeExpired deletes deliveries finished longer ago than the record days by the database clock that stamped them, and nothing pending', async () => {
    const conversation = { channel: 'cli' as const, conversationId: uniqueName('conv') };
    const message = { author: 'bot' as const, replies: [{ text: 'hi', locale: 'en' as const }] };
    const ids = [uniqueName('recent'), uniqueName('old'), uniqueName('pending')];
    await records.outbox.add(ids.map((deliveryId) => ({ deliveryId, conversation, patientId: null, message })));
    const taken = await records.outbox.takeDue(['cli'], 10, 60_000);
    const [recent, old] = ids.map((id) => taken.find((item) => item.deliveryId === id));
    if (!recent || !old) throw new Error('the deliveries were not taken');
    await records.outbox.markSent(recent.id);
    await records.outbox.markAttemptFailed(old.id, 'refused', null);
    await db.query("update outbox set finished_at = now() - interval '31 days' where id = $1::bigint", [old.id]);

    const purged = await purgeExpired(db, { answersBefore: new Date(0), statesBefore: new Date(0), deliveryRecordDays: 30 });
    expect(purged).toEqual({ answers: 0, states: 0, deliveries: 1 });
    expect(await records.outbox.findByDeliveryId(old.deliveryId)).toBeNull();
    expect(await records.outbox.findByDeliveryId(recent.deliveryId)).toMatchObject({ status: 'sent' });
    // Not finished: kept.
    expect(await records.outbox.findByDeliveryId(ids[2] ?? '')).toMatchObject({ status: 'pending' });
  });
});
