/**
 * Composition root: config → stores → services → channels → server. The only file that
 * knows every room; everything else is handed what it needs.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { DestinationStream } from 'pino';
import { loadClinic } from './config/clinic.js';
import { parseEnv, type Env } from './config/env.js';
import { teamsSettingsFromEnv, type TeamsSettings } from './config/teams.js';
import type { Assistant } from './core/ports/assistant.js';
import type { HotStore } from './core/ports/hot-store.js';
import type { ConversationControl } from './core/ports/conversation-control.js';
import type { FollowUpScheduler } from './core/ports/follow-up-scheduler.js';
import type { ReminderScheduler } from './core/ports/reminders.js';
import type { LiveEvents } from './core/ports/live-events.js';
import type { Patient, PatientIdentity, Records } from './core/ports/records.js';
import type { Leases } from './core/ports/leases.js';
import type { WhatsAppLink } from './core/ports/whatsapp-link.js';
import type { WhatsAppAuthRepository, WhatsAppSentLog } from './core/ports/whatsapp-state.js';
import { conversationKeyString } from './core/messages.js';
import { whatsappIdCandidates, whatsappUser } from './channels/whatsapp/external-ids.js';
import { erasePatient, purgeExpired, purgeTranscriptsOlderThan, type ErasureResult, type ExpiryCutoffs } from './db/privacy.js';
import { scheduleTranscriptRetention } from './privacy/retention.js';
import type { Clinic } from './config/catalog-schema.js';
import { createBookingService } from './booking/booking-service.js';
import { createEscalationService } from './escalation/escalation-service.js';
import { createFollowUps } from './escalation/follow-ups.js';
import { createDefaultOutbound, type OutboundRegistry } from './channels/outbound.js';
import { createConversationEngine } from './conversation/engine.js';
import { createPipeline, type Pipeline } from './pipeline/pipeline.js';
import { createTranslator, type Translator } from './i18n/i18n.js';
import { createRenderer } from './i18n/render.js';
import { defaultLocalesDir } from './i18n/locales-dir.js';
import { watchLocales } from './i18n/watch.js';
import { createNlu, loadNluLexicons, type Nlu } from './nlu/index.js';
import { openDatabase, type OpenDatabaseOptions } from './db/open.js';
import { createRecords } from './db/records.js';
import { createWhatsAppAuthRepository } from './db/queries/whatsapp-auth.js';
import { createWhatsAppSentLog } from './db/queries/whatsapp-sent.js';
import { MemoryHotStore } from './store/memory-hot-store.js';
import { RedisHotStore } from './store/redis-hot-store.js';
import { createStoreKeys, type StoreKeys } from './store/keys.js';
import { MemoryLiveEvents } from './store/live-events-memory.js';
import { RedisLiveEvents } from './store/live-events-redis.js';
import { TimerFollowUpScheduler } from './store/follow-up-queue.js';
import { TimerReminderScheduler } from './store/reminder-queue.js';
import { createReminders, scheduleReconciliation, type Reminders } from './reminders/reminders.js';
import { createReminderBoard } from './reminders/board.js';
import { MemoryLeases } from './store/memory-leases.js';
import { RedisLeases } from './store/redis-leases.js';
import { createHttpServer } from './http/server.js';
import { registerWebchat } from './channels/webchat/routes.js';
import { registerWebchatEvents } from './channels/webchat/events.js';
import { registerWebchatStaffReplies, type StoredStaffReply } from './channels/webchat/staff-replies.js';
import { registerStaffConsole } from './staff/routes.js';
import { createStaffDesk } from './escalation/staff-desk.js';
import { createLogger, type Logger } from './observability/logger.js';
import { collectProcessMetrics, createMetrics, type Metrics } from './observability/metrics.js';
import { modelSettingsFromEnv, type ModelSettings } from './agents/settings.js';
import type { Interpreter } from './conversation/interpreter.js';
import type { TeamsChannel } from './channels/teams/index.js';

export interface Runtime {
  env: Env;
  /** Null unless TEAMS_ENABLED is true. */
  teams: TeamsSettings | null;
  clinic: Clinic;
  logger: Logger;
  assistant: Assistant;
  pipeline: Pipeline;
  hotStore: HotStore;
  records: Records;
  translator: Translator;
  privacy: PrivacyOperations;
  /** Model calls, tokens, latency, tool refusals, fast-path turns; served at GET /metrics. */
  metrics: Metrics;
  /** Escalation changes, live transcript lines and pushes to patients, across every process. */
  liveEvents: LiveEvents;
  /** Delivers staff replies, notices and pushed replies from the outbox on each conversation's channel. */
  outbound: OutboundRegistry;
  /** Claim and hand back, serialized with the patient's own messages. */
  conversationControl: ConversationControl;
  /** Appointment reminders: scheduling, the due jobs, reconciliation. */
  reminders: Reminders;
  /** The linked WhatsApp number's credentials and sent log (used only when WhatsApp is enabled). */
  whatsappState: { auth: WhatsAppAuthRepository; sent: WhatsAppSentLog };
  close(): Promise<void>;
}

