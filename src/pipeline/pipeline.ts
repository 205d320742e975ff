/**
 * The ten steps of one inbound message (ARCHITECTURE.md), with the one error boundary of a
 * turn, and exactly-once: a message id counts as answered only when its turn committed, with
 * its replies; a redelivery gets those replies again and changes nothing; one still in progress
 * waits for it; whatever fails, the patient gets a localized apology and nothing is committed.
 */
import { randomUUID } from 'node:crypto';
import type { Clinic } from '../config/catalog-schema.js';
import type { Locale } from '../core/locale.js';
import {
  conversationKeyString,
  turnDeliveryId,
  type ConversationKey,
  type InboundMessage,
  type OutboundMessage,
  type RenderedReply,
} from '../core/messages.js';
import type { TurnAnswer } from '../core/ports/assistant.js';
import type { ConversationControl, SystemChange } from '../core/ports/conversation-control.js';
import type { LiveEvents, LiveTranscriptEntry, OutboxWaker } from '../core/ports/live-events.js';
import type { HotStore, RateLimitRule, StoredConversation } from '../core/ports/hot-store.js';
import type { NewOutboxMessage, Patient, Records, TranscriptEntry } from '../core/ports/records.js';
import { ConcurrentUpdateError } from '../core/errors.js';
import { botEntries } from '../core/transcript.js';
import type { ConversationEngine, ConversationView } from '../conversation/engine.js';
import { createOfflineInterpreter, type Interpreter } from '../conversation/interpreter.js';
import { initialContext, type ConversationEvent } from '../../statecharts/conversation.js';
import { urgencyOf } from '../../statecharts/urgency.js';
import type { Nlu } from '../nlu/index.js';
import { localeFromChannelHint, resolveReplyLocale } from '../i18n/negotiate.js';
import type { Renderer } from '../i18n/render.js';
import type { Logger } from '../observability/logger.js';
import type { MessageOutcome } from '../observability/metrics.js';
import type { Assistant } from '../core/ports/assistant.js';
import { failureReplyKey, messageOutcomeOf } from './failure-reply.js';
import { KeyedQueue } from './keyed-queue.js';
import { RecentLocales } from './recent-locales.js';
import { inboundMessageSchema, sanitizeText } from './sanitize.js';
import { TurnGuard } from './turn-guard.js';
import { beginLockedTurn, keepLeased } from './turn-lock.js';
import { slotKey, TurnWork, type TurnOwnWrites } from './turn-work.js';

export interface PipelineSettings {
  maxMessageLength: number;
  rateLimitMax: number;
  rateLimitWindowSeconds: number;
  /** Messages per client address per window (web chat), on top of the per-sender limit. */
  addressRateLimitMax: number;
  inactivityMinutes: number;
  turnTimeoutMs: number;
  /** A conversation's turn lock lapses this long after its holder stopped renewing it. */
  lockLeaseMs: number;
}

export interface PipelineDeps {
  settings: PipelineSettings;
  clinic: Clinic;
  hotStore: HotStore;
  records: Records;
  /** A getter, so locale-file reloads reach the next turn. */
  nlu: () => Nlu;
  renderer: Renderer;
  engine: ConversationEngine;
  logger: Logger;
  now: () => Date;
  /** While a conversation is escalated, its transcript lines are published for the staff console. */
  liveEvents: LiveEvents;
  outbox: OutboxWaker;
  /** Step 6–7: the offline NLU mapping, or the model-backed agents when a model is configured. */
  interpreter?: Interpreter;
  recordMessage?: (channel: string, outcome: MessageOutcome) => void;
}

/** The patient's side (Assistant) and the staff's (ConversationControl), serialized per conversation. */
export interface Pipeline extends Assistant, ConversationControl {
  /** Resolves when every accepted message has been answered (for graceful shutdown). */
  drain(): Promise<void>;
}

/** How often a turn that found the conversation moved on runs again on the new state. */
const MAX_STALE_ATTEMPTS = 3;

/** Why a stored conversation was not restored, and what the patient is told. */
const NOTICE_KEYS = { version: 'session.reset_notice', expired: 'session.expired_notice' } as const;

