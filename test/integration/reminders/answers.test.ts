/**
 * A reminder sent on the web chat and answered: confirm, change and cancel, each in English,
 * Spanish and Russian (by number and by words), on the real Redis (the reminder is a BullMQ
 * delayed job falling due 1.5 s after the booking, on the test's clock) and PostgreSQL. Each
 * checks the reminder's language and content, the answer's replies, the conversation's final
 * state, the appointment, the reminder's outcome, the audit log and the transcript; at the end
 * /metrics counts them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../../src/app.js';
import type { Locale } from '../../../src/core/locale.js';
import type { RenderedReply } from '../../../src/core/messages.js';
import { replyLanguage } from '../../support/language.js';
import { requirePostgres, requireRedis } from '../../support/services.js';
import {
  appointmentsOf,
  bookDueSoon,
  committedState,
  eventually,
  mondayAt,
  openDeployment,
  patient,
  remindersOf,
  type Deployment,
} from './harness.js';

interface Language {
  locale: Locale;
  request: string;
  yes: string;
  service: string;
  confirm: string;
  change: string;
  cancel: string;
  /** Words each reply of that step must contain. */
  confirmed: RegExp;
  offered: RegExp;
  moved: RegExp;
  cancelAsked: RegExp;
  cancelled: RegExp;
}

const LANGUAGES: Language[] = [
  {
    locale: 'en',
    request: 'I want a teeth cleaning tomorrow at 10',
    yes: 'yes',
    service: 'Teeth cleaning',
    confirm: '1',
    change: '2',
    cancel: 'cancel',
    confirmed: /Thank you! Your Teeth cleaning .* is confirmed/,
    offered: /Let's move your Teeth cleaning/,
    moved: /Your Teeth cleaning is now on/,
    cancelAsked: /Shall I cancel your Teeth cleaning/,
    cancelled: /Your Teeth cleaning on .* is cancelled/,
  },
  {
    locale: 'es',
    request: 'Quiero una limpieza dental mañana a las 10',
    yes: 'sí',
    service: 'Limpieza dental',
    confirm: 'confirmo',
    change: 'cambiar',
    cancel: '3',
    confirmed: /¡Gracias! Su cita para Limpieza dental .* queda confirmada/,
    offered: /Limpieza dental/,
    moved: /Su cita para Limpieza dental se ha cambiado/,
    cancelAsked: /¿Cancelo su cita para Limpieza dental/,
    cancelled: /cancelada|cancelado/,
  },
  {
    locale: 'ru',
    request: 'Хочу записаться на чистку зубов завтра в 10',
    yes: 'да',
    service: 'Профессиональная чистка зубов',
    confirm: 'подтверждаю',
    change: '2',
    cancel: 'отменить',
    confirmed: /Спасибо! Ваша запись на услугу «Профессиональная чистка зубов» подтверждена/,
    offered: /Профессиональная чистка зубов/,
    moved: /перенесена на/,
    cancelAsked: /Отменить Вашу запись на услугу «Профессиональная чистка зубов»/,
    cancelled: /отмен/i,
  },
];

let deployment: Deployment;
let runtime: Runtime;
/** Each flow books on its own week, so the flows never compete for a time. */
let week = 0;

beforeAll(async () => {
  await requireRedis();
  await requirePostgres();
  deployment = await openDeployment();
  runtime = await deployment.start();
});

afterAll(async () => {
  await deployment?.cleanup();
});

function expectIn(locale: Locale, replies: RenderedReply[], pattern: RegExp): void {
  const text = replies.map((reply) => reply.text).join('\n');
  expect(text).toMatch(pattern);
  for (const reply of replies) {
    expect(reply.locale).toBe(locale);
    expect(replyLanguage(reply.text), reply.text).toBe(locale);
  }
}