/** A running WhatsApp channel, as the server and the tools see it. */
export interface WhatsAppHandle extends WhatsAppLink {
  readinessDetail(): { state: string; holdsLease: boolean };
  stop(): Promise<void>;
}

export interface PrivacyOperations {
  /** Erases a patient's data in the database and their conversations' hot state; null if unknown. */
  erasePatientByIdentity(identity: PatientIdentity): Promise<ErasureResult | null>;
  purgeOldTranscripts(): Promise<number>;
}

export interface RunningApp {
  url: string;
  runtime: Runtime;
  server: FastifyInstance;
  /** The WhatsApp channel, when WHATSAPP_ENABLED. */
  whatsapp: WhatsAppHandle | null;
  stop(): Promise<void>;
}

export interface RuntimeOptions {
  /** Fixed clock for tests and the benchmark. */
  now?: () => Date;
  /** Watch locales/ and reload on change (default on). */
  watchLocales?: boolean;
  localesDir?: string;
  /** Write logs to stderr (the terminal chat keeps stdout for the conversation). */
  logToStderr?: boolean;
  /** Where log lines go instead (tests that check what is logged). */
  logStream?: DestinationStream;
  /** How this process names itself in leases (tests running several "processes" in one). */
  holderId?: string;
}

/** Where the system of record is, from the environment (also used by the command-line tools). */
export function databaseOptions(env: Env): OpenDatabaseOptions {
  return {
    databaseUrl: env.DATABASE_URL,
    dataDir: path.join(env.DATA_DIR, 'pglite'),
    postgres: {
      poolSize: env.DATABASE_POOL_SIZE,
      ...(env.DATABASE_SCHEMA ? { schema: env.DATABASE_SCHEMA } : {}),
      timeouts: {
        connectMs: env.DATABASE_CONNECT_TIMEOUT_MS,
        poolWaitMs: env.DATABASE_POOL_WAIT_MS,
        queryMs: env.DATABASE_QUERY_TIMEOUT_MS,
        statementMs: env.DATABASE_STATEMENT_TIMEOUT_MS,
      },
    },
  };
}

