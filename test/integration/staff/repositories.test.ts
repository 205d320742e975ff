/**
 * The staff repository (users, sessions, the last-admin rule) and the escalation queries the
 * console needs (queue, claim, resolve, re-raise), on the real PostgreSQL and on PGlite.
 */
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Escalation, Records, StaffRole, StaffUser } from '../../../src/core/ports/records.js';
import type { SqlDatabase } from '../../../src/db/database.js';
import { migrate, MIGRATIONS_DIRECTORY } from '../../../src/db/migrate.js';
import { createRecords } from '../../../src/db/records.js';
import { uniqueName } from '../../support/services.js';
import { backends, newPatient, openMigrated, pgliteBackend } from '../db/backends.js';

const HOUR = 3_600_000;

describe.each(backends)('staff console records on $name', (backend) => {
  let db: SqlDatabase;
  let records: Records;

  beforeAll(async () => {
    db = await openMigrated(backend, { poolSize: 20 });
    records = createRecords(db);
  });

  afterAll(async () => {
    if (db) await backend.dispose(db);
  });

  async function newUser(role: StaffRole = 'staff', displayName = 'Ana'): Promise<StaffUser> {
    const created = await records.staff.create({
      email: `${uniqueName('user')}@clinic.example`,
      displayName,
      role,
      passwordHash: '$argon2id$placeholder',
    });
    if (created.outcome !== 'created') throw new Error('user not created');
    return created.user;
  }

  async function newEscalation(urgency: Escalation['urgency'] = 'medium', displayName: string | null = 'Pat'): Promise<Escalation> {
    const patientId = await newPatient(records, displayName);
    return records.escalations.create({ patientId, channel: 'webchat', conversationId: uniqueName('conv'), urgency, reason: 'human' });
  }

  /** Tests share one database: keep the admins of other tests out of the last-admin rule. */
  async function disableAllAdmins(): Promise<void> {
    await db.query(`update staff_users set disabled_at = now() where role = 'admin'`);
  }

  describe('users', () => {
    it('stores the email trimmed and lower-cased, finds it in any case, refuses it twice', async () => {
      const local = uniqueName('Mixed');
      const created = await records.staff.create({
        email: `  ${local.toUpperCase()}@Clinic.Example `,
        displayName: 'Bea',
        role: 'admin',
        passwordHash: 'hash-1',
      });
      expect(created).toMatchObject({ outcome: 'created', user: { email: `${local}@clinic.example`, role: 'admin', disabledAt: null } });
      const found = await records.staff.findCredentials(`${local.toUpperCase()}@CLINIC.example`);
      expect(found?.passwordHash).toBe('hash-1');
      expect(found?.user.displayName).toBe('Bea');

      const again = await records.staff.create({ email: `${local}@clinic.example`, displayName: 'X', role: 'staff', passwordHash: 'h' });
      expect(again).toEqual({ outcome: 'email_taken' });
      expect(await records.staff.findCredentials('nobody@clinic.example')).toBeNull();
      expect(await records.staff.findById('not-a-uuid')).toBeNull();
    });

    it('changes name, role and password; disabling ends the sessions; unknown ids are not found', async () => {
      const user = await newUser('staff');
      const now = new Date();
      await records.staff.createSession({ tokenHash: uniqueName('tok'), staffId: user.id, createdAt: now, expiresAt: new Date(now.getTime() + HOUR) });

      const renamed = await records.staff.update(user.id, { displayName: 'Ana Silva', role: 'admin' });
      expect(renamed).toMatchObject({ outcome: 'updated', user: { displayName: 'Ana Silva', role: 'admin' } });

      const disabled = await records.staff.update(user.id, { disabled: true });
      expect(disabled.outcome === 'updated' && disabled.user.disabledAt).toBeInstanceOf(Date);
      const [left] = await db.query<{ n: number }>('select count(*)::int as n from staff_sessions where staff_id = $1', [user.id]);
      expect(left?.n).toBe(0);

      const enabled = await records.staff.update(user.id, { disabled: false });
      expect(enabled).toMatchObject({ outcome: 'updated', user: { disabledAt: null } });

      expect(await records.staff.update('00000000-0000-4000-8000-000000000000', { displayName: 'X' })).toEqual({ outcome: 'not_found' });
      expect(await records.staff.update('nope', { displayName: 'X' })).toEqual({ outcome: 'not_found' });
    });

    it('never leaves the clinic without an enabled admin', async () => {
      await disableAllAdmins();
      const admin = await newUser('admin');
      expect(await records.staff.update(admin.id, { role: 'staff' })).toEqual({ outcome: 'last_admin' });
      expect(await records.staff.update(admin.id, { disabled: true })).toEqual({ outcome: 'last_admin' });
      expect(await records.staff.update(admin.id, { displayName: 'Still admin' })).toMatchObject({ outcome: 'updated' });

      const second = await newUser('admin');
      expect(await records.staff.update(admin.id, { role: 'staff' })).toMatchObject({ outcome: 'updated', user: { role: 'staff' } });
      expect(await records.staff.update(second.id, { disabled: true })).toEqual({ outcome: 'last_admin' });
    });

    it('two admins demoting each other at once: exactly one succeeds', async () => {
      await disableAllAdmins();
      const first = await newUser('admin');
      const second = await newUser('admin');
      const outcomes = await Promise.all([
        records.staff.update(first.id, { role: 'staff' }),
        records.staff.update(second.id, { role: 'staff' }),
      ]);
      expect(outcomes.map((outcome) => outcome.outcome).sort()).toEqual(['last_admin', 'updated']);
      const [admins] = await db.query<{ n: number }>(`select count(*)::int as n from staff_users where role = 'admin' and disabled_at is null`);
      expect(admins?.n).toBe(1);
    });

    it('lists enabled users before disabled ones', async () => {
      const disabled = await newUser('staff', 'Aaron');
      await records.staff.update(disabled.id, { disabled: true });
      const list = await records.staff.list();
      const firstDisabled = list.findIndex((user) => user.disabledAt !== null);
      expect(list.slice(firstDisabled).every((user) => user.disabledAt !== null)).toBe(true);
      expect(list.some((user) => user.id === disabled.id)).toBe(true);
    });
  });

  describe('sessions', () => {
    it('finds a session only before it expires and only for an enabled user', async () => {
      const user = await newUser('staff');
      const start = new Date('2031-01-01T08:00:00Z');
      const tokenHash = uniqueName('hash');
      await records.staff.createSession({ tokenHash, staffId: user.id, createdAt: start, expiresAt: new Date(start.getTime() + 12 * HOUR) });

      const found = await records.staff.findSession(tokenHash, new Date(start.getTime() + HOUR));
      expect(found?.user.id).toBe(user.id);
      expect(found?.session).toMatchObject({ staffId: user.id, tokenHash });
      expect(await records.staff.findSession(tokenHash, new Date(start.getTime() + 12 * HOUR))).toBeNull();
      expect(await records.staff.findSession('other', new Date(start.getTime() + HOUR))).toBeNull();

      const later = new Date(start.getTime() + 2 * HOUR);
      await records.staff.touchSession(tokenHash, later);
      expect((await records.staff.findSession(tokenHash, later))?.session.lastSeenAt.getTime()).toBe(later.getTime());

      await records.staff.update(user.id, { disabled: true });
      await records.staff.update(user.id, { disabled: false });
      expect(await records.staff.findSession(tokenHash, later)).toBeNull();
    });

    it('deletes one session, and the expired ones', async () => {
      const user = await newUser('staff');
      const now = new Date('2031-02-01T08:00:00Z');
      const live = uniqueName('live');
      const old = uniqueName('old');
      await records.staff.createSession({ tokenHash: live, staffId: user.id, createdAt: now, expiresAt: new Date(now.getTime() + HOUR) });
      await records.staff.createSession({ tokenHash: old, staffId: user.id, createdAt: new Date(now.getTime() - 2 * HOUR), expiresAt: new Date(now.getTime() - HOUR) });
      expect(await records.staff.deleteExpiredSessions(now)).toBeGreaterThanOrEqual(1);
      const rows = await db.query<{ token_hash: string }>('select token_hash from staff_sessions where staff_id = $1', [user.id]);
      expect(rows.map((row) => row.token_hash)).toEqual([live]);
      await records.staff.deleteSession(live);
      expect(await records.staff.findSession(live, now)).toBeNull();
    });
  });

  describe('escalations for the console', () => {
    it('lists open and claimed ones with the patient, the claimer and the last patient message', async () => {
      const staff = await newUser('staff', 'Carla');
      const open = await newEscalation('high', 'Olga');
      const claimed = await newEscalation('low', null);
      const resolved = await newEscalation('urgent');
      await records.transcripts.append([
        { patientId: open.patientId, channel: 'webchat', conversationId: open.conversationId, direction: 'in', author: 'patient', text: 'first', locale: 'ru', messageId: 'm1', at: new Date('2031-01-01T10:00:00Z') },
        { patientId: open.patientId, channel: 'webchat', conversationId: open.conversationId, direction: 'in', author: 'patient', text: 'second', locale: 'ru', messageId: 'm2', at: new Date('2031-01-01T10:01:00Z') },
        { patientId: open.patientId, channel: 'webchat', conversationId: open.conversationId, direction: 'out', author: 'bot', text: 'bot line', locale: 'ru', messageId: null, at: new Date('2031-01-01T10:02:00Z') },
      ]);
      await records.escalations.claim(claimed.id, staff.id);
      await records.escalations.claim(resolved.id, staff.id);
      await records.escalations.resolve(resolved.id, { staffId: staff.id, anyClaim: false });

      const active = await records.escalations.listActive();
      const byId = new Map(active.map((escalation) => [escalation.id, escalation]));
      expect(byId.has(resolved.id)).toBe(false);
      expect(byId.get(open.id)).toMatchObject({
        status: 'open',
        urgency: 'high',
        // No language chosen: the one of the newest patient message.
        patient: { id: open.patientId, displayName: 'Olga', locale: 'ru' },
        claimedByName: null,
        lastPatientMessage: { text: 'second' },
        followUps: 0,
      });
      expect(byId.get(open.id)?.raisedAt).toBeInstanceOf(Date);
      expect(byId.get(claimed.id)).toMatchObject({
        status: 'claimed',
        claimedBy: staff.id,
        claimedByName: 'Carla',
        patient: { displayName: null },
        lastPatientMessage: null,
      });
    });

    it('lets exactly one of many simultaneous claimers have it', async () => {
      const escalation = await newEscalation();
      const claimers = await Promise.all(Array.from({ length: 6 }, () => newUser('staff')));
      const outcomes = await Promise.all(claimers.map((staff) => records.escalations.claim(escalation.id, staff.id)));
      const winners = outcomes.filter((outcome) => outcome.outcome === 'changed');
      expect(winners).toHaveLength(1);
      expect(outcomes.filter((outcome) => outcome.outcome === 'conflict')).toHaveLength(5);
      const stored = await records.escalations.findById(escalation.id);
      expect(stored).toMatchObject({ status: 'claimed' });
      expect(stored?.claimedAt).toBeInstanceOf(Date);
      expect(claimers.map((staff) => staff.id)).toContain(stored?.claimedBy);

      expect(await records.escalations.claim('not-a-uuid', claimers[0]?.id ?? '')).toEqual({ outcome: 'not_found' });
      expect(await records.escalations.claim('00000000-0000-4000-8000-000000000000', claimers[0]?.id ?? '')).toEqual({ outcome: 'not_found' });
    });

    it('resolves only for the claimer, or for an admin', async () => {
      const claimer = await newUser('staff');
      const other = await newUser('staff');
      const admin = await newUser('admin');
      const escalation = await newEscalation();

      expect((await records.escalations.resolve(escalation.id, { staffId: claimer.id, anyClaim: false })).outcome).toBe('conflict');
      await records.escalations.claim(escalation.id, claimer.id);
      const refused = await records.escalations.resolve(escalation.id, { staffId: other.id, anyClaim: false });
      expect(refused).toMatchObject({ outcome: 'conflict', escalation: { status: 'claimed', claimedBy: claimer.id } });
      const resolved = await records.escalations.resolve(escalation.id, { staffId: claimer.id, anyClaim: false });
      expect(resolved).toMatchObject({ outcome: 'changed', escalation: { status: 'resolved', claimedBy: claimer.id } });
      expect(resolved.outcome === 'changed' && resolved.escalation.resolvedAt).toBeInstanceOf(Date);
      expect((await records.escalations.resolve(escalation.id, { staffId: claimer.id, anyClaim: true })).outcome).toBe('conflict');

      const unclaimed = await newEscalation();
      expect((await records.escalations.resolve(unclaimed.id, { staffId: admin.id, anyClaim: true })).outcome).toBe('changed');
    });

    it('re-raises an open escalation: urgency up (never down), waiting restarts, follow-ups counted', async () => {
      const escalation = await newEscalation('medium');
      const raised = await records.escalations.reraise(escalation.id, 'high', 'follow-up: nobody claimed it');
      expect(raised).toMatchObject({ urgency: 'high', reason: 'follow-up: nobody claimed it', followUps: 1, status: 'open' });
      expect(raised?.raisedAt.getTime()).toBeGreaterThanOrEqual(escalation.raisedAt.getTime());

      const notLowered = await records.escalations.reraise(escalation.id, 'low', 'again');
      expect(notLowered).toMatchObject({ urgency: 'high', followUps: 2 });

      const staff = await newUser('staff');
      await records.escalations.claim(escalation.id, staff.id);
      expect(await records.escalations.reraise(escalation.id, 'urgent', 'too late')).toBeNull();
      expect(await records.escalations.findById(escalation.id)).toMatchObject({ urgency: 'high', followUps: 2, status: 'claimed' });
      expect(await records.escalations.reraise('nope', 'urgent', 'x')).toBeNull();
    });
  });
});

