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

/** "27/11": a day N days ahead, written the way every shipped language's NLU reads it. */
function dayMonth(daysAhead: number): string {
  const day = new Date(Date.now() + daysAhead * 86_400_000);
  return `${day.getUTCDate()}/${day.getUTCMonth() + 1}`;
}

/**
 * How long patient `variant` waits before its message `turn`. Patients who pause start spread
 * over one pause and then wait 0.5–1.5 pauses, as real ones do: identical pauses would keep all
 * of them in step and turn "paused" traffic into bursts of every patient at once. Deterministic,
 * so the floor replays the same timing.
 */
export function pauseBefore(variant: number, turn: number, pauseMs: number): number {
  const spread = (variant * 0.618_033_99 + turn * 0.414_213_56) % 1;
  return Math.round(turn === 0 ? spread * pauseMs : (0.5 + spread) * pauseMs);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export interface SimulationOptions {
  /** A patient reading and typing between messages (see pauseBefore). */
  pauseMs?: number;
  /** Wraps each turn (the floor's recorder records what it sends). */
  aroundTurn?: <T>(turn: () => Promise<T>) => Promise<T>;
}

export async function simulatePatient(
  assistant: Assistant,
  script: PatientScript,
  latencies: number[],
  options: SimulationOptions = {},
): Promise<PatientOutcome> {
  const lines = LINES[script.locale];
  const around = options.aroundTurn ?? (<T>(turn: () => Promise<T>) => turn());
  let turn = 0;
  const say = async (text: string): Promise<RenderedReply[]> => {
    if (options.pauseMs) await sleep(pauseBefore(script.variant, turn, options.pauseMs));
    turn += 1;
    const started = performance.now();
    const replies = await around(() =>
      assistant.handle({
        channel: 'webchat',
        conversationId: script.id,
        senderId: script.id,
        messageId: randomUUID(),
        text,
        at: new Date(),
      }),
    );
    latencies.push(performance.now() - started);
    return replies;
  };
  const pick = <T>(items: T[]): T => items[script.variant % items.length] as T;
  const optionCount = (replies: RenderedReply[]) => replies.reduce((n, r) => n + (r.options?.length ?? 0), 0);

  await say(pick(lines.ask));
  // Patients spread over the coming four weeks, as a clinic's patients do.
  let daysAhead = 1 + (script.variant % 28);
  let offered = optionCount(await say(`${pick(lines.book)} ${dayMonth(daysAhead)}`));
  let retriedAfterTaken = false;
  for (let attempt = 0; attempt < 4; attempt += 1) {
    if (offered === 0) {
      // Nothing free that day (or the last free time was just taken): name the next day.
      daysAhead += 1;
      offered = optionCount(await say(dayMonth(daysAhead)));
      if (offered === 0) continue;
    }
    // Patients asking for the same day pick different times, as real ones mostly do.
    await say(String((Math.floor(script.variant / 28) % offered) + 1));
    offered = optionCount(await say(lines.yes));
    // No new menu after "yes" means booked; a menu means someone else took the time first.
    if (offered === 0) break;
    retriedAfterTaken = true;
  }
  await say(lines.list);
  return { retriedAfterTaken };
}
