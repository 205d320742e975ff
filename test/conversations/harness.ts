import { randomUUID } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { expect } from 'vitest';
import type { StateValue } from 'xstate';
import { createRuntime, type Runtime } from '../../src/app.js';
import { stateName } from '../../src/conversation/state-name.js';
import type { RenderedReply } from '../../src/core/messages.js';
import { conversationKeyString } from '../../src/core/messages.js';
import { DATABASE_URL, REDIS_URL, removeTestPlace, uniqueName } from '../support/services.js';
import { replyLanguage } from '../support/language.js';
import type { ConversationScript } from './script.js';

/** One script against a fresh runtime on the real Redis and PostgreSQL (own key prefix and schema). */
export class ScriptHarness {
  private constructor(
    readonly runtime: Runtime,
    private readonly schema: string,
    private readonly prefix: string,
    private readonly clock: { now: Date },
  ) {}

  /** `env` adds to or overrides the test environment, e.g. OPENAI_BASE_URL for a scripted model. */
  static async open(nowIso: string, env: Record<string, string> = {}): Promise<ScriptHarness> {
    const schema = uniqueName('conv');
    const prefix = `test:${schema}`;
    const clock = { now: new Date(nowIso) };
    const runtime = await createRuntime(
      {
        REDIS_URL,
        DATABASE_URL,
        DATABASE_SCHEMA: schema,
        REDIS_KEY_PREFIX: prefix,
        LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
        APP_ENV: 'test',
        // Tests must not depend on wall-clock speed: a loaded CI machine may be slow, never wrong.
        TURN_TIMEOUT_MS: '120000',
        ...env,
      },
      { now: () => clock.now, watchLocales: false },
    );
    return new ScriptHarness(runtime, schema, prefix, clock);
  }

  get schemaName(): string {
    return this.schema;
  }

  get keyPrefix(): string {
    return this.prefix;
  }

  get currentTime(): Date {
    return this.clock.now;
  }

  advance(minutes: number): void {
    this.clock.now = new Date(this.clock.now.getTime() + minutes * 60_000);
  }

  async close(): Promise<void> {
    await this.runtime.close();
    await removeTestPlace(this.schema, this.prefix);
  }

  async query<R extends object>(sql: string, params: unknown[] = []): Promise<R[]> {
    const client = new pg.Client({ connectionString: DATABASE_URL });
    await client.connect();
    try {
      await client.query(`set search_path to ${this.schema}`);
      return (await client.query<R>(sql, params)).rows;
    } finally {
      await client.end();
    }
  }
}

/** The catalog file of a script's clinic (the demo clinic is the app's default). */
export function clinicFileOf(script: Pick<ConversationScript, 'clinic'>): string | undefined {
  return script.clinic === 'family' ? path.join(import.meta.dirname, '../fixtures/family-clinic.json') : undefined;
}

export async function runScript(script: ConversationScript, env: Record<string, string> = {}): Promise<void> {
  const clinicFile = clinicFileOf(script);
  const harness = await ScriptHarness.open(script.now, { ...(clinicFile ? { CLINIC_FILE: clinicFile } : {}), ...env });
  const conversationId = `script-${randomUUID()}`;
  try {
    const { records, clinic } = harness.runtime;
    const patient = await records.patients.findOrCreateByIdentity({ channel: 'webchat', externalId: conversationId }, {});
    const seed = async (patientId: string, a: ConversationScript['setup']['appointments'][number]) => {
      const minutes = a.minutes ?? clinic.services.find((s) => s.id === a.serviceId)?.durationMinutes ?? 30;
      const startsAt = new Date(a.startsAt);
      await records.appointments.create({
        patientId,
        doctorId: a.doctorId,
        serviceId: a.serviceId,
        startsAt,
        endsAt: new Date(startsAt.getTime() + minutes * 60_000),
      });
    };
    for (const a of script.setup.appointments) await seed(patient.id, a);
    if (script.setup.otherBookings.length > 0) {
      const other = await records.patients.findOrCreateByIdentity({ channel: 'webchat', externalId: `other-${conversationId}` }, {});
      for (const a of script.setup.otherBookings) await seed(other.id, a);
    }

    for (const [index, turn] of script.turns.entries()) {
      if (turn.afterMinutes) harness.advance(turn.afterMinutes);
      const replies = await harness.runtime.assistant.handle({
        channel: 'webchat',
        conversationId,
        senderId: conversationId,
        messageId: randomUUID(),
        text: turn.say,
        ...(script.localeHint ? { localeHint: script.localeHint } : {}),
        at: new Date(),
      });
      const where = `${script.name}, turn ${index + 1} ("${turn.say}")`;
      checkReplies(replies, turn.expect, where);
      if (turn.expect.state) expect(await currentState(harness, conversationId), `${where}: state`).toBe(turn.expect.state);
    }

    const where = `${script.name}, at the end`;
    expect(await currentState(harness, conversationId), `${where}: state`).toBe(script.final.state);
    await checkDatabase(harness, script, patient.id, where);
    await checkCleared(harness, conversationId, script.final.cleared, where);
  } finally {
    await harness.close();
  }
}

