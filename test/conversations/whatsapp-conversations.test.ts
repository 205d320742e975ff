/**
 * Conversation scripts through the WhatsApp channel end to end: a simulated patient's phone
 * sends each line end-to-end encrypted through the fake WhatsApp server to the real Baileys
 * socket, the app answers through the pipeline (offline NLU, real Redis and PostgreSQL), and
 * the patient decrypts the replies. The same YAML scripts as the web chat's, in three
 * languages: a question about a service, booking with a numbered menu and a confirmation, and
 * cancelling. Checked: each reply's language and content, the options offered as a numbered
 * menu, the final state and the appointments in the database.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { StateValue } from 'xstate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.js';
import { stateName } from '../../src/conversation/state-name.js';
import type { Locale } from '../../src/core/locale.js';
import { FakeWhatsApp, type SimulatedPatient } from '../support/fake-whatsapp/server.js';
import { replyLanguage } from '../support/language.js';
import { eventually, linkByQr, whatsappDeployment, type WhatsAppDeployment } from '../support/whatsapp-app.js';
import { scriptSchema, type ConversationScript } from './script.js';

const SCRIPTS_DIR = path.join(import.meta.dirname, 'scripts');
const SCRIPTS = ['ask-service', 'book', 'cancel'];
/** A phone number from a country that speaks the language: WhatsApp's language hint. */
const LANGUAGES: { locale: Locale; countryCode: string }[] = [
  { locale: 'pt', countryCode: '351' },
  { locale: 'ru', countryCode: '7' },
  { locale: 'he', countryCode: '972' },
];
const RLM = '\u200F';
/**
 * The scripts' dates, 28 years on: the same calendar (weekdays included), so their expected
 * "terça, 24/11" still holds, and ahead of the real clock, which the outbox needs (it dates what
 * it records by the database's clock and delivers what is due by the app's).
 */
const YEARS_AHEAD_MS = Date.parse('2054-11-23T00:00:00Z') - Date.parse('2026-11-23T00:00:00Z');
const ahead = (iso: string): Date => new Date(Date.parse(iso) + YEARS_AHEAD_MS);
const MENU_LINE = /^\*(\d+)\.\* /;

function load(locale: Locale, name: string): ConversationScript {
  return scriptSchema.parse(parse(readFileSync(path.join(SCRIPTS_DIR, locale, `${name}.yaml`), 'utf8')));
}

let server: FakeWhatsApp;
let counter = 0;

beforeAll(async () => {
  server = await FakeWhatsApp.start();
});

afterAll(async () => {
  await server?.stop();
});

