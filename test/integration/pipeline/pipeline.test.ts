import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationKeyString, type InboundMessage, type RenderedReply } from '../../../src/core/messages.js';
import { createRuntime } from '../../../src/app.js';
import { ScriptHarness } from '../../conversations/harness.js';
import { DATABASE_URL, REDIS_URL, removeTestPlace, requirePostgres, requireRedis } from '../../support/services.js';
import { replyLanguage } from '../../support/language.js';

/** The pipeline's guarantees, on the real Redis and PostgreSQL, through the public Assistant port. */

let harness: ScriptHarness;

const message = (conversationId: string, text: string, extra: Partial<InboundMessage> = {}): InboundMessage => ({
  channel: 'webchat',
  conversationId,
  senderId: conversationId,
  messageId: randomUUID(),
  text,
  at: new Date(),
  ...extra,
});

async function say(conversationId: string, text: string, extra: Partial<InboundMessage> = {}): Promise<RenderedReply[]> {
  return harness.runtime.assistant.handle(message(conversationId, text, extra));
}

async function stored(conversationId: string) {
  return harness.runtime.hotStore.getConversation(conversationKeyString({ channel: 'webchat', conversationId }));
}

const allText = (replies: RenderedReply[]) => replies.map((r) => r.text).join('\n');

beforeAll(async () => {
  await requireRedis();
  await requirePostgres();
  harness = await ScriptHarness.open('2026-11-23T09:00:00Z');
});

afterAll(async () => {
  await harness?.close();
});

