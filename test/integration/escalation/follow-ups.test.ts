/**
 * Follow-ups of unclaimed escalations, through the real runtime: BullMQ delayed jobs on the
 * real Redis + PostgreSQL, and in-process timers on the embedded default (PGlite). The clinic
 * file sets waits of a second or two; "eventually" polls with a generous deadline.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../../src/app.js';
import type { Escalation } from '../../../src/core/ports/records.js';
import { requirePostgres, requireRedis, noStaffChange } from '../../support/services.js';
import { eventually, openDeployment, say, watchOutbound, type Backend, type Deployment } from './follow-up-harness.js';

/** Minutes: medium (a request for a person) waits 3 s, so a test can claim before it fires. */
const WAITS = { urgent: 0.02, high: 0.02, medium: 0.05, low: 0.05 };

async function openEscalation(runtime: Runtime, conversationId: string): Promise<Escalation> {
  const escalation = await runtime.records.escalations.findOpenForConversation('webchat', conversationId);
  if (!escalation) throw new Error(`no open escalation for ${conversationId}`);
  return escalation;
}

async function followUpAudits(runtime: Runtime, escalation: Escalation) {
  const audit = await runtime.records.audit.listForPatient(escalation.patientId);
  return audit.filter((entry) => entry.action === 'escalation.follow_up' && entry.details.escalationId === escalation.id);
}

for (const backend of ['redis', 'embedded'] as Backend[]) {
  describe(`follow-ups (${backend === 'redis' ? 'BullMQ on Redis + PostgreSQL' : 'in-process timer + PGlite'})`, () => {
    let deployment: Deployment;
    let runtime: Runtime;

    beforeAll(async () => {
      if (backend === 'redis') {
        await requireRedis();
        await requirePostgres();
      }
      deployment = await openDeployment(backend, WAITS);
      runtime = await deployment.start();
    });
    afterAll(async () => deployment?.cleanup());

    it('tells the patient in their language, raises the escalation, audits it, and does it again', async () => {
      const conversationId = `follow-${randomUUID()}`;
      const pushed = watchOutbound(runtime, 'webchat', conversationId);
      const ack = await say(runtime, 'webchat', conversationId, 'Хочу поговорить с человеком');
      expect(ack).toHaveLength(1);
      expect(ack[0]?.locale).toBe('ru');
      expect(ack[0]?.text).toContain('Ваш диалог передан сотрудникам клиники');
      const opened = await openEscalation(runtime, conversationId);
      expect(opened.urgency).toBe('medium');

      // Nobody claims it: the first follow-up.
      const first = await eventually(() => {
        expect(pushed.length).toBeGreaterThanOrEqual(1);
        return pushed[0];
      });
      expect(first?.author).toBe('bot');
      expect(first?.replies).toHaveLength(1);
      expect(first?.replies[0]?.locale).toBe('ru');
      // The new expected wait is the one of the raised urgency (1.2 s, told as a whole minute).
      expect(first?.replies[0]?.text).toBe(
        'Извините за ожидание: сотрудники клиники пока не смогли Вам ответить. Им отправлено напоминание, приоритет Вашего обращения повышен. Ожидаемое время ответа: 1 минута.',
      );
      const raised = await eventually(async () => {
        const current = await openEscalation(runtime, conversationId);
        expect(current.urgency).not.toBe('medium');
        return current;
      });
      expect(raised.id).toBe(opened.id);
      expect(raised.status).toBe('open');
      expect(['high', 'urgent']).toContain(raised.urgency);
      expect(raised.raisedAt.getTime()).toBeGreaterThan(opened.raisedAt.getTime());
      const audits = await eventually(async () => {
        const rows = await followUpAudits(runtime, opened);
        expect(rows.length).toBeGreaterThanOrEqual(1);
        return rows;
      });
      expect(audits).toContainEqual(
        expect.objectContaining({ actorType: 'system', actorId: 'follow-up', details: expect.objectContaining({ from: 'medium', to: 'high' }) }),
      );

      // Still nobody: it fires again, one level up, capped at urgent.
      await eventually(() => expect(pushed.length).toBeGreaterThanOrEqual(2));
      const again = await eventually(async () => {
        const current = await openEscalation(runtime, conversationId);
        expect(current.urgency).toBe('urgent');
        expect(current.followUps).toBeGreaterThanOrEqual(2);
        return current;
      });
      expect(again.raisedAt.getTime()).toBeGreaterThan(raised.raisedAt.getTime());

      // The notices are in the transcript as the bot's, after the acknowledgement.
      const transcript = await runtime.records.transcripts.listForConversation('webchat', conversationId);
      const notices = transcript.filter((entry) => entry.author === 'bot' && entry.text.startsWith('Извините за ожидание'));
      expect(notices.length).toBeGreaterThanOrEqual(2);
      expect(notices.every((entry) => entry.locale === 'ru' && entry.direction === 'out')).toBe(true);

      // Staff claim it: the follow-ups stop.
      await runtime.records.escalations.setStatus(opened.id, 'claimed');
      await runtime.conversationControl.staffClaimed({ channel: 'webchat', conversationId }, noStaffChange);
    });

    it('says nothing when staff claimed it before the wait was over', async () => {
      const claimedId = `claimed-${randomUUID()}`;
      const sentinelId = `sentinel-${randomUUID()}`;
      const claimedPushes = watchOutbound(runtime, 'webchat', claimedId);
      const sentinelPushes = watchOutbound(runtime, 'webchat', sentinelId);
      await say(runtime, 'webchat', claimedId, 'I need to talk to a person');
      const claimed = await openEscalation(runtime, claimedId);
      const staff = await runtime.records.staff.create({
        email: `${randomUUID()}@clinic.test`,
        displayName: 'Ana',
        role: 'staff',
        passwordHash: '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA',
      });
      if (staff.outcome !== 'created') throw new Error('staff user not created');
      expect((await runtime.records.escalations.claim(claimed.id, staff.user.id)).outcome).toBe('changed');
      await runtime.conversationControl.staffClaimed({ channel: 'webchat', conversationId: claimedId }, noStaffChange);

      // A second escalation, opened later with the same wait, is followed up after the first
      // one's follow-up was due: once it has been, the claimed one's has been decided too.
      await say(runtime, 'webchat', sentinelId, 'I need to talk to a person');
      await eventually(() => expect(sentinelPushes.length).toBeGreaterThanOrEqual(1));

      expect(claimedPushes).toEqual([]);
      const after = await runtime.records.escalations.findById(claimed.id);
      expect(after).toMatchObject({ status: 'claimed', urgency: 'medium', followUps: 0 });
      expect(await followUpAudits(runtime, claimed)).toEqual([]);
    });

    if (backend === 'redis') {
      it('survives a restart: the delayed job fires in the next process', async () => {
        const conversationId = `restart-${randomUUID()}`;
        const first = await deployment.start();
        await say(first, 'webchat', conversationId, 'Necesito hablar con una persona');
        const opened = await openEscalation(first, conversationId);
        await deployment.stop(first);

        const second = await deployment.start();
        const pushed = watchOutbound(second, 'webchat', conversationId);
        await eventually(() => expect(pushed.length).toBeGreaterThanOrEqual(1));
        expect(pushed[0]?.replies[0]?.locale).toBe('es');
        expect(pushed[0]?.replies[0]?.text).toMatch(/^Disculpe la espera/);
        const raised = await openEscalation(second, conversationId);
        expect(raised.id).toBe(opened.id);
        expect(raised.urgency).not.toBe('medium');
      });
    }
  });
}
