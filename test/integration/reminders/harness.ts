/**
 * Runtimes for the reminder tests on the real Redis (BullMQ) and PostgreSQL, with a clock the
 * test sets: the app's time runs on from wherever the test puts it (so a reminder computed for
 * "in 1.5 s" really fires 1.5 s later, as a BullMQ delayed job), and the clinic's reminder
 * settings are the test's.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { DateTime } from 'luxon';
import type { StateValue } from 'xstate';
import { stateName } from '../../../src/conversation/state-name.js';
import { createRuntime, type Runtime } from '../../../src/app.js';
import { DEMO_CLINIC_FILE } from '../../../src/config/clinic.js';
import type { RemindersSettings } from '../../../src/config/catalog-schema.js';
import type { ChannelName, RenderedReply } from '../../../src/core/messages.js';
import type { OutgoingMessage } from '../../../src/core/ports/live-events.js';
import { DATABASE_URL, REDIS_URL, removeTestPlace, uniqueName } from '../../support/services.js';

export { eventually } from '../escalation/follow-up-harness.js';

export const ZONE = 'Europe/Lisbon';

/** The app's clock: real time shifted to where the test wants it. */
export class TestClock {
  private shiftMs = 0;
  readonly now = (): Date => new Date(Date.now() + this.shiftMs);
  set(at: Date): void {
    this.shiftMs = at.getTime() - Date.now();
  }
}

/** A Monday at least a week ahead, at `time` Lisbon time, `weeks` weeks later. */
export function mondayAt(time: string, weeks = 0): Date {
  const [hour = 0, minute = 0, second = 0] = time.split(':').map(Number);
  const monday = DateTime.now().setZone(ZONE).plus({ weeks: 1 + weeks }).startOf('week');
  return monday.set({ hour, minute, second: Math.floor(second), millisecond: Math.round((second % 1) * 1000) }).toJSDate();
}

export interface Deployment {
  clock: TestClock;
  schema: string;
  prefix: string;
  db: pg.Pool;
  /** A process of the app on this deployment's stores (call again for a "restart" or a second one). */
  start(env?: Record<string, string>): Promise<Runtime>;
  stop(runtime: Runtime): Promise<void>;
  cleanup(): Promise<void>;
}

/**
 * `embedded`: the embedded default instead (in-process timers, PGlite under a temporary
 * DATA_DIR; one process at a time, and `db` is not available).
 */
