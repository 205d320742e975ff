/**
 * A follow-up notifies at most once per raise, and in the patient's language: the follow-up
 * domain on the real PostgreSQL (concurrent transactions), with in-process live events and
 * the web chat's real outbound route (an `outbound` live event) as the patient's channel.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDefaultOutbound, type OutboundRegistry } from '../../../src/channels/outbound.js';
import { loadClinic } from '../../../src/config/clinic.js';
import type { Clinic } from '../../../src/config/catalog-schema.js';
import type { FollowUpJob } from '../../../src/core/ports/follow-up-scheduler.js';
import type { OutgoingMessage } from '../../../src/core/ports/live-events.js';
import type { Escalation, Records } from '../../../src/core/ports/records.js';
import { openDatabase } from '../../../src/db/open.js';
import { createRecords } from '../../../src/db/records.js';
import type { SqlDatabase } from '../../../src/db/database.js';
import { createFollowUps, type FollowUps } from '../../../src/escalation/follow-ups.js';
import { createTranslator } from '../../../src/i18n/i18n.js';
import { defaultLocalesDir } from '../../../src/i18n/locales-dir.js';
import { createRenderer } from '../../../src/i18n/render.js';
import { TimerFollowUpScheduler } from '../../../src/store/follow-up-queue.js';
import { MemoryHotStore } from '../../../src/store/memory-hot-store.js';
import { MemoryLiveEvents } from '../../../src/store/live-events-memory.js';
import { DATABASE_URL, requirePostgres, uniqueName } from '../../support/services.js';

const schema = uniqueName('follow_once');
let db: SqlDatabase;
let records: Records;
let clinic: Clinic;
let hotStore: MemoryHotStore;
let live: MemoryLiveEvents;
let scheduler: TimerFollowUpScheduler;
let followUps: FollowUps;
let outbound: OutboundRegistry;
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

beforeAll(async () => {
  await requirePostgres();
  ({ db } = await openDatabase({ databaseUrl: DATABASE_URL, dataDir: 'memory://', postgres: { poolSize: 4, schema } }));
  records = createRecords(db);
  // Waits of hours: nothing scheduled here comes due while the test runs; the test fires jobs itself.
  clinic = { ...(await loadClinic()), escalation: { waitMinutes: { urgent: 15, high: 120, medium: 90, low: 240 } } };
  hotStore = new MemoryHotStore({ conversationTtlSeconds: 3600, seenTtlSeconds: 600 });
  live = new MemoryLiveEvents();
  scheduler = new TimerFollowUpScheduler();
  const renderer = createRenderer(await createTranslator(defaultLocalesDir()), clinic);
  outbound = createDefaultOutbound({ records, liveEvents: live, log: silent });
  outbound.start();
  followUps = createFollowUps({ clinic, records, hotStore, renderer, liveEvents: live, outbox: outbound, scheduler, log: silent, now: () => new Date() });
});

afterAll(async () => {
  await outbound?.close();
  await scheduler?.close();
  await live?.close();
  await hotStore?.close();
  await db?.close();
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  await client.query(`drop schema if exists ${schema} cascade`);
  await client.end();
});

async function openEscalation(preferredLocale: 'pt' | null = null): Promise<Escalation> {
  const conversationId = `once-${randomUUID()}`;
  const patient = await records.patients.findOrCreateByIdentity({ channel: 'webchat', externalId: conversationId }, {});
  if (preferredLocale) await records.patients.setPreferredLocale(patient.id, preferredLocale);
  return records.escalations.create({ patientId: patient.id, channel: 'webchat', conversationId, urgency: 'medium', reason: 'patient_request' });
}

function jobOf(escalation: Escalation): FollowUpJob {
  return { escalationId: escalation.id, urgency: escalation.urgency, raisedAt: escalation.raisedAt.toISOString() };
}

function pushesTo(escalation: Escalation): OutgoingMessage[] {
  const received: OutgoingMessage[] = [];
  live.subscribe((event) => {
    if (event.type === 'outbound' && event.conversationId === escalation.conversationId) received.push(event.message);
  });
  return received;
}

/**
 * Until the outbox has delivered everything recorded (notices leave through it), and a little
 * more for the live events that carry them to arrive.
 */
