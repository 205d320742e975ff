/**
 * The ten steps of one inbound message (ARCHITECTURE.md), with the one error boundary of a
 * turn: whatever fails inside, the patient gets a localized apology and the stored
 * conversation stays as it was before the turn.
 */
import { randomUUID } from 'node:crypto';
import type { Clinic } from '../config/catalog-schema.js';
import type { Locale } from '../core/locale.js';
import { conversationKeyString, type ConversationKey, type InboundMessage, type OutboundMessage, type RenderedReply } from '../core/messages.js';
import type { Assistant, TurnAnswer } from '../core/ports/assistant.js';
import type { ConversationControl } from '../core/ports/conversation-control.js';
import type { LiveEvents, LiveTranscriptEntry, OutboundSender } from '../core/ports/live-events.js';
import type { HotStore, StoredConversation } from '../core/ports/hot-store.js';
import type { Patient, Records, TranscriptEntry } from '../core/ports/records.js';
import { ConcurrentUpdateError } from '../core/errors.js';
import { botEntries } from '../core/transcript.js';
import type { ConversationEngine, ConversationView } from '../conversation/engine.js';
import { createOfflineInterpreter, type Interpreter } from '../conversation/interpreter.js';
import { initialContext } from '../../statecharts/conversation.js';
import { urgencyOf } from '../../statecharts/urgency.js';
import type { Nlu } from '../nlu/index.js';
import { localeFromChannelHint, resolveReplyLocale } from '../i18n/negotiate.js';
import type { Renderer } from '../i18n/render.js';
import type { Logger } from '../observability/logger.js';
import { failureReplyKey } from './failure-reply.js';
import { KeyedQueue } from './keyed-queue.js';
import { inboundMessageSchema, sanitizeText } from './sanitize.js';

export interface PipelineSettings {
  maxMessageLength: number;
  rateLimitMax: number;
  rateLimitWindowSeconds: number;
  inactivityMinutes: number;
  turnTimeoutMs: number;
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
  /** Replies the chart emits on a staff event (outside a patient's turn) reach the patient this way. */
  outbound: OutboundSender;
  /** Step 6–7: the offline NLU mapping, or the model-backed agents when a model is configured. */
  interpreter?: Interpreter;
}

/** The patient's side (Assistant) and the staff's (ConversationControl), serialized per conversation. */
export interface Pipeline extends Assistant, ConversationControl {
  /** Resolves when every accepted message has been answered (for graceful shutdown). */
  drain(): Promise<void>;
}

interface TurnOutcome {
  replies: RenderedReply[];
}

const MAX_SAVE_ATTEMPTS = 3;

/** Why a stored conversation was not restored, and what the patient is told. */
const NOTICE_KEYS = { version: 'session.reset_notice', expired: 'session.expired_notice' } as const;

/** Events that only make sense as answers to the bot's last question. */
const STALE_WHEN_EXPIRED: string[] = ['CONFIRM', 'DENY', 'CHOOSE', 'UNKNOWN', 'PROVIDE'];

