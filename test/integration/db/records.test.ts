import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Records, TranscriptEntry } from '../../../src/core/ports/records.js';
import type { SqlDatabase } from '../../../src/db/database.js';
import { createRecords } from '../../../src/db/records.js';
import { uniqueName } from '../../support/services.js';
import { backends, freshIdentity, newPatient, openMigrated } from './backends.js';

describe.each(backends)('records on $name', (backend) => {
  let db: SqlDatabase;
  let records: Records;

  beforeAll(async () => {
    db = await openMigrated(backend, { poolSize: 20 });
    records = createRecords(db);
  });

  afterAll(async () => {
    if (db) await backend.dispose(db);
  });

  describe('patients', () => {
    it('creates a patient on first contact and finds the same one afterwards', async () => {
      const identity = freshIdentity('whatsapp');
      const created = await records.patients.findOrCreateByIdentity(identity, { displayName: 'Ana' });
      expect(created).toMatchObject({ displayName: 'Ana', preferredLocale: null });
      expect(created.createdAt).toBeInstanceOf(Date);

      const again = await records.patients.findOrCreateByIdentity(identity, { displayName: 'Someone else' });
      expect(again).toEqual(created);
      expect(await records.patients.findById(created.id)).toEqual(created);

      const sameIdElsewhere = await records.patients.findOrCreateByIdentity(
        { channel: 'teams', externalId: identity.externalId },
        {},
      );
      expect(sameIdElsewhere.id).not.toBe(created.id);
      expect(sameIdElsewhere.displayName).toBeNull();
    });

    it('two first messages at once make one patient', async () => {
      const identity = freshIdentity('whatsapp');
      const before = await db.query<{ n: number }>('select count(*)::int as n from patients');
      const patients = await Promise.all(
        Array.from({ length: 20 }, () => records.patients.findOrCreateByIdentity(identity, { displayName: 'Bo' })),
      );
      expect(new Set(patients.map((patient) => patient.id)).size).toBe(1);
      const after = await db.query<{ n: number }>('select count(*)::int as n from patients');
      expect((after[0]?.n ?? 0) - (before[0]?.n ?? 0)).toBe(1);
    });

    it('links a second identity (LID next to phone JID) to one patient', async () => {
      const phone = freshIdentity('whatsapp');
      const lid = freshIdentity('whatsapp');
      const patient = await records.patients.findOrCreateByIdentity(phone, {});
      const other = await records.patients.findOrCreateByIdentity(freshIdentity('whatsapp'), {});

      expect(await records.patients.linkIdentity(patient.id, lid)).toBe(true);
      expect(await records.patients.linkIdentity(patient.id, lid)).toBe(true);
      expect(await records.patients.linkIdentity(other.id, lid)).toBe(false);
      expect((await records.patients.findOrCreateByIdentity(lid, {})).id).toBe(patient.id);
      expect(await records.patients.linkIdentity('00000000-0000-4000-8000-000000000000', freshIdentity())).toBe(false);
    });

    it('stores the preferred locale; unknown ids are not found', async () => {
      const patientId = await newPatient(records);
      await records.patients.setPreferredLocale(patientId, 'he');
      expect((await records.patients.findById(patientId))?.preferredLocale).toBe('he');
      expect(await records.patients.findById('00000000-0000-4000-8000-000000000000')).toBeNull();
      expect(await records.patients.findById('nope')).toBeNull();
    });

    it('a transaction that throws leaves no patient behind', async () => {
      const identity = freshIdentity();
      await expect(
        records.transaction(async (tx) => {
          await tx.patients.findOrCreateByIdentity(identity, {});
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      const rows = await db.query('select 1 from patient_identities where channel = $1 and external_id = $2', [
        identity.channel,
        identity.externalId,
      ]);
      expect(rows).toEqual([]);
    });

    it('a nested transaction that throws undoes only its own part', async () => {
      const outer = freshIdentity();
      const inner = freshIdentity();
      await records.transaction(async (tx) => {
        await tx.patients.findOrCreateByIdentity(outer, {});
        await expect(
          tx.transaction(async (nested) => {
            await nested.patients.findOrCreateByIdentity(inner, {});
            throw new Error('inner');
          }),
        ).rejects.toThrow('inner');
      });
      const found = await db.query<{ external_id: string }>(
        'select external_id from patient_identities where external_id = any($1::text[])',
        [[outer.externalId, inner.externalId]],
      );
      expect(found.map((row) => row.external_id)).toEqual([outer.externalId]);
    });
  });

  describe('escalations', () => {
    it('creates, finds the open one of a conversation, and follows its status', async () => {
      const patientId = await newPatient(records);
      const conversationId = uniqueName('conv');
      expect(await records.escalations.findOpenForConversation('webchat', conversationId)).toBeNull();

      const escalation = await records.escalations.create({
        patientId,
        channel: 'webchat',
        conversationId,
        urgency: 'urgent',
        reason: 'emergency: heavy bleeding',
      });
      expect(escalation).toMatchObject({ patientId, channel: 'webchat', conversationId, urgency: 'urgent', status: 'open' });
      expect(await records.escalations.findOpenForConversation('webchat', conversationId)).toEqual(escalation);
      expect(await records.escalations.findOpenForConversation('whatsapp', conversationId)).toBeNull();

      await records.escalations.setStatus(escalation.id, 'claimed');
      expect(await records.escalations.findOpenForConversation('webchat', conversationId)).toMatchObject({
        id: escalation.id,
        status: 'claimed',
      });
      const [claimed] = await db.query<{ claimed_at: Date | null; resolved_at: Date | null }>(
        'select claimed_at, resolved_at from escalations where id = $1',
        [escalation.id],
      );
      expect(claimed?.claimed_at).toBeInstanceOf(Date);
      expect(claimed?.resolved_at).toBeNull();

      await records.escalations.setStatus(escalation.id, 'resolved');
      expect(await records.escalations.findOpenForConversation('webchat', conversationId)).toBeNull();
      const [resolved] = await db.query<{ resolved_at: Date | null }>(
        'select resolved_at from escalations where id = $1',
        [escalation.id],
      );
      expect(resolved?.resolved_at).toBeInstanceOf(Date);

      await expect(records.escalations.setStatus('not-a-uuid', 'resolved')).resolves.toBeUndefined();
    });

    it('refuses an unknown urgency', async () => {
      const patientId = await newPatient(records);
      const bad = { patientId, channel: 'cli', conversationId: 'c', urgency: 'whenever', reason: 'x' };
      // The port's types already forbid it; the table refuses it too.
      await expect(records.escalations.create(bad as unknown as Parameters<Records['escalations']['create']>[0])).rejects.toMatchObject({
        code: '23514',
      });
    });
  });

  describe('transcripts', () => {
    it('appends and lists a conversation in order, skipping a message stored twice', async () => {
      const patientId = await newPatient(records);
      const conversationId = uniqueName('conv');
      const t0 = new Date('2030-05-01T09:00:00.000Z');
      const entry = (over: Partial<TranscriptEntry>): TranscriptEntry => ({
        patientId,
        channel: 'whatsapp',
        conversationId,
        direction: 'in',
        author: 'patient',
        text: 'hola',
        locale: 'es',
        messageId: null,
        at: t0,
        ...over,
      });

      await records.transcripts.append([
        entry({ text: 'Hola, quiero una cita', messageId: 'wamid.1' }),
        entry({ direction: 'out', author: 'bot', text: '¿Para qué servicio?' }),
        entry({ direction: 'out', author: 'bot', text: 'Tenemos limpieza y empaste' }),
      ]);
      await records.transcripts.append([
        entry({ text: 'Hola, quiero una cita', messageId: 'wamid.1' }),
        entry({ text: 'Limpieza', messageId: 'wamid.2', at: new Date(t0.getTime() + 60_000), locale: null }),
      ]);
      await records.transcripts.append([]);
      await records.transcripts.append([entry({ conversationId: uniqueName('other'), text: 'elsewhere' })]);

      const listed = await records.transcripts.listForConversation('whatsapp', conversationId);
      expect(listed.map((row) => row.text)).toEqual([
        'Hola, quiero una cita',
        '¿Para qué servicio?',
        'Tenemos limpieza y empaste',
        'Limpieza',
      ]);
      expect(listed[0]).toMatchObject({ patientId, direction: 'in', author: 'patient', locale: 'es', messageId: 'wamid.1', at: t0 });
      expect(listed[3]).toMatchObject({ locale: null, at: new Date(t0.getTime() + 60_000) });
      expect(typeof listed[0]?.id).toBe('string');
    });

    it('appends a batch longer than one INSERT, in order', async () => {
      const patientId = await newPatient(records);
      const conversationId = uniqueName('long');
      const at = new Date('2030-05-02T09:00:00.000Z');
      const entries: TranscriptEntry[] = Array.from({ length: 1_203 }, (_, i) => ({
        patientId,
        channel: 'webchat',
        conversationId,
        direction: 'out',
        author: 'bot',
        text: `line ${i}`,
        locale: 'en',
        messageId: null,
        at,
      }));
      await records.transcripts.append(entries);
      const listed = await records.transcripts.listForConversation('webchat', conversationId);
      expect(listed.map((row) => row.text)).toEqual(entries.map((entry) => entry.text));
    });
  });

  describe('audit log', () => {
    it('records and lists entries of a patient, oldest first', async () => {
      const patientId = await newPatient(records);
      await records.audit.record({ actorType: 'bot', actorId: 'assistant', action: 'appointment.booked', patientId, details: { slot: '10:00', nested: { ok: true } } });
      await records.audit.record({ actorType: 'staff', actorId: 'staff-1', action: 'escalation.claimed', patientId, details: {} });
      await records.audit.record({ actorType: 'system', actorId: 'cron', action: 'noop', patientId: null, details: {} });

      for (let i = 0; i < 10; i += 1) {
        await records.audit.record({ actorType: 'bot', actorId: 'assistant', action: `step.${i}`, patientId, details: {} });
      }

      const entries = await records.audit.listForPatient(patientId);
      expect(entries.map((entry) => entry.action)).toEqual([
        'appointment.booked',
        'escalation.claimed',
        ...Array.from({ length: 10 }, (_, i) => `step.${i}`),
      ]);
      expect(entries[0]).toMatchObject({ actorType: 'bot', actorId: 'assistant', patientId, details: { slot: '10:00', nested: { ok: true } } });
      expect(entries[0]?.at).toBeInstanceOf(Date);
      expect(typeof entries[0]?.id).toBe('string');
    });

    it('refuses UPDATE and DELETE (even of no row) and TRUNCATE', async () => {
      const patientId = await newPatient(records);
      await records.audit.record({ actorType: 'system', actorId: 't', action: 'x', patientId, details: {} });
      await expect(db.query("update audit_log set action = 'y' where patient_id = $1", [patientId])).rejects.toThrow(
        /append-only: UPDATE/,
      );
      await expect(db.query('delete from audit_log where patient_id = $1', [patientId])).rejects.toThrow(
        /append-only: DELETE/,
      );
      await expect(db.query("delete from audit_log where action = 'never-written'")).rejects.toThrow(/append-only/);
      await expect(db.query('truncate audit_log')).rejects.toThrow(/append-only: TRUNCATE/);
      expect(await records.audit.listForPatient(patientId)).toHaveLength(1);
    });
  });

  it('pings; close() is refused inside a transaction', async () => {
    await expect(records.ping()).resolves.toBeUndefined();
    await records.transaction(async (tx) => {
      await tx.ping();
      await expect(tx.close()).rejects.toThrow(/not available inside a transaction/);
    });
  });
});