describe.each(LANGUAGES)('conversation scripts on WhatsApp ($locale)', ({ locale, countryCode }) => {
  // The script's time, running from when it starts: later turns come later.
  const clock = { start: ahead('2026-11-23T09:00:00Z'), startedAt: Date.now() };
  const now = () => new Date(clock.start.getTime() + Date.now() - clock.startedAt);
  let deployment: WhatsAppDeployment;
  let app: RunningApp;

  beforeAll(async () => {
    deployment = await whatsappDeployment(server, `wa_conv_${locale}`);
    app = await deployment.start({ now });
    await linkByQr(app, server);
  });

  afterAll(async () => {
    await app?.stop();
    await deployment?.cleanUp();
  });

  /** Bot transcript lines of the conversation: a turn's replies are recorded in one transaction. */
  async function botLines(lid: string): Promise<number> {
    const [row] = await deployment.query<{ n: number }>("select count(*)::int as n from messages where conversation_id = $1 and author = 'bot'", [lid]);
    return row?.n ?? 0;
  }

  async function say(patient: SimulatedPatient, text: string): Promise<string[]> {
    const before = await botLines(patient.lid);
    await patient.send(text);
    const after = await eventually(`the bot's answer to "${text}"`, async () => {
      const now = await botLines(patient.lid);
      return now > before ? now : undefined;
    });
    const replies: string[] = [];
    for (let i = before; i < after; i += 1) replies.push((await patient.nextReply()).text);
    return replies;
  }

  async function stateOf(lid: string): Promise<string> {
    const stored = await app.runtime.hotStore.getConversation(`whatsapp:${lid}`);
    return stored ? stateName((stored.snapshot as { value: StateValue }).value) : 'idle';
  }

  it.each(SCRIPTS)(`${locale}/%s`, async (name) => {
    const script = load(locale, name);
    clock.start = ahead(script.now);
    clock.startedAt = Date.now();
    counter += 1;
    const patient = server.patient({ lidUser: `7790000000${String(counter).padStart(4, '0')}`, phone: `${countryCode}9100${String(counter).padStart(5, '0')}`, pushName: 'Paciente' });
    const { records, clinic } = app.runtime;
    const record = await records.patients.findOrCreateByIdentity({ channel: 'whatsapp', externalId: patient.lid }, {});
    for (const seed of script.setup.appointments) {
      const startsAt = ahead(seed.startsAt);
      const minutes = seed.minutes ?? clinic.services.find((s) => s.id === seed.serviceId)?.durationMinutes ?? 30;
      await records.appointments.create({ patientId: record.id, doctorId: seed.doctorId, serviceId: seed.serviceId, startsAt, endsAt: new Date(startsAt.getTime() + minutes * 60_000) });
    }

    for (const [index, turn] of script.turns.entries()) {
      if (turn.afterMinutes) clock.start = new Date(clock.start.getTime() + turn.afterMinutes * 60_000);
      const where = `${script.name}, turn ${index + 1} ("${turn.say}")`;
      const replies = await say(patient, turn.say);
      const everything = replies.join('\n');
      const expected = turn.expect;
      if (expected.replies !== undefined) expect(replies.length, `${where}: number of replies\n${everything}`).toBe(expected.replies);
      const language = expected.language ?? script.language;
      for (const reply of replies) {
        expect(replyLanguage(reply.replaceAll(RLM, '')), `${where}: language of "${reply}"`).toBe(language);
        if (language === 'he') expect(reply.split('\n').filter(Boolean).every((line) => line.startsWith(RLM)), `${where}: right to left`).toBe(true);
      }
      for (const needle of expected.contains) expect(everything.toLowerCase(), `${where}: should contain "${needle}"`).toContain(needle.toLowerCase());
      for (const needle of expected.notContains) expect(everything.toLowerCase(), `${where}: should not contain "${needle}"`).not.toContain(needle.toLowerCase());
      if (expected.options !== undefined) {
        const menu = everything.split('\n').map((line) => line.replaceAll(RLM, '')).filter((line) => MENU_LINE.test(line));
        expect(menu.length, `${where}: numbered options\n${everything}`).toBe(expected.options);
        menu.forEach((line, i) => expect(MENU_LINE.exec(line)?.[1]).toBe(String(i + 1)));
      }
      if (expected.state) expect(await stateOf(patient.lid), `${where}: state`).toBe(expected.state);
    }

    expect(await stateOf(patient.lid), `${script.name}: final state`).toBe(script.final.state);
    if (script.final.appointments) {
      const rows = await deployment.query<{ service_id: string; doctor_id: string; status: string; starts_at: Date }>(
        'select service_id, doctor_id, status, starts_at from appointments where patient_id = $1 order by starts_at',
        [record.id],
      );
      expect(
        rows.map((row) => ({ serviceId: row.service_id, doctorId: row.doctor_id, status: row.status, startsAt: row.starts_at.toISOString() })),
        `${script.name}: appointments`,
      ).toEqual(script.final.appointments.map((a) => ({ serviceId: a.serviceId, doctorId: a.doctorId, status: a.status, startsAt: ahead(a.startsAt ?? '').toISOString() })));
    }
    if (script.final.preferredLocale) {
      const [row] = await deployment.query<{ preferred_locale: string }>('select preferred_locale from patients where id = $1', [record.id]);
      expect(row?.preferred_locale).toBe(script.final.preferredLocale);
    }
  });
});