/** Events that only make sense as answers to the bot's last question. */
const STALE_WHEN_EXPIRED: string[] = ['CONFIRM', 'DENY', 'CHOOSE', 'UNKNOWN', 'PROVIDE'];

/** One message on its way through the pipeline. */
interface MessageTurn {
  message: InboundMessage;
  text: string;
  key: string;
  log: Logger;
  guard: TurnGuard;
}

/** What a turn computed, ready to commit. */
interface ComputedTurn {
  replies: RenderedReply[];
  locale: Locale;
  commit: TurnOwnWrites;
  /** Escalated before or after: staff consoles see its transcript lines live. */
  staffWatching: boolean;
}

/** A change to a conversation that is not a patient's message: a staff action or a reminder. */
interface SystemTurn<T> {
  event: { type: 'STAFF_CLAIMED' } | { type: 'STAFF_RESOLVED' } | Extract<ConversationEvent, { type: 'REMINDER' }>;
  /** The event's own database change, in the turn's transaction. */
  change: SystemChange<T>;
  /** The patient, when the event knows better than the conversation's record (a reminder). */
  patientId?: string;
  /** The language anything said is in (default: the conversation's). */
  locale?: Locale;
  /** The outbox delivery id of what is said (default: a new one). */
  deliveryId?: string;
  /** The event means nothing in this state: only its own change commits, the chart stays. */
  ignoredIn?: (state: string | null) => boolean;
}

interface ComputedSystemTurn {
  /** The state before the event (null: none stored, or restored fresh). */
  before: string | null;
  /** The state the chart reached. */
  state: string;
  ignored: boolean;
  commit: TurnOwnWrites;
}