/** Books in `language`, waits for the reminder to arrive, checks it; returns the chat and the appointment id. */
async function remindedBooking(language: Language) {
  const chat = patient(runtime);
  const startsAt = await bookDueSoon(deployment, chat, runtime, language, { day: mondayAt('08:00', week++) });
  const [appointment] = await appointmentsOf(deployment.db, chat.conversationId);
  expect(appointment?.starts_at).toEqual(startsAt);
  expect(appointment?.booked_channel).toBe('webchat');

  const reminder = await eventually(() => {
    expect(chat.pushed).toHaveLength(1);
    return chat.pushed[0]!;
  });
  expect(reminder.deliveryId).toBe(`reminder:${appointment!.id}:86400000:${startsAt.getTime()}`);
  const [text] = reminder.replies;
  expect(text?.locale).toBe(language.locale);
  expect(replyLanguage(text?.text ?? '')).toBe(language.locale);
  expect(text?.text).toContain(language.service);
  expect(text?.text).toMatch(/1.*2.*3/s);
  expect(text?.options).toHaveLength(3);
  expect(await committedState(runtime, 'webchat', chat.conversationId)).toBe('reminded.answering');
  const [row] = await remindersOf(deployment.db, appointment!.id);
  expect(row).toMatchObject({ mode: 'prompt', status: 'sent', outcome: null, offset_minutes: '1440' });
  const audit = await deployment.db.query("select details from audit_log where action = 'reminder.sent' and details->>'appointmentId' = $1", [appointment!.id]);
  expect(audit.rows).toHaveLength(1);
  const transcript = await deployment.db.query<{ text: string }>(
    "select text from messages where conversation_id = $1 and author = 'bot' order by id desc limit 1",
    [chat.conversationId],
  );
  expect(transcript.rows[0]?.text).toContain(text?.text);
  return { chat, appointmentId: appointment!.id };
}

async function outcomeOf(appointmentId: string): Promise<{ status: string; outcome: string | null }> {
  const [appointment] = (await deployment.db.query<{ status: string }>('select status from appointments where id = $1', [appointmentId])).rows;
  const [reminder] = await remindersOf(deployment.db, appointmentId);
  return { status: appointment?.status ?? 'gone', outcome: reminder?.outcome ?? null };
}

describe.each(LANGUAGES)('a reminder answered in $locale', (language) => {
  it(`confirm ("${language.confirm}")`, async () => {
    const { chat, appointmentId } = await remindedBooking(language);
    expectIn(language.locale, await chat.say(language.confirm, deployment.clock.now), language.confirmed);
    expect(await committedState(runtime, 'webchat', chat.conversationId)).toBe('idle');
    expect(await outcomeOf(appointmentId)).toEqual({ status: 'confirmed', outcome: 'confirmed' });
  });

  it(`change ("${language.change}"), through the reschedule flow with its confirmation`, async () => {
    const { chat, appointmentId } = await remindedBooking(language);
    const before = (await appointmentsOf(deployment.db, chat.conversationId))[0]?.starts_at;
    const offered = await chat.say(language.change, deployment.clock.now);
    expectIn(language.locale, offered, language.offered);
    expect(offered[0]?.options?.length).toBeGreaterThan(0);
    await chat.say('1', deployment.clock.now);
    expect(await committedState(runtime, 'webchat', chat.conversationId)).toBe('booking.confirming');
    expectIn(language.locale, await chat.say(language.yes, deployment.clock.now), language.moved);
    const [moved] = await appointmentsOf(deployment.db, chat.conversationId);
    expect(moved?.starts_at).not.toEqual(before);
    expect(await outcomeOf(appointmentId)).toEqual({ status: 'booked', outcome: 'changed' });
  });

  it(`cancel ("${language.cancel}"), through the cancel flow with its confirmation`, async () => {
    const { chat, appointmentId } = await remindedBooking(language);
    expectIn(language.locale, await chat.say(language.cancel, deployment.clock.now), language.cancelAsked);
    expect(await outcomeOf(appointmentId)).toEqual({ status: 'booked', outcome: null });
    expectIn(language.locale, await chat.say(language.yes, deployment.clock.now), language.cancelled);
    expect(await committedState(runtime, 'webchat', chat.conversationId)).toBe('idle');
    expect(await outcomeOf(appointmentId)).toEqual({ status: 'cancelled', outcome: 'cancelled' });
  });
});

describe('after a reminder', () => {
  it('anything else goes on as a normal conversation: a question about a service is answered', async () => {
    const { chat, appointmentId } = await remindedBooking(LANGUAGES[0]!);
    expectIn('en', await chat.say('How much is teeth whitening?', deployment.clock.now), /Teeth whitening: .* costs/);
    expect(await committedState(runtime, 'webchat', chat.conversationId)).toBe('inquiry.answering');
    expect(await outcomeOf(appointmentId)).toEqual({ status: 'booked', outcome: null });
  });

  it('/metrics counts the reminders by outcome', async () => {
    const { body } = await runtime.metrics.exposition();
    const count = (outcome: string) => Number(new RegExp(`clinic_reminders_total\\{outcome="${outcome}"\\} (\\d+)`).exec(body)?.[1] ?? 0);
    expect({ sent: count('sent'), confirmed: count('confirmed'), changed: count('changed'), cancelled: count('cancelled') }).toEqual({
      sent: 10,
      confirmed: 3,
      changed: 3,
      cancelled: 3,
    });
  });
});