export async function createRuntime(source: NodeJS.ProcessEnv, options: RuntimeOptions = {}): Promise<Runtime> {
  const env = parseEnv(source);
  // Null without OPENAI_API_KEY / OPENAI_BASE_URL: then no model object exists and the offline NLU runs as before.
  const modelSettings = modelSettingsFromEnv(env);
  const teams = teamsSettingsFromEnv(env);
  const logger = createLogger({ level: env.LOG_LEVEL, redact: env.LOG_REDACT, toStderr: options.logToStderr ?? false }, options.logStream);
  const metrics = createMetrics();
  const loaded = await loadClinic(env.CLINIC_FILE);
  const clinic: Clinic = env.DEFAULT_LOCALE ? { ...loaded, defaultLocale: env.DEFAULT_LOCALE } : loaded;
  const localesDir = options.localesDir ?? defaultLocalesDir();
  const now = options.now ?? (() => new Date());

  const hotStore = createHotStore(env, logger);
  const closers: (() => Promise<void>)[] = [() => hotStore.close()];
  try {
    const liveEvents = await createLiveEvents(env, logger);
    closers.unshift(() => liveEvents.close());
    const { db, applied } = await openDatabase(databaseOptions(env));
    closers.unshift(() => db.close());
    if (applied.length > 0) logger.info({ applied }, 'database migrated');
    const records = createRecords(db);
    const whatsappAuth = createWhatsAppAuthRepository(db);
    const outbound = createDefaultOutbound({
      records,
      liveEvents,
      log: logger,
      recordDelivery: (channel, outcome) => metrics.recordDelivery(channel, outcome),
    });
    closers.unshift(() => outbound.close());

    const translator = await createTranslator(localesDir);
    let nlu: Nlu = createNlu(clinic, await loadNluLexicons(localesDir));
    if (options.watchLocales ?? true) {
      const watcher = watchLocales(
        localesDir,
        async () => {
          await translator.reload();
          nlu = createNlu(clinic, await loadNluLexicons(localesDir));
          logger.info('locale files reloaded');
        },
        (error) => logger.error({ err: error }, 'locale files not reloaded; keeping the previous ones'),
      );
      closers.unshift(async () => watcher.close());
    }

    const retention = scheduleTranscriptRetention({
      retentionDays: env.TRANSCRIPT_RETENTION_DAYS,
      purgeOlderThan: async (cutoff) => {
        const expired = await purgeExpired(db, expiryCutoffs(env, now()));
        if (expired.answers + expired.states + expired.deliveries > 0) logger.info(expired, 'expired answers, states and deliveries purged');
        return purgeTranscriptsOlderThan(db, cutoff);
      },
      now,
      logger,
    });
    closers.unshift(async () => retention.stop());
    const privacy: PrivacyOperations = {
      async erasePatientByIdentity(identity) {
        // A WhatsApp patient may be named by LID or by phone number, written any usual way.
        const candidates = identity.channel === 'whatsapp' ? whatsappIdCandidates(identity.externalId) : [identity.externalId];
        let patient: Patient | null = null;
        for (const externalId of candidates) {
          patient ??= await records.patients.findByIdentity({ channel: identity.channel, externalId });
        }
        if (!patient) return null;
        const result = await erasePatient(db, patient.id);
        for (const conversation of result?.conversations ?? []) {
          await hotStore.deleteConversation(conversationKeyString(conversation));
        }
        // Their jobs would find the appointments gone when they fire; better they never fire.
        for (const appointment of result?.appointments ?? []) await reminders.drop(appointment);
        // The linked number's signal keys know the patient too (sessions, LID ↔ phone number).
        const whatsappUsers = (result?.identities ?? [])
          .filter((erased) => erased.channel === 'whatsapp')
          .map((erased) => whatsappUser(erased.externalId))
          .filter((user): user is string => user !== null);
        if (whatsappUsers.length > 0) await whatsappAuth.forgetContacts(env.WHATSAPP_ACCOUNT, whatsappUsers);
        return result;
      },
      purgeOldTranscripts: () => retention.runOnce(),
    };

    const schedulers = await createSchedulers(env, logger);
    closers.unshift(() => schedulers.followUps.close(), () => schedulers.reminders.close());
    const reminderScheduler = schedulers.reminders;
    const reminders = createReminders({
      clinic,
      records,
      scheduler: reminderScheduler,
      // The pipeline is built below; a reminder only fires once the runtime has started.
      control: { remind: (conversation, reminder, change) => pipeline.remind(conversation, reminder, change) },
      recordReminder: (outcome) => metrics.recordReminder(outcome),
      log: logger,
      now,
    });
    outbound.onDeliveryFailed(({ deliveryId, reason }) => reminders.deliveryFailed(deliveryId, reason));
    const booking = createBookingService({ clinic, now, reminders });
    const renderer = createRenderer(translator, clinic);
    const scheduler = schedulers.followUps;
    const followUps = createFollowUps({ clinic, records, hotStore, renderer, liveEvents, outbox: outbound, scheduler, log: logger, now });
    const escalation = createEscalationService({ clinic, liveEvents, followUps, log: logger });
    const pipeline = createPipeline({
      settings: {
        maxMessageLength: env.MAX_MESSAGE_LENGTH,
        rateLimitMax: env.RATE_LIMIT_MAX,
        rateLimitWindowSeconds: env.RATE_LIMIT_WINDOW_SECONDS,
        addressRateLimitMax: env.RATE_LIMIT_ADDRESS_MAX,
        inactivityMinutes: env.INACTIVITY_MINUTES,
        turnTimeoutMs: env.TURN_TIMEOUT_MS,
        lockLeaseMs: env.TURN_LOCK_LEASE_MS,
      },
      clinic,
      hotStore,
      records,
      nlu: () => nlu,
      renderer,
      engine: createConversationEngine({ booking, escalation }),
      logger,
      now,
      liveEvents,
      outbox: outbound,
      recordMessage: (channel, outcome) => metrics.recordMessage(channel, outcome),
      ...(modelSettings ? { interpreter: await modelInterpreter(modelSettings, { clinic, metrics, logger }) } : {}),
    });
    closers.unshift(() => pipeline.drain());
    scheduler.start((job) => followUps.fire(job));
    reminderScheduler.start((job) => reminders.fire(job));
    const reconciliation = scheduleReconciliation({ reconcile: () => reminders.reconcile(), intervalMs: env.REMINDERS_RECONCILE_SECONDS * 1000, log: logger });
    closers.unshift(async () => reconciliation.stop());
    outbound.start();
    return {
      env,
      teams,
      clinic,
      logger,
      assistant: pipeline,
      pipeline,
      hotStore,
      records,
      translator,
      privacy,
      metrics,
      liveEvents,
      outbound,
      conversationControl: pipeline,
      reminders,
      whatsappState: { auth: whatsappAuth, sent: createWhatsAppSentLog(db) },
      close: () => runAll(closers),
    };
  } catch (error) {
    await runAll(closers);
    throw error;
  }
}

