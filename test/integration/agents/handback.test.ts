/**
 * After staff hand a conversation back, nothing from before or during the staff part reaches
 * the model: not the task that was pending when the patient asked for a person, not what the
 * patient told staff, not what staff wrote. The model is the scripted server; the staff side
 * is the real staff desk on the real Redis and PostgreSQL.
 */
import { describe, expect, it } from 'vitest';
import { createStaffDesk, type StaffMember } from '../../../src/escalation/staff-desk.js';
import { replyLanguage } from '../../support/language.js';
import { useScriptedModelConversation } from './model-conversation.js';

const STAFF_REPLY = 'Это Ольга из регистратуры, код вашей карты 88-4417.';
const SAID_TO_STAFF = 'Мой пароль от портала Сирень-5521';

describe('hand-back with a model configured', () => {
  const fixture = useScriptedModelConversation();

  it('starts the bot afresh in idle, and no later prompt carries the pending task or the staff part', async () => {
    const { runtime } = fixture.chat.harness;
    const created = await runtime.records.staff.create({ email: `olga-${fixture.chat.conversationId}@clinic.test`, displayName: 'Olga', role: 'staff', passwordHash: 'unused' });
    if (created.outcome !== 'created') throw new Error('staff user not created');
    const olga: StaffMember = created.user;
    const desk = createStaffDesk({
      records: runtime.records,
      liveEvents: runtime.liveEvents,
      outbox: runtime.outbound,
      conversationControl: runtime.conversationControl,
      defaultLocale: runtime.clinic.defaultLocale,
      now: () => fixture.chat.harness.currentTime,
    });

    await fixture.chat.say('Хочу записаться на пломбу к доктору Дану');
    expect((await fixture.chat.view()).context?.doctorId).toBe('dr-dan');
    await fixture.chat.say('Я хочу поговорить с человеком');
    expect(await fixture.chat.state()).toBe('escalated.waitingForStaff');

    const [entry] = (await desk.queue()).filter((item) => item.escalation.conversationId === fixture.chat.conversationId);
    if (!entry) throw new Error('the escalation is not in the queue');
    expect(await desk.claim(entry.escalation.id, olga)).toMatchObject({ ok: true });
    expect(await desk.reply(entry.escalation.id, olga, STAFF_REPLY)).toMatchObject({ ok: true });
    const duringStaff = await fixture.chat.say(SAID_TO_STAFF);
    expect(duringStaff.replies).toEqual([]);
    expect(duringStaff.modelCalls).toBe(0);
    expect(await desk.resolve(entry.escalation.id, olga)).toMatchObject({ ok: true });

    const afterHandBack = await fixture.chat.view();
    expect(afterHandBack.state).toBe('idle');
    expect(afterHandBack.context).toMatchObject({ serviceId: null, doctorId: null, offeredSlots: [], pendingAction: null, escalation: null });

    const before = fixture.server.requestCount;
    const next = await fixture.chat.say('Подскажите, а что у вас можно сделать, чтобы зубы были белее?');
    expect(next.modelCalls).toBeGreaterThan(0);
    for (const r of next.replies) expect(replyLanguage(r.text), r.text).toBe('ru');
    // The catalog in the prompt names "Пломба" and Dr. Dan; the patient's own words ("пломбу") must not be there.
    const prompts = JSON.stringify(fixture.server.requests.slice(before));
    for (const leaked of ['88-4417', 'Сирень-5521', 'Ольга', 'Olga', 'человеком', 'пломб', 'Request in progress', 'Earlier request']) {
      expect(prompts).not.toContain(leaked);
    }
  });
});