export function createPipeline(deps: PipelineDeps): Pipeline {
  const { settings, clinic, hotStore, records, renderer, engine, logger } = deps;
  const queue = new KeyedQueue();
  const interpreter = deps.interpreter ?? createOfflineInterpreter();
  const recentLocales = new RecentLocales();
  const inFlight = new Set<Promise<unknown>>();

  function notice(locale: Locale, key: string, params?: Record<string, number>): RenderedReply[] {
    return renderer.render([{ key, ...(params ? { params } : {}) }], locale);
  }

  /** The language of a notice given without a turn: the message's own, else what is known of the conversation. */
  function bestGuessLocale(message: InboundMessage, text: string | null): Locale {
    const detected = text ? deps.nlu().detectLanguage(text) : null;
    const known = typeof message.channel === 'string' && typeof message.conversationId === 'string' ? recentLocales.get(conversationKeyString(message)) : null;
    return detected ?? known ?? localeFromChannelHint(message.localeHint) ?? clinic.defaultLocale;
  }

  function answered(channel: string, outcome: MessageOutcome, replies: RenderedReply[], replayed = false): TurnAnswer {
    deps.recordMessage?.(channel, outcome);
    return { replies, replayed };
  }

  /** A committed turn's replies (now or on an earlier delivery) are in the outbox when the channel pushes them. */
  function queuedIfPushed(message: InboundMessage, answer: TurnAnswer): TurnAnswer {
    return message.replyVia === 'outbox' ? { ...answer, queued: true } : answer;
  }

  async function handle(raw: InboundMessage): Promise<TurnAnswer> {
    const parsed = inboundMessageSchema.safeParse(raw);
    if (!parsed.success) {
      logger.warn({ reason: parsed.error.issues[0]?.message }, 'inbound message rejected');
      return answered('invalid', 'refused', notice(clinic.defaultLocale, 'fallback.error'));
    }
    const message: InboundMessage = parsed.data;
    const log = logger.child({ traceId: message.traceId, channel: message.channel });
    if (message.fromBot) return answered(message.channel, 'refused', []);

    // 1. validate
    const sanitized = sanitizeText(message, settings.maxMessageLength);
    if (!sanitized.ok) {
      log.info({ notice: sanitized.noticeKey }, 'inbound message refused');
      const locale = bestGuessLocale(message, message.text.slice(0, 500));
      return answered(message.channel, 'refused', notice(locale, sanitized.noticeKey, sanitized.params));
    }

    // 2–4. de-duplicate, rate-limit and serialize, in the turn's first round trip (see messageTurn)
    const key = conversationKeyString(message);
    const guard = new TurnGuard(Date.now() + settings.turnTimeoutMs, settings.turnTimeoutMs);
    const turn: MessageTurn = { message, text: sanitized.text, key, log, guard };
    const started = Date.now();
    try {
      const answer = await guard.race(queue.run(key, () => messageTurn(turn)));
      log.info({ ms: Date.now() - started, replies: answer.replies.length, replayed: answer.replayed }, 'turn done');
      return answer;
    } catch (error) {
      log.error({ err: error, ms: Date.now() - started }, 'turn failed; nothing was committed');
      return answered(message.channel, messageOutcomeOf(error), notice(bestGuessLocale(message, turn.text), failureReplyKey(error)));
    }
  }

  async function messageTurn(turn: MessageTurn): Promise<TurnAnswer> {
    const { message, key, guard } = turn;
    // Its time ran out while it waited behind the conversation's previous message.
    guard.assertRunning();
    const rateLimits: RateLimitRule[] = [
      { key: `${message.channel}:${message.senderId}`, limit: settings.rateLimitMax, windowSeconds: settings.rateLimitWindowSeconds },
      ...(message.clientAddress
        ? [{ key: `addr:${message.clientAddress}`, limit: settings.addressRateLimitMax, windowSeconds: settings.rateLimitWindowSeconds }]
        : []),
    ];
    const { result, lockToken } = await beginLockedTurn(
      hotStore,
      { conversationKey: key, messageId: message.messageId, leaseMs: settings.lockLeaseMs, rateLimits },
      guard,
    );
    if (result.status === 'answered') {
      turn.log.info('redelivered message: answered as the first time');
      return queuedIfPushed(message, answered(message.channel, 'replayed', result.replies, true));
    }
    if (result.status === 'rate_limited') {
      const rule = rateLimits[result.index];
      turn.log.warn({ count: result.count, limit: rule?.key.startsWith('addr:') ? 'address' : 'sender' }, 'over rate limit');
      // One notice when the limit is first passed; silence after that, so a flood gets no flood back.
      const replies = rule && result.count === rule.limit + 1 ? notice(bestGuessLocale(message, turn.text), 'fallback.rate_limited') : [];
      return answered(message.channel, 'rate_limited', replies);
    }
    let held = true;
    const stopRenewing = keepLeased(hotStore, key, lockToken, settings.lockLeaseMs, () => turn.log.warn('turn lock lost while the turn ran'));
    try {
      const answer = await runUntilCommitted(turn, result.conversation, lockToken);
      held = false;
      return answer;
    } finally {
      stopRenewing();
      if (held) await hotStore.releaseTurn(key, lockToken).catch((error: unknown) => turn.log.warn({ err: error }, 'turn lock not released; it lapses on its own'));
    }
  }

  /** Computes and commits the turn; when the conversation had moved on, again on its current state. */
  async function runUntilCommitted(turn: MessageTurn, cached: StoredConversation | null, lockToken: string): Promise<TurnAnswer> {
    const { message, key, log, guard } = turn;
    let stored = cached;
    const taken = new Set<string>();
    for (let attempt = 1; ; attempt += 1) {
      const work = new TurnWork(records, guard, taken);
      const computed = await computeTurn(turn, stored, work);
      const outcome = await work.commit(computed.commit);
      if (outcome.outcome === 'committed') {
        recentLocales.remember(key, computed.locale);
        await endTurn(key, lockToken, outcome.conversation, { messageId: message.messageId, replies: computed.replies }, log);
        await work.runAfterCommit({ at: computed.commit.at, escalation: outcome.escalation, reminderAnswers: outcome.reminderAnswers }, log);
        if (computed.commit.outbox.length > 0) deps.outbox.wake(message.channel);
        if (computed.staffWatching) await publishForStaff(message, computed.commit.transcript, log);
        return queuedIfPushed(message, answered(message.channel, 'answered', computed.replies));
      }
      if (outcome.outcome === 'answered') {
        // Its first delivery committed, but the process died (or Redis failed) before caching that.
        log.info('redelivered message found answered in the database');
        const current = await records.conversations.load(message);
        if (current) await endTurn(key, lockToken, current, { messageId: message.messageId, replies: outcome.replies }, log);
        else await hotStore.releaseTurn(key, lockToken).catch(() => undefined);
        return queuedIfPushed(message, answered(message.channel, 'replayed', outcome.replies, true));
      }
      guard.reopen();
      if (attempt >= MAX_STALE_ATTEMPTS) throw new ConcurrentUpdateError();
      if (outcome.outcome === 'conflict') {
        // A slot, an appointment or the escalation changed since the turn read it (another
        // patient booked that time): run again, now seeing it.
        log.info({ attempt, reason: outcome.conflict.reason }, 'what the turn relied on changed; running it again');
        if (outcome.conflict.reason === 'slot_taken') taken.add(slotKey(outcome.conflict.doctorId, outcome.conflict.startsAt));
        continue;
      }
      // The cached copy was behind the database (a crash after a commit, a Redis restart) or a
      // process that lost its lock committed first: run again on what is committed.
      log.warn({ attempt }, 'conversation moved on since it was read; running the turn again on the committed state');
      stored = outcome.current;
      if (stored) await hotStore.cacheConversation(key, stored).catch(() => undefined);
    }
  }

  /** After the commit the patient's answer stands, whatever the cache does: a failure here is only logged. */
  async function endTurn(
    key: string,
    lockToken: string,
    conversation: StoredConversation,
    answer: { messageId: string; replies: RenderedReply[] } | null,
    log: Logger,
  ): Promise<void> {
    await hotStore
      .endTurn({ conversationKey: key, lockToken, conversation, answered: answer })
      .catch((error: unknown) => log.warn({ err: error }, 'committed turn not cached; the next turn reloads it from the database'));
  }

  /** The patient as the conversation's record knows them; the database only on a first message. */
  async function findPatient(message: InboundMessage, stored: StoredConversation | null): Promise<Pick<Patient, 'id' | 'preferredLocale'>> {
    if (stored?.patientId && stored.patientLocale !== undefined) return { id: stored.patientId, preferredLocale: stored.patientLocale };
    return records.patients.findOrCreateByIdentity({ channel: message.channel, externalId: message.senderId }, {});
  }

  async function computeTurn(turn: MessageTurn, stored: StoredConversation | null, work: TurnWork): Promise<ComputedTurn> {
    const { message, text, log, guard } = turn;
    const now = deps.now();
    // 5. load snapshot + patient; resolve language; inactivity → idle
    const patient = await findPatient(message, stored);
    const restored = restoreSnapshot(stored, now);
    const view = restored.view;
    if (restored.notice) log.info({ reason: restored.notice }, 'conversation reset');

    // 6. understand
    const nlu = deps.nlu().understand(text, { locale: stored?.locale ?? null, now });
    const { locale } = resolveReplyLocale({
      detected: nlu.language,
      preference: patient.preferredLocale,
      conversation: view?.context.locale ?? stored?.locale ?? null,
      channelHint: message.localeHint,
      clinicDefault: clinic.defaultLocale,
    });

    // 7. relevance check (inside the interpreter) + 8. statechart
    const understood = await interpreter.interpret({
      text,
      nlu,
      state: view?.state ?? 'idle',
      context: view?.context ?? initialContext(),
      locale,
      now,
    });
    guard.assertRunning();
    const { event } = understood;
    // "1" or "yes" to a question that expired with the conversation means nothing any more.
    const staleAnswer = event !== null && restored.notice === 'expired' && STALE_WHEN_EXPIRED.includes(event.type);
    // No event when the turn only asks the patient to choose (the interpreter's notice is the reply).
    const chartEvents = event === null || staleAnswer ? [] : [event];
    const result = await engine.runTurn({
      identity: { patientId: patient.id, channel: message.channel, conversationId: message.conversationId },
      work,
      snapshot: restored.snapshot,
      events: [...(view?.context.locale === locale ? [] : [{ type: 'LANGUAGE' as const, locale }]), ...chartEvents],
      timeoutMs: Math.max(1, guard.remainingMs()),
    });
    log.debug({ intent: nlu.intent, event: event?.type ?? null, modelCalls: understood.modelCalls, state: result.state }, 'turn understood');

    // 9. render
    const outbox: OutboundMessage[] = [
      ...(restored.notice ? [{ key: NOTICE_KEYS[restored.notice] }] : []),
      ...understood.notices,
      ...result.outbox,
    ];
    const replies = renderer.render(outbox, locale);

    // 10. what the commit writes, all or nothing
    const base = { patientId: patient.id, channel: message.channel, conversationId: message.conversationId };
    const transcript: TranscriptEntry[] = [
      { ...base, direction: 'in', author: 'patient', text, locale, messageId: message.messageId, at: now },
      ...botEntries(base, replies, new Date(now.getTime() + 1)),
    ];
    return {
      replies,
      locale,
      staffWatching: Boolean(view?.state.startsWith('escalated') || result.state.startsWith('escalated')),
      commit: {
        conversation: message,
        expectedRev: stored?.rev ?? null,
        record: {
          machineVersion: engine.machineVersion,
          snapshot: result.snapshot,
          locale,
          lastActivityAt: now.toISOString(),
          patientId: patient.id,
          patientLocale: locale,
        },
        answered: { messageId: message.messageId, replies },
        transcript,
        outbox: message.replyVia === 'outbox' ? pushedReplies(message, patient.id, replies) : [],
        preferredLocale: patient.preferredLocale === locale ? null : { patientId: patient.id, locale },
        at: now,
      },
    };
  }

  /** A channel that pushes replies itself gets them from the outbox, recorded with the turn. */
  function pushedReplies(message: InboundMessage, patientId: string, replies: RenderedReply[]): NewOutboxMessage[] {
    if (replies.length === 0) return [];
    const deliveryId = turnDeliveryId(message, message.messageId);
    return [{ deliveryId, conversation: message, patientId, message: { deliveryId, author: 'bot', replies } }];
  }

  function restoreSnapshot(
    stored: StoredConversation | null,
    now: Date,
  ): { snapshot: unknown | null; view: ConversationView | null; notice?: keyof typeof NOTICE_KEYS } {
    if (!stored) return { snapshot: null, view: null };
    const view = stored.machineVersion === engine.machineVersion ? engine.inspect(stored.snapshot) : null;
    if (!view) return { snapshot: null, view: null, notice: 'version' };
    if (view.state.startsWith('reminded')) {
      // A reminder waits for its answer until the appointment starts, however long that is.
      const startsAt = view.context.appointment ? Date.parse(view.context.appointment.startsAt) : 0;
      return startsAt > now.getTime() ? { snapshot: stored.snapshot, view } : { snapshot: null, view: null };
    }
    const idleMs = now.getTime() - Date.parse(stored.lastActivityAt);
    // An escalated conversation waits for staff however long it takes.
    if (!view.state.startsWith('escalated') && idleMs > settings.inactivityMinutes * 60_000) {
      // Starting over from idle needs no word; leaving a half-done task behind does.
      return view.state === 'idle' ? { snapshot: null, view: null } : { snapshot: null, view: null, notice: 'expired' };
    }
    return { snapshot: stored.snapshot, view };
  }

  /** What the staff console shows live of an escalated conversation; best effort, the transcript has it all. */
  async function publishForStaff(conversation: ConversationKey, recorded: TranscriptEntry[], log: Logger): Promise<void> {
    for (const { author, text, locale, at } of recorded) {
      const entry: LiveTranscriptEntry = { author, text, locale, at: at.toISOString() };
      await deps.liveEvents
        .publish({ type: 'conversation.message', channel: conversation.channel, conversationId: conversation.conversationId, entry })
        .catch((error: unknown) => log.warn({ err: error }, 'live transcript line not published'));
    }
  }

  /**
   * An event on the conversation that is not a patient's message (a staff action, a reminder)
   * as a turn of its own: same lock, its database change and the chart's in one commit.
   */
  async function systemTurn<T>(conversation: ConversationKey, spec: SystemTurn<T>): Promise<T> {
    const key = conversationKeyString(conversation);
    const log = logger.child({ channel: conversation.channel, systemEvent: spec.event.type });
    const guard = new TurnGuard(Date.now() + settings.turnTimeoutMs, settings.turnTimeoutMs);
    return guard.race(
      queue.run(key, async () => {
        const { result, lockToken } = await beginLockedTurn(
          hotStore,
          { conversationKey: key, messageId: null, leaseMs: settings.lockLeaseMs, rateLimits: [] },
          guard,
        );
        if (result.status !== 'acquired') throw new Error(`a system event got "${result.status}" from the hot store`);
        let held = true;
        const stopRenewing = keepLeased(hotStore, key, lockToken, settings.lockLeaseMs, () => log.warn('turn lock lost during a system event'));
        try {
          const value = await systemUntilCommitted(conversation, key, spec, result.conversation, lockToken, guard, log);
          held = false;
          return value;
        } finally {
          stopRenewing();
          if (held) await hotStore.releaseTurn(key, lockToken).catch(() => undefined);
        }
      }),
    );
  }

  async function systemUntilCommitted<T>(
    conversation: ConversationKey,
    key: string,
    spec: SystemTurn<T>,
    cached: StoredConversation | null,
    lockToken: string,
    guard: TurnGuard,
    log: Logger,
  ): Promise<T> {
    let stored = cached;
    for (let attempt = 1; ; attempt += 1) {
      const work = new TurnWork(records, guard);
      const open = await records.begin();
      let decision: { apply: boolean; value: T };
      let computed: ComputedSystemTurn;
      try {
        computed = await computeSystemTurn(conversation, spec, stored, work);
        decision = await spec.change(open, { state: computed.state });
      } catch (error) {
        await open.rollback();
        throw error;
      }
      if (!decision.apply || computed.ignored) {
        if (decision.apply) {
          log.info({ state: computed.before }, 'system event means nothing in this state; only its own change committed');
          await open.commit();
        } else {
          await open.rollback();
        }
        await hotStore.releaseTurn(key, lockToken).catch(() => undefined);
        return decision.value;
      }
      const { commit } = computed;
      const outcome = await work.commitWith(open, commit);
      if (outcome.outcome === 'committed') {
        await endTurn(key, lockToken, outcome.conversation, null, log);
        await work.runAfterCommit({ at: commit.at, escalation: outcome.escalation, reminderAnswers: outcome.reminderAnswers }, log);
        if (commit.outbox.length > 0) deps.outbox.wake(conversation.channel);
        if (computed.state.startsWith('escalated')) await publishForStaff(conversation, commit.transcript, log);
        log.info({ state: computed.state }, 'system event applied');
        return decision.value;
      }
      guard.reopen();
      if (outcome.outcome === 'stale') stored = outcome.current;
      if (stored) await hotStore.cacheConversation(key, stored).catch(() => undefined);
      if (attempt >= MAX_STALE_ATTEMPTS) throw new ConcurrentUpdateError();
    }
  }

  async function computeSystemTurn(
    conversation: ConversationKey,
    spec: SystemTurn<unknown>,
    stored: StoredConversation | null,
    work: TurnWork,
  ): Promise<ComputedSystemTurn> {
    const now = deps.now();
    // The same rules as a patient's turn (inactivity, a reminder's lifetime), without a notice.
    const { snapshot, view } = restoreSnapshot(stored, now);
    const before = view?.state ?? null;
    const patientId = spec.patientId ?? stored?.patientId ?? null;
    const locale = spec.locale ?? stored?.locale ?? null;
    const languageChanged = spec.locale !== undefined && view?.context.locale !== spec.locale;
    // System events start no actor that needs the patient, so a conversation without one still runs them.
    const result = await engine.runTurn({
      identity: { patientId: patientId ?? '', ...conversation },
      work,
      snapshot,
      events: [...(languageChanged && spec.locale ? [{ type: 'LANGUAGE' as const, locale: spec.locale }] : []), spec.event],
      timeoutMs: settings.turnTimeoutMs,
    });
    const replies = renderer.render(result.outbox, locale ?? clinic.defaultLocale);
    const speaks = replies.length > 0 && patientId !== null;
    const deliveryId = spec.deliveryId ?? randomUUID();
    return {
      before,
      state: result.state,
      ignored: spec.ignoredIn?.(before) ?? false,
      commit: {
        conversation,
        expectedRev: stored?.rev ?? null,
        record: {
          machineVersion: engine.machineVersion,
          snapshot: result.snapshot,
          locale,
          lastActivityAt: now.toISOString(),
          patientId,
          ...(stored?.patientLocale === undefined ? {} : { patientLocale: stored.patientLocale }),
        },
        answered: null,
        transcript: speaks && patientId ? botEntries({ patientId, ...conversation }, replies, now) : [],
        outbox: speaks ? [{ deliveryId, conversation, patientId, message: { deliveryId, author: 'bot', replies } }] : [],
        preferredLocale: null,
        at: now,
      },
    };
  }

  /**
   * Someone wrote from the clinic's own phone (WhatsApp): their line in the transcript and an
   * escalation for the console's queue (unless one is active), committed with STAFF_CLAIMED like
   * a console claim; then the console hears of both.
   */
  async function staffTookOver(conversation: ConversationKey, message: { text: string }): Promise<void> {
    const log = logger.child({ channel: conversation.channel, staffEvent: 'STAFF_TAKEOVER' });
    const at = deps.now();
    const { raise, locale } = await systemTurn(conversation, { event: { type: 'STAFF_CLAIMED' }, change: async (tx) => {
      const patient = await tx.patients.findOrCreateByIdentity({ channel: conversation.channel, externalId: conversation.conversationId }, {});
      await tx.transcripts.append([
        { patientId: patient.id, ...conversation, direction: 'out', author: 'staff', authorName: null, text: message.text, locale: patient.preferredLocale, messageId: null, at },
      ]);
      const raised = await tx.escalations.openOrRaise({ patientId: patient.id, ...conversation, urgency: urgencyOf({ type: 'staff_takeover' }), reason: 'staff_takeover' });
      if (raised.change !== 'unchanged') {
        await tx.audit.record({
          actorType: 'staff',
          actorId: 'clinic-phone',
          action: raised.change === 'opened' ? 'escalation.opened' : 'escalation.raised',
          patientId: patient.id,
          details: { escalationId: raised.escalation.id, urgency: raised.escalation.urgency, reason: raised.escalation.reason },
        });
      }
      return { apply: true, value: { raise: raised, locale: patient.preferredLocale } };
    } });
    const entry: LiveTranscriptEntry = { author: 'staff', text: message.text, locale, at: at.toISOString() };
    await deps.liveEvents
      .publish({ type: 'conversation.message', ...conversation, entry })
      .catch((error: unknown) => log.warn({ err: error }, 'live transcript line not published'));
    if (raise.change !== 'unchanged') {
      await deps.liveEvents
        .publish({ type: 'escalation.changed', escalationId: raise.escalation.id })
        .catch((error: unknown) => log.warn({ err: error }, 'escalation change not published'));
    }
  }

  function tracked<T>(work: Promise<T>): Promise<T> {
    inFlight.add(work);
    return work.finally(() => inFlight.delete(work));
  }

  /** Every failure inside handle() already became an apology; this only adds a trace id. */
  function withTraceId(message: InboundMessage): InboundMessage {
    return { ...message, traceId: message.traceId ?? randomUUID() };
  }

  return {
    async handle(message) {
      return (await tracked(handle(withTraceId(message)))).replies;
    },
    answer(message) {
      return tracked(handle(withTraceId(message)));
    },
    staffClaimed(conversation, change) {
      return tracked(systemTurn(conversation, { event: { type: 'STAFF_CLAIMED' }, change }));
    },
    staffResolved(conversation, change) {
      return tracked(
        systemTurn(conversation, {
          event: { type: 'STAFF_RESOLVED' },
          change,
          // Not escalated (or no longer held): nothing to hand back; the next message starts in idle anyway.
          ignoredIn: (state) => !state?.startsWith('escalated'),
        }),
      );
    },
    remind(conversation, reminder, change) {
      const { appointment, patientId, locale, deliveryId } = reminder;
      return tracked(systemTurn(conversation, { event: { type: 'REMINDER', appointment }, change, patientId, locale, deliveryId }));
    },
    staffTookOver(conversation, message) {
      return tracked(staffTookOver(conversation, message));
    },
    async drain() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}