/** Finished deliveries are kept this long for the record (and for staff to see what failed). */
const DELIVERY_RECORD_DAYS = 30;

/** Answers are kept as long as a redelivery is expected, states as long as the hot store keeps them. */
function expiryCutoffs(env: Env, now: Date): ExpiryCutoffs {
  const before = (ms: number) => new Date(now.getTime() - ms);
  return {
    answersBefore: before(env.DEDUP_TTL_SECONDS * 1000),
    statesBefore: before(env.CONVERSATION_TTL_DAYS * 86_400_000),
    deliveryRecordDays: DELIVERY_RECORD_DAYS,
  };
}

function createHotStore(env: Env, logger: Logger): HotStore {
  const ttl = { conversationTtlSeconds: env.CONVERSATION_TTL_DAYS * 86_400, seenTtlSeconds: env.DEDUP_TTL_SECONDS };
  if (!env.REDIS_URL) return new MemoryHotStore(ttl);
  return RedisHotStore.connect(env.REDIS_URL, {
    ...ttl,
    // Fail a command within seconds when Redis is down or hangs: the patient gets "temporarily
    // unavailable" instead of a reply that never comes.
    // Commands issued in one tick (a thousand patients' turns) leave in one write.
    redisOptions: { maxRetriesPerRequest: 2, connectTimeout: 2_000, commandTimeout: env.REDIS_COMMAND_TIMEOUT_MS, enableAutoPipelining: true },
    keys: storeKeys(env),
    onError: (error) => logger.warn({ err: error }, 'redis connection error'),
  });
}

function storeKeys(env: Env): StoreKeys {
  return createStoreKeys(env.REDIS_KEY_PREFIX ?? `cab:${env.APP_ENV}`);
}

/** How long start-up waits for the live-events subscription before going on without it. */
const LIVE_EVENTS_READY_MS = 2_000;

async function createLiveEvents(env: Env, logger: Logger): Promise<LiveEvents> {
  const onListenerFailure = (error: unknown): void => logger.error({ err: error }, 'live event listener failed');
  if (!env.REDIS_URL) return new MemoryLiveEvents(onListenerFailure);
  const live = new RedisLiveEvents({
    url: env.REDIS_URL,
    keys: storeKeys(env),
    redisOptions: { maxRetriesPerRequest: 2, connectTimeout: 2_000 },
    onError: (error) => logger.warn({ err: error }, 'redis live events connection error'),
    onMalformed: (reason) => logger.warn({ reason }, 'malformed live event dropped'),
    onListenerFailure,
  });
  // Redis down at start-up must not stop the app: the subscription completes when it is back.
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), LIVE_EVENTS_READY_MS);
  });
  const outcome = await Promise.race([live.ready().then(() => 'ready' as const, () => 'failed' as const), timeout]);
  clearTimeout(timer);
  if (outcome !== 'ready') logger.warn({ outcome }, 'live events not subscribed yet; continuing');
  return live;
}