export function createPipeline(deps: PipelineDeps): Pipeline {
  const { settings, clinic, hotStore, records, renderer, engine, logger } = deps;
  const queue = new KeyedQueue();
  const interpreter = deps.interpreter ?? createOfflineInterpreter();
  const inFlight = new Set<Promise<unknown>>();

  function bestGuessLocale(message: InboundMessage, text: string | null): Locale {
    return (text ? deps.nlu().detectLanguage(text) : null) ?? localeFromChannelHint(message.localeHint) ?? clinic.defaultLocale;
  }

  function notice(locale: Locale, key: string, params?: Record<string, number>): RenderedReply[] {
    return renderer.render([{ key, ...(params ? { params } : {}) }], locale);
  }

  const fresh = (replies: RenderedReply[]): TurnAnswer => ({ replies, replayed: false });

  async function handle(raw: InboundMessage): Promise<TurnAnswer> {
    const parsed = inboundMessageSchema.safeParse(raw);
    if (!parsed.success) {
      logger.warn({ reason: parsed.error.issues[0]?.message }, 'inbound message rejected');
      return fresh(notice(clinic.defaultLocale, 'fallback.error'));
    }
    const message: InboundMessage = parsed.data;
    const log = logger.child({ traceId: message.traceId, channel: message.channel });
    if (message.fromBot) return fresh([]);

    // 1. validate
    const sanitized = sanitizeText(message, settings.maxMessageLength);
    if (!sanitized.ok) {
      log.info({ notice: sanitized.noticeKey }, 'inbound message refused');
      return fresh(notice(bestGuessLocale(message, message.text.slice(0, 500)), sanitized.noticeKey, sanitized.params));
    }
    const text = sanitized.text;

    // 2. de-duplicate
    if (!(await hotStore.markSeen(message.channel, message.messageId))) {
      log.info('duplicate message dropped');
      return { replies: [], replayed: true };
    }

    // 3. rate-limit the sender
    const rate = await hotStore.consumeRateLimit(
      `${message.channel}:${message.senderId}`,
      settings.rateLimitMax,
      settings.rateLimitWindowSeconds,
    );
    if (!rate.allowed) {
      log.warn({ count: rate.count }, 'sender over rate limit');
      return fresh(rate.count === settings.rateLimitMax + 1 ? notice(bestGuessLocale(message, text), 'fallback.rate_limited') : []);
    }

    // 4. serialize per conversation
    const key = conversationKeyString(message);
    return fresh((await queue.run(key, () => turnWithRetry(message, text, key, log))).replies);
  }

  /** The one error boundary: every failure gives a localized apology and nothing is saved. */
  async function handleWithBoundary(inbound: InboundMessage): Promise<TurnAnswer> {
    const started = Date.now();
    // Every log line of this message, the failure included, carries one trace id.
    const message = { ...inbound, traceId: inbound.traceId ?? randomUUID() };
    try {
      return await handle(message);
    } catch (error) {
      logger.error({ err: error, traceId: message.traceId, ms: Date.now() - started }, 'turn failed');
      return fresh(notice(bestGuessLocale(message, typeof message.text === 'string' ? message.text.slice(0, 500) : null), failureReplyKey(error)));
    }
  }

  async function turnWithRetry(message: InboundMessage, text: string, key: string, log: Logger): Promise<TurnOutcome> {
    const started = Date.now();
    const outcome = await retryLostSaves(log, () => turn(message, text, key, log));
    log.info({ ms: Date.now() - started, replies: outcome.replies.length }, 'turn done');
    return outcome;
  }

  async function turn(message: InboundMessage, text: string, key: string, log: Logger): Promise<TurnOutcome> {
    const now = deps.now();
    // 5. load snapshot + patient; resolve language; inactivity → idle
    const [stored, patient] = await Promise.all([
      hotStore.getConversation(key),
      records.patients.findOrCreateByIdentity({ channel: message.channel, externalId: message.senderId }, {}),
    ]);
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
    const { event } = understood;
    // "1" or "yes" to a question that expired with the conversation means nothing any more.
    const staleAnswer = event !== null && restored.notice === 'expired' && STALE_WHEN_EXPIRED.includes(event.type);
    // No event when the turn only asks the patient to choose (the interpreter's notice is the reply).
    const chartEvents = event === null || staleAnswer ? [] : [event];
    const result = await engine.runTurn({
      identity: { patientId: patient.id, channel: message.channel, conversationId: message.conversationId },
      snapshot: restored.snapshot,
      events: [...(view?.context.locale === locale ? [] : [{ type: 'LANGUAGE' as const, locale }]), ...chartEvents],
      timeoutMs: settings.turnTimeoutMs,
    });
    log.debug({ intent: nlu.intent, event: event?.type ?? null, modelCalls: understood.modelCalls, state: result.state }, 'turn understood');

    // 9. render
    const outbox: OutboundMessage[] = [
      ...(restored.notice ? [{ key: NOTICE_KEYS[restored.notice] }] : []),
      ...understood.notices,
      ...result.outbox,
    ];
    const replies = renderer.render(outbox, locale);

    // 10. persist: hot state first (a lost race retries the turn before anything is recorded), then the record
    const newRev = await hotStore.saveConversation(
      key,
      {
        machineVersion: engine.machineVersion,
        snapshot: result.snapshot,
        locale,
        lastActivityAt: now.toISOString(),
        patientId: patient.id,
      },
      stored?.rev ?? null,
    );
    if (newRev === null) throw new ConcurrentUpdateError();
    const recorded = await recordTurn(message, text, replies, locale, patient, now);
    if (view?.state.startsWith('escalated') || result.state.startsWith('escalated')) {
      await publishForStaff(message, recorded, log);
    }
    return { replies };
  }

  function restoreSnapshot(
    stored: StoredConversation | null,
    now: Date,
  ): { snapshot: unknown | null; view: ConversationView | null; notice?: keyof typeof NOTICE_KEYS } {
    if (!stored) return { snapshot: null, view: null };
    const view = stored.machineVersion === engine.machineVersion ? engine.inspect(stored.snapshot) : null;
    if (!view) return { snapshot: null, view: null, notice: 'version' };
    const idleMs = now.getTime() - Date.parse(stored.lastActivityAt);
    // An escalated conversation waits for staff however long it takes.
    if (!view.state.startsWith('escalated') && idleMs > settings.inactivityMinutes * 60_000) {
      // Starting over from idle needs no word; leaving a half-done task behind does.
      return view.state === 'idle' ? { snapshot: null, view: null } : { snapshot: null, view: null, notice: 'expired' };
    }
    return { snapshot: stored.snapshot, view };
  }

  async function recordTurn(
    message: InboundMessage,
    text: string,
    replies: RenderedReply[],
    locale: Locale,
    patient: Patient,
    now: Date,
  ): Promise<TranscriptEntry[]> {
    const base = { patientId: patient.id, channel: message.channel, conversationId: message.conversationId };
    const entries: TranscriptEntry[] = [
      { ...base, direction: 'in', author: 'patient', text, locale, messageId: message.messageId, at: now },
      ...botEntries(base, replies, new Date(now.getTime() + 1)),
    ];
    await records.transaction(async (tx) => {
      await tx.transcripts.append(entries);
      if (patient.preferredLocale !== locale) await tx.patients.setPreferredLocale(patient.id, locale);
    });
    return entries;
  }

  /** What the staff console shows live of an escalated conversation; best effort, the transcript has it all. */
  async function publishForStaff(message: InboundMessage, recorded: TranscriptEntry[], log: Logger): Promise<void> {
    for (const { author, text, locale, at } of recorded) {
      const entry: LiveTranscriptEntry = { author, text, locale, at: at.toISOString() };
      await deps.liveEvents
        .publish({ type: 'conversation.message', channel: message.channel, conversationId: message.conversationId, entry })
        .catch((error: unknown) => log.warn({ err: error }, 'live transcript line not published'));
    }
  }

  type StaffEvent = { type: 'STAFF_CLAIMED' } | { type: 'STAFF_RESOLVED' };

  /** A staff action as a turn of its own: same queue, restore → send → persist with the rev check. */
  async function staffTurn(conversation: ConversationKey, event: StaffEvent): Promise<void> {
    const key = conversationKeyString(conversation);
    const log = logger.child({ channel: conversation.channel, staffEvent: event.type });
    await queue.run(key, () => retryLostSaves(log, () => applyStaffEvent(conversation, key, event, log)));
  }

  async function applyStaffEvent(conversation: ConversationKey, key: string, event: StaffEvent, log: Logger): Promise<void> {
    const stored = await hotStore.getConversation(key);
    const view = stored && stored.machineVersion === engine.machineVersion ? engine.inspect(stored.snapshot) : null;
    // Not escalated (or no longer held): nothing to hand back; the next message starts in idle anyway.
    if (event.type === 'STAFF_RESOLVED' && !view?.state.startsWith('escalated')) {
      log.info({ state: view?.state ?? null }, 'staff resolved a conversation that was not escalated; nothing to change');
      return;
    }
    const patientId = stored?.patientId ?? null;
    // STAFF_* events start no actor, so no patient id is needed to run them.
    const result = await engine.runTurn({
      identity: { patientId: patientId ?? '', ...conversation },
      snapshot: view ? stored?.snapshot ?? null : null,
      events: [event],
      timeoutMs: settings.turnTimeoutMs,
    });
    const now = deps.now();
    const record = {
      machineVersion: engine.machineVersion,
      snapshot: result.snapshot,
      locale: stored?.locale ?? null,
      lastActivityAt: now.toISOString(),
      patientId,
    };
    if ((await hotStore.saveConversation(key, record, stored?.rev ?? null)) === null) throw new ConcurrentUpdateError();
    log.info({ state: result.state }, 'staff event applied');
    // The chart says nothing on staff events today; if it ever does, the patient gets it like a turn's reply.
    const replies = renderer.render(result.outbox, stored?.locale ?? clinic.defaultLocale);
    if (replies.length === 0) return;
    if (patientId) await records.transcripts.append(botEntries({ patientId, ...conversation }, replies, now));
    await deps.outbound.send(conversation, { author: 'bot', replies });
  }

  /**
   * Someone wrote from the clinic's own phone (WhatsApp): their line in the transcript, an
   * escalation in the console's queue if none is open, then STAFF_CLAIMED, all in the
   * conversation's queue like any turn.
   */
  async function staffTookOver(conversation: ConversationKey, message: { text: string }): Promise<void> {
    const key = conversationKeyString(conversation);
    const log = logger.child({ channel: conversation.channel, staffEvent: 'STAFF_TAKEOVER' });
    await queue.run(key, async () => {
      const [patient, stored] = await Promise.all([
        records.patients.findOrCreateByIdentity({ channel: conversation.channel, externalId: conversation.conversationId }, {}),
        hotStore.getConversation(key),
      ]);
      const locale = stored?.locale ?? null;
      const at = deps.now();
      const opened = await records.transaction(async (tx) => {
        await tx.transcripts.append([
          { patientId: patient.id, ...conversation, direction: 'out', author: 'staff', authorName: null, text: message.text, locale, messageId: null, at },
        ]);
        if (await tx.escalations.findOpenForConversation(conversation.channel, conversation.conversationId)) return null;
        const escalation = await tx.escalations.create({
          patientId: patient.id,
          ...conversation,
          urgency: urgencyOf({ type: 'staff_takeover' }),
          reason: 'staff_takeover',
        });
        await tx.audit.record({
          actorType: 'staff',
          actorId: 'clinic-phone',
          action: 'escalation.opened',
          patientId: patient.id,
          details: { escalationId: escalation.id, urgency: escalation.urgency, reason: escalation.reason },
        });
        return escalation;
      });
      await retryLostSaves(log, () => applyStaffEvent(conversation, key, { type: 'STAFF_CLAIMED' }, log));
      const entry: LiveTranscriptEntry = { author: 'staff', text: message.text, locale, at: at.toISOString() };
      await deps.liveEvents
        .publish({ type: 'conversation.message', ...conversation, entry })
        .catch((error: unknown) => log.warn({ err: error }, 'live transcript line not published'));
      if (opened) {
        await deps.liveEvents
          .publish({ type: 'escalation.changed', escalationId: opened.id })
          .catch((error: unknown) => log.warn({ err: error }, 'escalation change not published'));
      }
    });
  }

  function tracked<T>(work: Promise<T>): Promise<T> {
    inFlight.add(work);
    return work.finally(() => inFlight.delete(work));
  }

  return {
    async handle(message) {
      return (await tracked(handleWithBoundary(message))).replies;
    },
    answer(message) {
      return tracked(handleWithBoundary(message));
    },
    staffClaimed(conversation) {
      return tracked(staffTurn(conversation, { type: 'STAFF_CLAIMED' }));
    },
    staffResolved(conversation) {
      return tracked(staffTurn(conversation, { type: 'STAFF_RESOLVED' }));
    },
    staffTookOver(conversation, message) {
      return tracked(staffTookOver(conversation, message));
    },
    async drain() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}

/** Another turn (or process) saved the conversation first: run the whole step again on what it saved. */
async function retryLostSaves<T>(log: Logger, step: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await step();
    } catch (error) {
      if (!(error instanceof ConcurrentUpdateError) || attempt >= MAX_SAVE_ATTEMPTS) throw error;
      log.warn({ attempt }, 'conversation changed by another process; retrying');
    }
  }
}
