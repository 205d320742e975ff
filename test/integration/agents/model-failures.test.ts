/**
 * Issue 3 §6–7: a model that is down, slow beyond OPENAI_TIMEOUT_MS, or answering garbage
 * never leaves a patient without an answer: the offline NLU answers the turn and the patient
 * gets the localized apology, in their own language. Deterministic turns never call the model,
 * and after N failures the circuit opens and the server is not called at all.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Locale } from '../../../src/core/locale.js';
import { FakeOpenAiServer, reply, unreachableBaseUrl, type FakeReply } from '../../support/fake-openai.js';
import { replyLanguage } from '../../support/language.js';
import { createScriptedModel } from '../../support/scripted-model.js';
import { requirePostgres, requireRedis } from '../../support/services.js';
import { ModelConversation, type ModelSettings, type Turn } from './model-conversation.js';

const LOCALES_DIR = path.resolve(import.meta.dirname, '../../../locales');
function apology(locale: Locale): string {
  const bot = JSON.parse(readFileSync(path.join(LOCALES_DIR, locale, 'bot.json'), 'utf8')) as { fallback: { model_unavailable: string } };
  return bot.fallback.model_unavailable;
}

/** What the offline path alone answers: slots offered for the request, in the patient's language. */
function expectOfflineAnswerWithApology(turn: Turn, locale: Locale): void {
  expect(turn.text, 'the apology').toContain(apology(locale));
  expect(turn.replies.reduce((n, r) => n + (r.options?.length ?? 0), 0), `times offered\n${turn.text}`).toBeGreaterThan(0);
  for (const r of turn.replies) {
    expect(r.locale).toBe(locale);
    expect(replyLanguage(r.text), r.text).toBe(locale);
  }
}

const SPANISH_BOOKING = 'Quiero reservar una limpieza con la Dra. Ana mañana';
const RUSSIAN_BOOKING = 'Хочу записаться на пломбу к доктору Дану';

describe('model failures fall back to the offline NLU with a localized apology', () => {
  let server: FakeOpenAiServer;
  const open: ModelConversation[] = [];
  const conversation = async (settings: Partial<ModelSettings> = {}) => {
    const chat = await ModelConversation.open({ baseUrl: server.baseUrl, ...settings }, server);
    open.push(chat);
    return chat;
  };

  beforeAll(async () => {
    await requireRedis();
    await requirePostgres();
    server = await FakeOpenAiServer.start({ defaultResponder: await createScriptedModel() });
  });
  afterAll(async () => server.close());
  afterEach(async () => {
    for (const chat of open.splice(0)) await chat.close();
    server.reset();
  });

  it('model down (connection refused): the Spanish patient gets the offline answer and the apology in Spanish', async () => {
    const chat = await conversation({ baseUrl: await unreachableBaseUrl() });
    const turn = await chat.say(SPANISH_BOOKING);
    expectOfflineAnswerWithApology(turn, 'es');
    expect(turn.text).toContain('Ana Silva');
    expect(await chat.state()).toBe('booking.choosingSlot');
  });

  it('HTTP 500 twice with one retry allowed: two requests, then the offline answer and the apology in Russian', async () => {
    const chat = await conversation({ maxRetries: 1 });
    server.enqueue(reply.error(500), reply.error(503));
    const turn = await chat.say(RUSSIAN_BOOKING);
    expect(turn.modelCalls).toBe(2);
    expectOfflineAnswerWithApology(turn, 'ru');
    expect(turn.text).toContain('Доктор Дан Коэн');
  });

  it('a 429 then a good answer: the retry succeeds and there is no apology', async () => {
    const chat = await conversation({ maxRetries: 1 });
    server.enqueue(reply.error(429, 'Rate limit reached'));
    const turn = await chat.say(RUSSIAN_BOOKING);
    expect(turn.modelCalls).toBe(2);
    expect(turn.text).not.toContain(apology('ru'));
    expect(await chat.state()).toBe('booking.choosingSlot');
  });

  it('slow beyond OPENAI_TIMEOUT_MS: the Russian patient gets the offline answer and the apology', async () => {
    const chat = await conversation({ timeoutMs: 300 });
    server.enqueue(reply.delay(5_000, reply.toolCall('escalate', { reason: 'patient_request', kind: null })));
    const turn = await chat.say(RUSSIAN_BOOKING);
    expect(turn.modelCalls).toBe(1);
    expectOfflineAnswerWithApology(turn, 'ru');
    // The late answer (an escalation) never took effect.
    expect(await chat.state()).toBe('booking.choosingSlot');
  });

  const garbage: [string, FakeReply][] = [
    ['a body that is not JSON', reply.garbage('not_json')],
    ['JSON without choices', reply.garbage('no_choices')],
    ['a tool call whose arguments are not JSON', reply.garbage('bad_arguments')],
  ];
  it.each(garbage)('garbage (%s): the offline answer and the apology, in Spanish', async (_label, answer) => {
    const chat = await conversation();
    server.enqueue(answer);
    const turn = await chat.say(SPANISH_BOOKING);
    expect(turn.modelCalls).toBe(1);
    expectOfflineAnswerWithApology(turn, 'es');
    expect(await chat.allAppointments()).toEqual([]);
  });

  it('deterministic turns — a date, "2", "sí" — make no model call', async () => {
    const chat = await conversation();
    const first = await chat.say('Quiero reservar una limpieza con la Dra. Ana');
    expect(first.modelCalls).toBeGreaterThan(0);
    expect(await chat.state()).toBe('booking.choosingSlot');

    const day = await chat.say('25/11');
    expect(day.modelCalls).toBe(0);
    expect(day.text).toContain('25');
    const pick = await chat.say('2');
    expect(pick.modelCalls).toBe(0);
    expect(await chat.state()).toBe('booking.confirming');
    const yes = await chat.say('sí');
    expect(yes.modelCalls).toBe(0);
    expect(await chat.state()).toBe('idle');
    const rows = await chat.allAppointments();
    expect(rows).toEqual([expect.objectContaining({ patient_id: chat.patientId, doctor_id: 'dr-ana', service_id: 'cleaning', status: 'booked' })]);
    expect(rows[0]?.starts_at.toISOString().startsWith('2026-11-25')).toBe(true);
  });

  it('the circuit opens after N consecutive failures and stops calling the server', async () => {
    const chat = await conversation({ breakerThreshold: 2, maxRetries: 0 });
    const failing = () => reply.error(500);
    server.setDefaultResponder(failing);
    try {
      const lines = ['Quiero reservar una limpieza con la Dra. Ana', 'Mejor un empaste con el Dr. Dan', 'Prefiero una radiografía con el Dr. Dan'];
      const turns: Turn[] = [];
      for (const line of lines) turns.push(await chat.say(line));
      expect(turns.map((t) => t.modelCalls)).toEqual([1, 1, 0]);
      // Open circuit or not, every turn is answered offline with the apology, in Spanish.
      for (const turn of turns) expectOfflineAnswerWithApology(turn, 'es');
      expect(await chat.state()).toBe('booking.choosingSlot');
      expect((await chat.view()).context?.serviceId).toBe('xray');
    } finally {
      server.setDefaultResponder(await createScriptedModel());
    }
  });
});