/** The delayed-job queues: BullMQ on Redis (loaded only then), timers in the process otherwise. */
async function createSchedulers(env: Env, logger: Logger): Promise<{ followUps: FollowUpScheduler; reminders: ReminderScheduler }> {
  const failed = (what: string) => (error: unknown, jobId: string | undefined) => logger.error({ err: error, jobId }, `${what} job failed`);
  if (!env.REDIS_URL) {
    return {
      followUps: new TimerFollowUpScheduler({ onJobFailure: failed('follow-up') }),
      reminders: new TimerReminderScheduler({ onJobFailure: failed('reminder') }),
    };
  }
  const { BullFollowUpScheduler, BullReminderScheduler } = await import('./store/bull-schedulers.js');
  const options = (what: string) => ({
    url: env.REDIS_URL ?? '',
    keys: storeKeys(env),
    redisOptions: { connectTimeout: 2_000 },
    onError: (error: Error) => logger.warn({ err: error }, `redis ${what} queue error`),
    onJobFailure: failed(what),
  });
  return { followUps: new BullFollowUpScheduler(options('follow-up')), reminders: new BullReminderScheduler(options('reminder')) };
}

/** Identifies this process in leases and in the WhatsApp status the console shows. */
function processHolderId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

/**
 * Starts the WhatsApp channel for a runtime. Loaded only when WHATSAPP_ENABLED: otherwise
 * nothing of Baileys is imported. Every process runs it; the lease decides which one holds the
 * number's socket.
 */
export async function startWhatsApp(runtime: Runtime, options: { holderId?: string } = {}): Promise<WhatsAppHandle> {
  const { env, logger } = runtime;
  const [{ startWhatsAppChannel }, { whatsappSettings }] = await Promise.all([
    import('./channels/whatsapp/channel.js'),
    import('./channels/whatsapp/settings.js'),
  ]);
  const leases: Leases & { close?: () => Promise<void> } = env.REDIS_URL
    ? RedisLeases.connect(env.REDIS_URL, storeKeys(env), {
        redisOptions: { maxRetriesPerRequest: 1, connectTimeout: 2_000 },
        onError: (error) => logger.warn({ err: error }, 'redis leases connection error'),
      })
    : new MemoryLeases();
  const channel = await startWhatsAppChannel({
    settings: whatsappSettings(env),
    holderId: options.holderId ?? processHolderId(),
    assistant: runtime.assistant,
    conversationControl: runtime.conversationControl,
    patients: runtime.records.patients,
    audit: runtime.records.audit,
    outbound: runtime.outbound,
    liveEvents: runtime.liveEvents,
    leases,
    authRepository: runtime.whatsappState.auth,
    sentLog: runtime.whatsappState.sent,
    // The web chat's "Clinic staff" label, so a staff reply reads the same on every channel.
    staffLabel: (reply) => runtime.translator.t(reply.locale, 'staff', {}, 'webchat'),
    registry: runtime.metrics.registry,
    logger,
  });
  return {
    ...channel,
    async stop() {
      await channel.stop();
      await leases.close?.();
    },
  };
}

/** Loaded only when a model is configured: an offline assistant never loads the model client's code. */
async function modelInterpreter(settings: ModelSettings, deps: { clinic: Clinic; metrics: Metrics; logger: Logger }): Promise<Interpreter> {
  const { createModelInterpreterFromSettings } = await import('./agents/interpreter.js');
  return createModelInterpreterFromSettings(settings, deps);
}

async function runAll(closers: (() => Promise<void>)[]): Promise<void> {
  for (const close of closers) await close();
}