function checkReplies(replies: RenderedReply[], expected: ConversationScript['turns'][number]['expect'], where: string): void {
  const everything = replies.map((r) => [r.text, ...(r.options ?? []).map((o) => o.label)].join('\n')).join('\n');
  if (expected.replies !== undefined) expect(replies.length, `${where}: number of replies\n${everything}`).toBe(expected.replies);
  else expect(replies.length, `${where}: the bot must answer`).toBeGreaterThan(0);
  if (expected.language) {
    for (const reply of replies) {
      expect(reply.locale, `${where}: reply locale`).toBe(expected.language);
      expect(replyLanguage(reply.text), `${where}: language of "${reply.text}"`).toBe(expected.language);
    }
  }
  for (const needle of expected.contains) {
    expect(everything.toLowerCase(), `${where}: should contain "${needle}"`).toContain(needle.toLowerCase());
  }
  for (const needle of expected.notContains) {
    expect(everything.toLowerCase(), `${where}: should not contain "${needle}"`).not.toContain(needle.toLowerCase());
  }
  if (expected.options !== undefined) {
    const count = replies.reduce((n, r) => n + (r.options?.length ?? 0), 0);
    expect(count, `${where}: options offered\n${everything}`).toBe(expected.options);
  }
}

async function currentState(harness: ScriptHarness, conversationId: string): Promise<string> {
  const { hotStore } = harness.runtime;
  const stored = await hotStore.getConversation(conversationKeyString({ channel: 'webchat', conversationId }));
  if (!stored) return 'idle';
  return stateName((stored.snapshot as { value: StateValue }).value);
}

async function checkDatabase(harness: ScriptHarness, script: ConversationScript, patientId: string, where: string): Promise<void> {
  const { final } = script;
  if (final.appointments) {
    const rows = await harness.query<{ service_id: string; doctor_id: string; status: string; starts_at: Date }>(
      'select service_id, doctor_id, status, starts_at from appointments where patient_id = $1 order by starts_at, created_at',
      [patientId],
    );
    expect(rows.length, `${where}: appointments ${JSON.stringify(rows)}`).toBe(final.appointments.length);
    final.appointments.forEach((want, i) => {
      const row = rows[i];
      expect(row?.status, `${where}: appointment ${i + 1} status`).toBe(want.status);
      if (want.serviceId) expect(row?.service_id, `${where}: appointment ${i + 1} service`).toBe(want.serviceId);
      if (want.doctorId) expect(row?.doctor_id, `${where}: appointment ${i + 1} doctor`).toBe(want.doctorId);
      if (want.startsAt) expect(row?.starts_at.toISOString(), `${where}: appointment ${i + 1} start`).toBe(new Date(want.startsAt).toISOString());
    });
  }
  if (final.escalations) {
    const rows = await harness.query<{ urgency: string; reason: string }>(
      'select urgency, reason from escalations where patient_id = $1 order by created_at',
      [patientId],
    );
    expect(rows.length, `${where}: escalations ${JSON.stringify(rows)}`).toBe(final.escalations.length);
    final.escalations.forEach((want, i) => {
      expect(rows[i]?.urgency, `${where}: escalation urgency`).toBe(want.urgency);
      if (want.reasonStartsWith) expect(rows[i]?.reason.startsWith(want.reasonStartsWith), `${where}: reason ${rows[i]?.reason}`).toBe(true);
    });
  }
  if (final.preferredLocale) {
    const [row] = await harness.query<{ preferred_locale: string }>('select preferred_locale from patients where id = $1', [patientId]);
    expect(row?.preferred_locale, `${where}: preferred language`).toBe(final.preferredLocale);
  }
  if (final.transcriptRows !== undefined) {
    const [row] = await harness.query<{ n: string }>('select count(*) as n from messages where patient_id = $1', [patientId]);
    expect(Number(row?.n), `${where}: transcript rows`).toBe(final.transcriptRows);
  }
}

async function checkCleared(harness: ScriptHarness, conversationId: string, fields: string[], where: string): Promise<void> {
  if (fields.length === 0) return;
  const stored = await harness.runtime.hotStore.getConversation(conversationKeyString({ channel: 'webchat', conversationId }));
  const context = (stored?.snapshot as { context?: Record<string, unknown> } | undefined)?.context ?? {};
  for (const field of fields) {
    const value = context[field];
    const empty = value === null || value === undefined || (Array.isArray(value) && value.length === 0);
    expect(empty, `${where}: context.${field} should be cleared but is ${JSON.stringify(value)}`).toBe(true);
  }
}
