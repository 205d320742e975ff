/**
 * SPEC §3's canonical case with the model in the loop (Russian): a filling with Dr. Dan is
 * pending; «Хочу узнать про виниры» is answered about veneers with no word of Dr. Dan or the
 * filling, and no model prompt carries the pending filling; «Мне не нужен Дан с пломбой»
 * drops it for good.
 */
import { describe, expect, it } from 'vitest';
import { systemText } from '../../support/fake-openai.js';
import { replyLanguage } from '../../support/language.js';
import { useScriptedModelConversation, type Turn } from './model-conversation.js';

function expectRussian(turn: Turn): void {
  expect(turn.replies.length).toBeGreaterThan(0);
  for (const r of turn.replies) expect(replyLanguage(r.text), r.text).toBe('ru');
}

describe('veneers while a filling with Dr. Dan is pending, with a scripted model', () => {
  const fixture = useScriptedModelConversation();

  it('answers about veneers without Dr. Dan, then drops the filling for good', async () => {
    const booking = await fixture.chat.say('Хочу записаться на пломбу к доктору Дану');
    expect(booking.modelCalls).toBeGreaterThan(0);
    expect(booking.text).toContain('Доктор Дан Коэн');
    expectRussian(booking);
    await fixture.chat.say('1');
    expect(await fixture.chat.state()).toBe('booking.confirming');

    const before = fixture.server.requestCount;
    const veneers = await fixture.chat.say('Хочу узнать про виниры');
    expectRussian(veneers);
    expect(veneers.text).toContain('Виниры');
    expect(veneers.text).toContain('450');
    for (const needle of ['Дан', 'Коэн', 'пломб', 'Записать Вас']) expect(veneers.text).not.toContain(needle);
    expect(await fixture.chat.state()).toBe('inquiry.answering');
    // Whatever the model was asked this turn, the pending filling was not in it.
    for (const request of fixture.server.requests.slice(before)) {
      expect(systemText(request)).not.toMatch(/Request in progress|Earlier request|Time to confirm/);
    }

    const dropped = await fixture.chat.say('Мне не нужен Дан с пломбой');
    expectRussian(dropped);
    expect(dropped.text).toContain('запрос отменён');
    expect(dropped.text).not.toContain('Дан');
    expect(await fixture.chat.state()).toBe('idle');

    const yes = await fixture.chat.say('да');
    for (const needle of ['Дан', 'Пломба', 'Записать Вас', 'Готово']) expect(yes.text).not.toContain(needle);
    const { state, context } = await fixture.chat.view();
    expect(state).toBe('idle');
    expect(context?.pendingAction ?? null).toBeNull();
    expect(context?.serviceId ?? null).toBeNull();
    expect(await fixture.chat.allAppointments()).toEqual([]);
  });

  it('"no filling with Dan, I want veneers" in one message: the model starts the veneers booking', async () => {
    await fixture.chat.say('Хочу записаться на пломбу к доктору Дану');
    await fixture.chat.say('1');
    const turn = await fixture.chat.say('Не нужна пломба у Дана, хочу виниры');
    expectRussian(turn);
    expect(turn.text).toContain('Виниры');
    expect(turn.text).not.toContain('Дан');
    const { state, context } = await fixture.chat.view();
    expect(state).toBe('booking.choosingSlot');
    expect(context?.serviceId).toBe('veneers');
    expect(context?.doctorId ?? null).not.toBe('dr-dan');
    expect(context?.pendingAction ?? null).toBeNull();
  });
});
