import { randomUUID } from 'node:crypto';
import type { Locale } from '../core/locale.js';
import type { RenderedReply } from '../core/messages.js';
import type { Assistant } from '../core/ports/assistant.js';
import type { PatientOutcome } from './stats.js';

export interface PatientScript {
  id: string;
  locale: Locale;
  variant: number;
}

/** What a patient types, per language: ask about a service, book it, pick a slot, confirm, list. */
const LINES: Record<Locale, { ask: string[]; book: string[]; yes: string; list: string }> = {
  en: { ask: ['How much is a cleaning?', 'What is whitening?'], book: ['I want to book a cleaning', 'Book a filling please', 'I need an x-ray'], yes: 'yes', list: 'my appointments' },
  es: { ask: ['¿Cuánto cuesta una limpieza?', '¿Qué es el blanqueamiento?'], book: ['Quiero reservar una limpieza', 'Quiero una cita para un empaste', 'Necesito una radiografía'], yes: 'sí', list: 'mis citas' },
  ru: { ask: ['Сколько стоит чистка?', 'Что такое отбеливание?'], book: ['Хочу записаться на чистку', 'Запишите меня на пломбу', 'Нужен рентген'], yes: 'да', list: 'мои записи' },
  he: { ask: ['כמה עולה ניקוי שיניים?', 'מה זה הלבנה?'], book: ['אני רוצה לקבוע תור לניקוי שיניים', 'רוצה לקבוע תור לסתימה', 'צריך צילום רנטגן'], yes: 'כן', list: 'התורים שלי' },
  pt: { ask: ['Quanto custa uma limpeza?', 'O que é o branqueamento?'], book: ['Quero marcar uma limpeza', 'Quero marcar uma obturação', 'Preciso de um raio-x'], yes: 'sim', list: 'as minhas consultas' },
};

export async function simulatePatient(assistant: Assistant, script: PatientScript, latencies: number[]): Promise<PatientOutcome> {
  const lines = LINES[script.locale];
  const say = async (text: string): Promise<RenderedReply[]> => {
    const started = performance.now();
    const replies = await assistant.handle({
      channel: 'webchat',
      conversationId: script.id,
      senderId: script.id,
      messageId: randomUUID(),
      text,
      at: new Date(),
    });
    latencies.push(performance.now() - started);
    return replies;
  };
  const pick = <T>(items: T[]): T => items[script.variant % items.length] as T;
  const optionCount = (replies: RenderedReply[]) => replies.reduce((n, r) => n + (r.options?.length ?? 0), 0);

  await say(pick(lines.ask));
  let offered = optionCount(await say(pick(lines.book)));
  let retriedAfterTaken = false;
  for (let attempt = 0; attempt < 3 && offered > 0; attempt += 1) {
    await say(String((script.variant % offered) + 1));
    const confirmed = await say(lines.yes);
    const reoffer = optionCount(confirmed);
    if (reoffer === 0) {
      await say(lines.list);
      return { booked: true, retriedAfterTaken, failed: false };
    }
    retriedAfterTaken = true;
    offered = reoffer;
  }
  return { booked: false, retriedAfterTaken, failed: true };
}
