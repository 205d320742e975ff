/**
 * Reminders with real app processes on one Redis and PostgreSQL (own key prefix and schema):
 * two processes both reconciling every second and both running BullMQ workers send a due
 * reminder once; after both are killed with SIGKILL before a reminder is due, a new process
 * sends it once. The reminders run on the real clock, so the test clinic sends them at any hour
 * (window 00:00–24:00) and the appointments are written as a booking leaves them, a day and a
 * few seconds ahead.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CLINIC_FILE } from '../../src/config/clinic.js';
import { startAppProcess, type AppProcess } from '../support/app-process.js';
import { DATABASE_URL, REDIS_URL, removeTestPlace, requirePostgres, requireRedis, uniqueName } from '../support/services.js';

const schema = uniqueName('rem_faults');
const prefix = `test:${schema}`;
let dir: string;
let env: NodeJS.ProcessEnv;
let db: pg.Pool;
const processes: AppProcess[] = [];

beforeAll(async () => {
  await requireRedis();
  await requirePostgres();
  dir = await mkdtemp(path.join(tmpdir(), 'reminder-faults-'));
  const clinic = JSON.parse(await readFile(DEMO_CLINIC_FILE, 'utf8')) as Record<string, unknown>;
  const clinicFile = path.join(dir, 'clinic.json');
  await writeFile(clinicFile, JSON.stringify({ ...clinic, reminders: { enabled: true, offsetsMinutes: [1440], sendWindow: { from: '00:00', to: '24:00' } } }));
  env = {
    REDIS_URL,
    DATABASE_URL,
    DATABASE_SCHEMA: schema,
    REDIS_KEY_PREFIX: prefix,
    APP_ENV: 'test',
    CLINIC_FILE: clinicFile,
    REMINDERS_RECONCILE_SECONDS: '1',
    TURN_LOCK_LEASE_MS: '1500',
  };
  db = new pg.Pool({ connectionString: DATABASE_URL, options: `-c search_path=${schema}`, max: 2 });
}, 60_000);

afterAll(async () => {
  await Promise.all(processes.map((p) => p.stop()));
  await db?.end();
  await removeTestPlace(schema, prefix);
  await rm(dir, { recursive: true, force: true });
});

async function start(): Promise<AppProcess> {
  const started = await startAppProcess(env);
  processes.push(started);
  return started;
}

/** A web chat patient with an appointment whose reminder (24 h before) falls due in `dueInMs`. */
async function seed(doctorId: string, dueInMs: number): Promise<{ conversationId: string; appointmentId: string }> {
  const conversationId = `rem-${randomUUID()}`;
  const [patient] = (await db.query<{ id: string }>("insert into patients (preferred_locale) values ('en') returning id")).rows;
  await db.query("insert into patient_identities (channel, external_id, patient_id) values ('webchat', $1, $2)", [conversationId, patient!.id]);
  const startsAt = new Date(Date.now() + 86_400_000 + dueInMs);
  const [appointment] = (
    await db.query<{ id: string }>(
      `insert into appointments (patient_id, doctor_id, service_id, starts_at, ends_at, booked_channel, booked_conversation_id, time_set_at)
       values ($1, $2, 'consultation', $3, $4, 'webchat', $5, now()) returning id`,
      [patient!.id, doctorId, startsAt, new Date(startsAt.getTime() + 30 * 60_000), conversationId],
    )
  ).rows;
  return { conversationId, appointmentId: appointment!.id };
}

async function traces(appointmentId: string): Promise<{ reminders: number; outbox: number; audit: number }> {
  const count = async (sql: string) => Number((await db.query<{ n: string }>(sql, [appointmentId])).rows[0]?.n);
  return {
    reminders: await count('select count(*) as n from appointment_reminders where appointment_id = $1'),
    outbox: await count("select count(*) as n from outbox where delivery_id like 'reminder:' || $1 || ':%'"),
    audit: await count("select count(*) as n from audit_log where action = 'reminder.sent' and details->>'appointmentId' = $1"),
  };
}

/** What a web chat page connected to `app` receives for the conversation (Server-Sent Events). */
function listen(app: AppProcess, conversationId: string): { texts: string[]; close(): void } {
  const controller = new AbortController();
  const texts: string[] = [];
  void (async () => {
    try {
      const response = await fetch(`${app.url}/api/webchat/events?conversationId=${conversationId}`, { signal: controller.signal });
      const reader = response.body?.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      for (;;) {
        const chunk = await reader?.read();
        if (!chunk || chunk.done) break;
        buffer += decoder.decode(chunk.value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = frame.split('\n').find((line) => line.startsWith('data: '));
          if (frame.includes('event: outbound') && data) texts.push(...(JSON.parse(data.slice(6)) as { replies: { text: string }[] }).replies.map((r) => r.text));
        }
      }
    } catch {
      // closed
    }
  })();
  return { texts, close: () => controller.abort() };
}

async function until(check: () => Promise<boolean>, what: string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

describe('reminders across real processes', () => {
  it('two processes, each reconciling every second and running the queue, send a due reminder once', { timeout: 90_000 }, async () => {
    const [first, second] = await Promise.all([start(), start()]);
    const { conversationId, appointmentId } = await seed('dr-dan', 3_000);
    const page = listen(first!, conversationId);
    await until(async () => (await traces(appointmentId)).reminders > 0 && page.texts.length > 0, 'the reminder');
    // Both keep reconciling and running their workers for a while: nothing more may be sent.
    await sleep(3_000);
    page.close();
    expect(await traces(appointmentId)).toEqual({ reminders: 1, outbox: 1, audit: 1 });
    expect(page.texts).toHaveLength(1);
    expect(page.texts[0]).toMatch(/^Reminder from Smile Dental Clinic: you have Consultation with Dr\. Dan Cohen/);
    expect(second!.output()).not.toMatch(/"level":(50|60)/);
  });

  it('killed with SIGKILL before a reminder is due, the processes are replaced and the new one sends it once', { timeout: 90_000 }, async () => {
    const { conversationId, appointmentId } = await seed('dr-ana', 6_000);
    // Both running processes (from the test above) have scheduled it by now.
    await sleep(1_500);
    for (const running of processes.splice(0)) {
      running.kill('SIGKILL');
      await running.exited;
    }
    expect(await traces(appointmentId)).toEqual({ reminders: 0, outbox: 0, audit: 0 });
    const replacement = await start();
    const page = listen(replacement, conversationId);
    await until(async () => (await traces(appointmentId)).reminders > 0 && page.texts.length > 0, 'the reminder after the restart');
    await sleep(2_000);
    page.close();
    expect(await traces(appointmentId)).toEqual({ reminders: 1, outbox: 1, audit: 1 });
    expect(page.texts).toHaveLength(1);
  });
});