describe('migration 002 on an existing database', () => {
  let scratch: string;
  let db: SqlDatabase;

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'cab-002-'));
    db = await pgliteBackend.open();
  });

  afterAll(async () => {
    if (db) await pgliteBackend.dispose(db);
    await rm(scratch, { recursive: true, force: true });
  });

  it('gives escalations opened before it a "waiting since" equal to their creation', async () => {
    await copyFile(new URL('001_initial.sql', MIGRATIONS_DIRECTORY), join(scratch, '001_initial.sql'));
    expect(await migrate(db, { directory: pathToFileURL(`${scratch}/`) })).toEqual(['001_initial.sql']);
    const [patient] = await db.query<{ id: string }>('insert into patients default values returning id');
    await db.query(
      `insert into escalations (patient_id, channel, conversation_id, urgency, reason, created_at)
       values ($1, 'webchat', 'old', 'low', 'human', '2030-05-05T10:00:00Z')`,
      [patient?.id],
    );

    expect(await migrate(db)).toEqual(['002_staff_console.sql', '003_exactly_once.sql', '004_whatsapp.sql', '005_teams.sql', '006_reminders.sql']);
    const escalation = await createRecords(db).escalations.findOpenForConversation('webchat', 'old');
    expect(escalation?.raisedAt.toISOString()).toBe('2030-05-05T10:00:00.000Z');
    expect(escalation?.followUps).toBe(0);
  });
});