export async function openDeployment(reminders: Partial<RemindersSettings> = {}, options: { embedded?: boolean } = {}): Promise<Deployment> {
  const dir = await mkdtemp(path.join(tmpdir(), 'reminders-'));
  const clinic = JSON.parse(await readFile(DEMO_CLINIC_FILE, 'utf8')) as Record<string, unknown> & { reminders: RemindersSettings };
  const clinicFile = path.join(dir, 'clinic.json');
  await writeFile(clinicFile, JSON.stringify({ ...clinic, reminders: { ...clinic.reminders, ...reminders } }));
  const schema = uniqueName('reminders');
  const prefix = `test:${schema}`;
  const clock = new TestClock();
  const started: Runtime[] = [];
  const db = new pg.Pool({ connectionString: DATABASE_URL, options: `-c search_path=${schema}`, max: 2 });
  return {
    clock,
    schema,
    prefix,
    db,
    async start(env = {}) {
      const runtime = await createRuntime(
        {
          ...(options.embedded
            ? { REDIS_URL: '', DATABASE_URL: '', DATA_DIR: dir }
            : { REDIS_URL, DATABASE_URL, DATABASE_SCHEMA: schema, REDIS_KEY_PREFIX: prefix }),
          CLINIC_FILE: clinicFile,
          APP_ENV: 'test',
          LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
          TURN_TIMEOUT_MS: '120000',
          ...env,
        },
        { watchLocales: false, now: clock.now },
      );
      started.push(runtime);
      return runtime;
    },
    async stop(runtime) {
      const index = started.indexOf(runtime);
      if (index >= 0) started.splice(index, 1);
      await runtime.close();
    },
    async cleanup() {
      for (const runtime of started.splice(0)) await runtime.close();
      await db.end();
      if (options.embedded) {
        await rm(dir, { recursive: true, force: true });
        return;
      }
      await removeTestPlace(schema, prefix);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A patient writing in a conversation (web chat unless said otherwise). */
export function patient(runtime: Runtime, conversationId = `rem-${randomUUID()}`, channel: ChannelName = 'webchat') {
  const pushed: OutgoingMessage[] = [];
  runtime.liveEvents.subscribe((event) => {
    if (event.type === 'outbound' && event.channel === channel && event.conversationId === conversationId) pushed.push(event.message);
  });
  return {
    conversationId,
    channel,
    /** What reached the patient's live connection outside their own turns (reminders). */
    pushed,
    say(text: string, clock: () => Date = () => new Date()): Promise<RenderedReply[]> {
      return runtime.assistant.handle({ channel, conversationId, senderId: conversationId, messageId: randomUUID(), text, at: clock() });
    },
  };
}

export interface AppointmentRow {
  id: string;
  status: string;
  starts_at: Date;
  time_set_at: Date;
  booked_channel: string | null;
  booked_conversation_id: string | null;
}

export async function appointmentsOf(db: pg.Pool, conversationId: string): Promise<AppointmentRow[]> {
  const { rows } = await db.query<AppointmentRow>(
    `select id, status, starts_at, time_set_at, booked_channel, booked_conversation_id
       from appointments where booked_conversation_id = $1 order by created_at`,
    [conversationId],
  );
  return rows;
}

export interface ReminderRow {
  appointment_id: string;
  offset_minutes: string;
  starts_at: Date;
  mode: string;
  status: string;
  outcome: string | null;
  failure: string | null;
  sent_at: Date;
}

export async function remindersOf(db: pg.Pool, appointmentId: string): Promise<ReminderRow[]> {
  const { rows } = await db.query<ReminderRow>(
    'select appointment_id, offset_minutes, starts_at, mode, status, outcome, failure, sent_at from appointment_reminders where appointment_id = $1 order by sent_at',
    [appointmentId],
  );
  return rows;
}

/** The BullMQ reminder jobs of this deployment that are still waiting: their ids and when they run (real time). */
export async function delayedReminderJobs(prefix: string): Promise<{ id: string; runAt: number }[]> {
  const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue('reminders', { connection, prefix: `${prefix}:bull` });
  try {
    const jobs = await queue.getDelayed();
    return jobs.map((job) => ({ id: job.id ?? '', runAt: job.timestamp + (job.opts.delay ?? 0) }));
  } finally {
    await queue.close();
    connection.disconnect();
  }
}

/** The conversation's committed state, as the database holds it ("idle" when none). */
export async function committedState(runtime: Runtime, channel: ChannelName, conversationId: string): Promise<string> {
  const stored = await runtime.records.conversations.load({ channel, conversationId });
  if (!stored) return 'idle';
  return stateName((stored.snapshot as { value: StateValue }).value);
}

/**
 * Books through the chat so that the appointment's reminder falls due `leadMs` after the
 * booking is confirmed: the first time offered for `request` is looked up in a throwaway
 * conversation, then the clock is put `offsetMinutes` (plus `leadMs`) before it for the real
 * booking. Returns the appointment's start.
 */
export async function bookDueSoon(
  deployment: Deployment,
  chat: ReturnType<typeof patient>,
  runtime: Runtime,
  lines: { request: string; yes: string },
  options: { day: Date; offsetMinutes?: number; leadMs?: number },
): Promise<Date> {
  const offsetMs = (options.offsetMinutes ?? 24 * 60) * 60_000;
  deployment.clock.set(options.day);
  const probe = await patient(runtime, `probe-${randomUUID()}`).say(lines.request, deployment.clock.now);
  const first = probe.flatMap((reply) => reply.options ?? [])[0];
  if (!first) throw new Error(`no times offered for "${lines.request}": ${probe.map((r) => r.text).join(' | ')}`);
  const startsAt = new Date(first.id.slice(first.id.indexOf('@') + 1));
  deployment.clock.set(new Date(startsAt.getTime() - offsetMs - 60_000));
  await chat.say(lines.request, deployment.clock.now);
  await chat.say('1', deployment.clock.now);
  deployment.clock.set(new Date(startsAt.getTime() - offsetMs - (options.leadMs ?? 1_500)));
  await chat.say(lines.yes, deployment.clock.now);
  return startsAt;
}