async function settle(): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    const [row] = await db.query<{ n: string }>("select count(*) as n from outbox where status = 'pending'");
    if (Number(row?.n) === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  await new Promise((resolve) => setTimeout(resolve, 50));
}

describe('follow-ups fire once per raise', () => {
  it('the same job delivered twice at once notifies, raises and audits once', async () => {
    const escalation = await openEscalation('pt');
    const pushes = pushesTo(escalation);
    await Promise.all([followUps.fire(jobOf(escalation)), followUps.fire(jobOf(escalation))]);
    await settle();

    expect(pushes).toHaveLength(1);
    const raised = await records.escalations.findById(escalation.id);
    expect(raised).toMatchObject({ status: 'open', urgency: 'high', followUps: 1 });
    const audit = await records.audit.listForPatient(escalation.patientId);
    expect(audit.filter((entry) => entry.action === 'escalation.follow_up')).toHaveLength(1);
    const transcript = await records.transcripts.listForConversation('webchat', escalation.conversationId);
    expect(transcript).toHaveLength(1);
    expect(transcript[0]).toMatchObject({ author: 'bot', direction: 'out', locale: 'pt' });
  });

  it('the same job delivered again later does nothing: its raise is over', async () => {
    const escalation = await openEscalation();
    const pushes = pushesTo(escalation);
    await followUps.fire(jobOf(escalation));
    await followUps.fire(jobOf(escalation));
    await settle();
    expect(pushes).toHaveLength(1);
    expect(await records.escalations.findById(escalation.id)).toMatchObject({ urgency: 'high', followUps: 1 });
  });

  it('a job of an escalation the patient raised meanwhile (more urgent) does nothing', async () => {
    const escalation = await openEscalation();
    const pushes = pushesTo(escalation);
    await records.escalations.raiseUrgency(escalation.id, 'urgent', 'emergency:chest_pain');
    await followUps.fire(jobOf(escalation));
    await settle();
    expect(pushes).toEqual([]);
    expect(await records.escalations.findById(escalation.id)).toMatchObject({ urgency: 'urgent', followUps: 0 });
  });

  it('a resolved escalation is left alone', async () => {
    const escalation = await openEscalation();
    const pushes = pushesTo(escalation);
    await records.escalations.setStatus(escalation.id, 'resolved');
    await followUps.fire(jobOf(escalation));
    await settle();
    expect(pushes).toEqual([]);
    expect(await records.escalations.findById(escalation.id)).toMatchObject({ status: 'resolved', followUps: 0 });
  });
});

describe('follow-up notices speak the patient language', () => {
  it('uses the conversation language from the hot store, with its plural forms (Hebrew: two hours)', async () => {
    const escalation = await openEscalation('pt');
    await hotStore.cacheConversation(`webchat:${escalation.conversationId}`, {
      machineVersion: 1,
      snapshot: {},
      locale: 'he',
      lastActivityAt: new Date().toISOString(),
      patientId: escalation.patientId,
      rev: 1,
    });
    const pushes = pushesTo(escalation);
    await followUps.fire(jobOf(escalation));
    await settle();
    expect(pushes[0]?.replies[0]?.locale).toBe('he');
    // Raised to high: 120 minutes, which Hebrew says as one word.
    expect(pushes[0]?.replies[0]?.text).toContain('תוך שעתיים בערך');
  });

  it('falls back to the patient preferred language (European Portuguese), then tells the new wait', async () => {
    const escalation = await openEscalation('pt');
    const pushes = pushesTo(escalation);
    await followUps.fire(jobOf(escalation));
    await settle();
    expect(pushes[0]?.replies[0]).toMatchObject({ locale: 'pt' });
    expect(pushes[0]?.replies[0]?.text).toMatch(/^Lamento a espera/);
    expect(pushes[0]?.replies[0]?.text).toContain('em cerca de 2 horas');
  });
});