/** A web chat conversation's staff replies after `after` (oldest first): what its page may have missed. */
async function webchatStaffRepliesSince(runtime: Runtime, conversationId: string, after: Date): Promise<StoredStaffReply[]> {
  const transcript = await runtime.records.transcripts.listForConversation('webchat', conversationId);
  return transcript
    .filter((entry) => entry.author === 'staff' && entry.at > after)
    .map((entry) => ({
      authorName: entry.authorName ?? null,
      text: entry.text,
      // The desk always records a staff reply's language; the default only satisfies the type.
      locale: entry.locale ?? runtime.clinic.defaultLocale,
      at: entry.at,
    }));
}

/** Loaded only when Teams is enabled: an assistant without Teams never loads botbuilder. */
async function startTeams(runtime: Runtime, server: FastifyInstance, now: () => Date): Promise<TeamsChannel | null> {
  if (!runtime.teams) return null;
  const { startTeamsChannel } = await import('./channels/teams/index.js');
  return startTeamsChannel({ ...runtime, settings: runtime.teams, server, now });
}

/** The assistant with its HTTP server (web chat, health). */
export async function startApp(source: NodeJS.ProcessEnv, options: RuntimeOptions = {}): Promise<RunningApp> {
  const runtime = await createRuntime(source, options);
  let shuttingDown = false;
  collectProcessMetrics(runtime.metrics);
  let whatsapp: WhatsAppHandle | null = null;
  try {
    if (runtime.env.WHATSAPP_ENABLED) whatsapp = await startWhatsApp(runtime, options.holderId ? { holderId: options.holderId } : {});
  } catch (error) {
    await runtime.close();
    throw error;
  }
  const server = createHttpServer({
    logger: runtime.logger,
    isShuttingDown: () => shuttingDown,
    metrics: runtime.metrics,
    trustProxy: runtime.env.TRUST_PROXY,
    requestTimeoutMs: runtime.env.HTTP_REQUEST_TIMEOUT_MS,
    readiness: [
      { name: 'hotStore', check: () => runtime.hotStore.ping() },
      { name: 'database', check: () => runtime.records.ping() },
    ],
    // A logged-out WhatsApp needs an admin, not a restart: shown, never "not ready".
    ...(whatsapp ? { details: () => ({ whatsapp: whatsapp?.readinessDetail() }) } : {}),
  });
  await registerWebchat(server, {
    assistant: runtime.assistant,
    uiStrings: (locale) => runtime.translator.strings(locale, 'webchat'),
    defaultLocale: runtime.clinic.defaultLocale,
  });
  registerWebchatEvents(server, { liveEvents: runtime.liveEvents, maxStreamsPerAddress: runtime.env.WEBCHAT_MAX_STREAMS_PER_ADDRESS });
  registerWebchatStaffReplies(server, { staffRepliesSince: (id, after) => webchatStaffRepliesSince(runtime, id, after) });
  const now = options.now ?? (() => new Date());
  await registerStaffConsole(server, {
    records: runtime.records,
    hotStore: runtime.hotStore,
    liveEvents: runtime.liveEvents,
    desk: createStaffDesk({
      records: runtime.records,
      liveEvents: runtime.liveEvents,
      outbox: runtime.outbound,
      conversationControl: runtime.conversationControl,
      defaultLocale: runtime.clinic.defaultLocale,
      now,
    }),
    board: createReminderBoard({ clinic: runtime.clinic, records: runtime.records, now }),
    clinic: runtime.clinic,
    logger: runtime.logger,
    sessionHours: runtime.env.STAFF_SESSION_HOURS,
    secureCookie: runtime.env.APP_ENV !== 'development',
    whatsapp,
    now,
  });
  let teams: TeamsChannel | null = null;
  try {
    teams = await startTeams(runtime, server, now);
    await server.listen({ port: runtime.env.PORT, host: runtime.env.HOST });
  } catch (error) {
    await teams?.close();
    await whatsapp?.stop();
    await runtime.close();
    throw error;
  }
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : runtime.env.PORT;
  const host = runtime.env.HOST === '0.0.0.0' || runtime.env.HOST === '::' ? '127.0.0.1' : runtime.env.HOST;
  return {
    url: `http://${host}:${port}`,
    runtime,
    server,
    whatsapp,
    async stop() {
      shuttingDown = true;
      // Stop taking messages (WhatsApp hands its number to another process), let in-flight turns finish, then close the stores.
      await whatsapp?.stop();
      await server.close();
      await teams?.close();
      await runtime.close();
    },
  };
}