describe('pipeline', () => {
  it('answers a redelivered message id once, giving the redelivery the same replies', async () => {
    const first = message(`redeliver-${randomUUID()}`, 'Hola');
    const replies = await harness.runtime.assistant.handle(first);
    expect(replies.length).toBeGreaterThan(0);
    expect(await harness.runtime.assistant.answer({ ...first, at: new Date() })).toEqual({ replies, replayed: true });
    const rows = await harness.query<{ n: string }>('select count(*) as n from messages where message_id = $1', [first.messageId]);
    expect(Number(rows[0]?.n)).toBe(1);
  });

  it('on a database failure mid-turn apologizes in the patient language and keeps the conversation as it was', async () => {
    const id = `fault-${randomUUID()}`;
    await say(id, 'Хочу записаться на пломбу');
    await say(id, '1');
    const before = await stored(id);
    expect((before?.snapshot as { value: unknown }).value).toEqual({ booking: 'confirming' });

    await harness.query('alter table appointments rename to appointments_offline');
    let replies: RenderedReply[];
    try {
      replies = await say(id, 'да');
    } finally {
      await harness.query('alter table appointments_offline rename to appointments');
    }
    expect(replies).toHaveLength(1);
    expect(replies[0]?.locale).toBe('ru');
    expect(replyLanguage(allText(replies))).toBe('ru');
    expect(allText(replies)).toMatch(/Извините/);
    const after = await stored(id);
    expect(after?.rev).toBe(before?.rev);
    expect(after?.snapshot).toEqual(before?.snapshot);

    // The same answer works once the database is back.
    const retry = await say(id, 'да');
    expect(allText(retry)).toMatch(/Готово|записаны/i);
    expect((await stored(id))?.snapshot).toMatchObject({ value: 'idle' });
  });

  it('when the transcript cannot be written, the booking is not written either: the patient is told nothing was done', async () => {
    const id = `atomic-${randomUUID()}`;
    await say(id, 'Quiero reservar una limpieza');
    await say(id, '1');
    const before = await stored(id);
    const bookingsOf = async () =>
      harness.query<{ id: string }>(
        `select a.id from appointments a join patient_identities i on i.patient_id = a.patient_id where i.external_id = $1 and a.status = 'booked'`,
        [id],
      );
    // The transcript refuses this conversation's lines (the fault is in the database, not in our code).
    await harness.query(`create function refuse_lines() returns trigger language plpgsql as $$
      begin
        if new.conversation_id = '${id}' then raise exception 'transcript unavailable'; end if;
        return new;
      end $$`);
    await harness.query('create trigger refuse_lines before insert on messages for each row execute function refuse_lines()');
    let replies: RenderedReply[];
    const yes = message(id, 'sí');
    try {
      replies = await harness.runtime.assistant.handle(yes);
    } finally {
      await harness.query('drop trigger refuse_lines on messages');
      await harness.query('drop function refuse_lines()');
    }
    expect(allText(replies)).toMatch(/Lo sentimos/);
    expect(replies[0]?.locale).toBe('es');
    expect(await bookingsOf()).toEqual([]);
    expect(await stored(id)).toEqual(before);
    expect(await harness.query('select 1 from inbox where message_id = $1', [yes.messageId])).toEqual([]);

    // The same message, delivered again once the transcript is back, books once.
    expect(allText(await harness.runtime.assistant.handle({ ...yes, at: new Date() }))).toMatch(/^¡Listo!/);
    expect(await bookingsOf()).toHaveLength(1);
    expect((await stored(id))?.snapshot).toMatchObject({ value: 'idle' });
  });

  it('refuses a too-long message with a localized notice and changes nothing', async () => {
    const id = `long-${randomUUID()}`;
    const replies = await say(id, `Quero marcar uma limpeza ${'por favor '.repeat(200)}`);
    expect(replies[0]?.locale).toBe('pt');
    expect(allText(replies)).toMatch(/1000/);
    expect(await stored(id)).toBeNull();
  });

  it('after the inactivity timeout a conversation starts over in idle', async () => {
    const id = `idle-${randomUUID()}`;
    await say(id, 'I want to book a filling');
    expect((await stored(id))?.snapshot).toMatchObject({ value: { booking: 'choosingSlot' } });
    harness.advance(31);
    const replies = await say(id, '1');
    expect(replies.map((r) => r.text)).toEqual([expect.stringMatching(/It's been a while .* started over/)]);
    expect((await stored(id))?.snapshot).toMatchObject({ value: 'idle' });
    expect(await harness.query('select 1 from appointments a join patients p on p.id = a.patient_id join patient_identities i on i.patient_id = p.id where i.external_id = $1', [id])).toEqual([]);

    // From idle there is nothing to announce: a new request after a long pause is simply handled.
    harness.advance(31);
    expect((await say(id, 'I want to book a filling')).map((r) => r.text)).toEqual([expect.stringMatching(/available times for Filling/)]);
  });

  it('resets an incompatible old snapshot to idle with a localized notice', async () => {
    const id = `old-${randomUUID()}`;
    await say(id, 'Quiero reservar una limpieza');
    const key = conversationKeyString({ channel: 'webchat', conversationId: id });
    const current = await harness.runtime.hotStore.getConversation(key);
    expect(current).not.toBeNull();
    // An older version's state, committed (the database is the record) and cached.
    const old = { ...current!, machineVersion: 0, snapshot: { value: { booking: 'someStateThatNoLongerExists' }, context: {} }, rev: current!.rev + 1 };
    await harness.query('update conversation_states set rev = $3, record = $4::text::jsonb where channel = $1 and conversation_id = $2', [
      'webchat',
      id,
      old.rev,
      JSON.stringify({ ...old, rev: undefined }),
    ]);
    await harness.runtime.hotStore.cacheConversation(key, old);
    const replies = await say(id, 'Hola');
    expect(replies[0]?.text).toMatch(/actualizado/);
    expect(replies.every((r) => r.locale === 'es')).toBe(true);
    expect((await stored(id))?.snapshot).toMatchObject({ value: 'idle' });
  });

  it('stays silent while escalated but keeps the patient messages in the transcript', async () => {
    const id = `esc-${randomUUID()}`;
    expect(allText(await say(id, 'I want to talk to a person'))).toMatch(/staff/);
    expect(await say(id, 'hello? anyone there?')).toEqual([]);
    expect(await say(id, 'book a cleaning')).toEqual([]);
    const rows = await harness.query<{ text: string; author: string }>(
      'select text, author from messages where conversation_id = $1 order by created_at, id',
      [id],
    );
    expect(rows.filter((r) => r.author === 'patient').map((r) => r.text)).toEqual([
      'I want to talk to a person',
      'hello? anyone there?',
      'book a cleaning',
    ]);
  });

  it('never answers a bot', async () => {
    expect(await say(`bot-${randomUUID()}`, 'Hello', { fromBot: true })).toEqual([]);
  });
});

describe('a backing service down', () => {
  it('answers with the localized "temporarily unavailable" and the clinic phone', async () => {
    const { mkdtemp, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const dataDir = await mkdtemp(path.join(tmpdir(), 'redis-down-'));
    const runtime = await createRuntime(
      { REDIS_URL: 'redis://127.0.0.1:1', DATABASE_URL: '', DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
      { watchLocales: false },
    );
    try {
      const replies = await runtime.assistant.handle(message(`down-${randomUUID()}`, 'Hola, quiero reservar una limpieza'));
      expect(replies).toHaveLength(1);
      expect(replies[0]?.locale).toBe('es');
      expect(replies[0]?.text).toMatch(/temporalmente/);
      expect(replies[0]?.text).toContain(runtime.clinic.phone);
    } finally {
      await runtime.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('rate limit', () => {
  it('answers once in the patient language when a sender goes over the limit, then stays quiet', async () => {
    const schema = `rl_${randomUUID().slice(0, 8)}`;
    const runtime = await createRuntime(
      { REDIS_URL, DATABASE_URL, DATABASE_SCHEMA: `t_${schema}`, REDIS_KEY_PREFIX: `test:${schema}`, LOG_LEVEL: 'silent', RATE_LIMIT_MAX: '3' },
      { watchLocales: false },
    );
    try {
      const id = `rl-${randomUUID()}`;
      const send = (text: string) => runtime.assistant.handle(message(id, text));
      for (let i = 0; i < 3; i += 1) expect((await send('Привет')).length).toBeGreaterThan(0);
      const over = await send('Привет');
      expect(over).toHaveLength(1);
      expect(over[0]?.locale).toBe('ru');
      expect(over[0]?.text).toMatch(/подождите/i);
      expect(await send('Привет')).toEqual([]);
    } finally {
      await runtime.close();
      await removeTestPlace(`t_${schema}`, `test:${schema}`);
    }
  });
});

describe('races', () => {
  it('50 patients confirming the same slot at once: exactly one is booked, the others are re-offered in their language', async () => {
    const languages = ['en', 'es', 'ru', 'he', 'pt'] as const;
    const patients = Array.from({ length: 50 }, (_, i) => ({ id: `race-${i}-${randomUUID()}`, lang: languages[i % 5] ?? 'en' }));
    const opening = { en: 'I want to book an x-ray with Dr. Dan', es: 'Quiero reservar una radiografía con el Dr. Dan', ru: 'Хочу записаться на рентген к доктору Дану', he: 'אני רוצה לקבוע צילום רנטגן אצל ד״ר דן', pt: 'Quero marcar um raio-x com o Dr. Dan' };
    const yes = { en: 'yes', es: 'sí', ru: 'да', he: 'כן', pt: 'sim' };
    const offered = new Set<string>();
    for (const p of patients) {
      const menu = await say(p.id, opening[p.lang]);
      offered.add(menu.flatMap((r) => r.options ?? [])[0]?.id ?? 'none');
      await say(p.id, '1');
    }
    expect(offered.size).toBe(1); // everyone was offered the same first slot

    const answers = await Promise.all(patients.map((p) => say(p.id, yes[p.lang])));
    const winners = answers.filter((replies) => replies.every((r) => !r.options?.length));
    expect(winners, winners.map((replies) => replies.map((r) => r.text).join(' ')).join('\n')).toHaveLength(1);
    answers.forEach((replies, i) => {
      const patient = patients[i]!;
      for (const reply of replies) expect(reply.locale).toBe(patient.lang);
      if (replies === winners[0]) return;
      expect(replies[0]?.options?.length ?? 0).toBeGreaterThan(0);
      expect(replies[0]?.options?.map((o) => o.id)).not.toContain([...offered][0]);
    });
    const rows = await harness.query<{ n: string }>(
      "select count(*) as n from appointments where status = 'booked' and starts_at = $1::timestamptz and doctor_id = 'dr-dan'",
      [[...offered][0]?.split('@')[1]],
    );
    expect(Number(rows[0]?.n)).toBe(1);
  });

  it('two processes handling one conversation at once lose no turn', async () => {
    const second = await createRuntime(
      {
        REDIS_URL,
        DATABASE_URL,
        DATABASE_SCHEMA: harness.schemaName,
        REDIS_KEY_PREFIX: harness.keyPrefix,
        LOG_LEVEL: 'silent',
        APP_ENV: 'test',
      },
      { watchLocales: false, now: () => harness.currentTime },
    );
    try {
      const id = `two-${randomUUID()}`;
      await say(id, 'Hello');
      const before = await stored(id);
      const [a, b] = await Promise.all([
        harness.runtime.assistant.handle(message(id, 'How much is a cleaning?')),
        second.assistant.handle(message(id, 'What is whitening?')),
      ]);
      // Each turn either answered normally (the loser of the race re-ran on the winner's state) …
      expect(allText(a)).toMatch(/cleaning/i);
      expect(allText(b)).toMatch(/whitening/i);
      // … and both were saved, one after the other.
      expect((await stored(id))?.rev).toBe((before?.rev ?? 0) + 2);
    } finally {
      await second.close();
    }
  });
});
