/**
 * The WhatsApp channel, wired: the lease decides which process holds the number; that process
 * opens the socket, registers the WhatsApp OutboundSender, publishes the status and carries out
 * the console's commands. Every process shows the status and can send commands. Loaded only
 * when WHATSAPP_ENABLED (app.ts imports this module dynamically), so Baileys is never loaded
 * otherwise.
 */
import { WA_CERT_DETAILS } from '@whiskeysockets/baileys';
import { LRUCache } from 'lru-cache';
import { stdSerializers } from 'pino';
import type { Registry } from 'prom-client';
import type { RenderedReply } from '../../core/messages.js';
import type { Assistant } from '../../core/ports/assistant.js';
import type { ConversationControl } from '../../core/ports/conversation-control.js';
import type { Leases } from '../../core/ports/leases.js';
import type { LiveEvents } from '../../core/ports/live-events.js';
import type { AuditRepository, PatientRepository } from '../../core/ports/records.js';
import type { WhatsAppCommand, WhatsAppLink, WhatsAppLinkState } from '../../core/ports/whatsapp-link.js';
import type { WhatsAppAuthRepository, WhatsAppSentLog } from '../../core/ports/whatsapp-state.js';
import type { Logger } from '../../observability/logger.js';
import type { OutboundRegistry } from '../outbound.js';
import { loadAuthState } from './auth-state.js';
import { baileysLogger } from './baileys-logger.js';
import { WhatsAppConnection, type ConnectionSettings } from './connection.js';
import { WhatsAppInbound } from './inbound.js';
import { createWhatsAppMetrics } from './metrics.js';
import { Ownership } from './ownership.js';
import { Pacer } from './pacer.js';
import { RecentSends } from './recent-sends.js';
import { redactValue } from './redact.js';
import { createWhatsAppSender } from './sender.js';
import { StatusBoard } from './status-board.js';

export interface WhatsAppSettings {
  account: string;
  connection: ConnectionSettings;
  /** Hex public key a fake server's certificates are signed with (tests and demos only). */
  noiseRootKey?: string;
  leaseMs: number;
  chatGapMs: number;
  sendGapMs: number;
  maxBacklogMs: number;
  baileysLogLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  redactLogs: boolean;
  /** How long a delivery waits for a dropped socket to come back before it fails (the outbox retries it later). */
  sendWaitMs?: number;
}

export interface WhatsAppChannelDeps {
  settings: WhatsAppSettings;
  /** This process, in the lease and in the status ("host:pid:random"). */
  holderId: string;
  assistant: Assistant;
  conversationControl: ConversationControl;
  patients: PatientRepository;
  audit: AuditRepository;
  outbound: OutboundRegistry;
  liveEvents: LiveEvents;
  leases: Leases;
  authRepository: WhatsAppAuthRepository;
  sentLog: WhatsAppSentLog;
  /** "Clinic staff" in the reply's language, after a staff member's name. */
  staffLabel: (reply: RenderedReply) => string;
  registry: Registry;
  logger: Logger;
}

export interface WhatsAppChannel extends WhatsAppLink {
  /** The state for /readyz's details; never makes the app unready. */
  readinessDetail(): { state: WhatsAppLinkState; holdsLease: boolean };
  stop(): Promise<void>;
}

const SENT_LOG_DAYS = 30;

/** Whether a chat's patient wrote to us before (the adapter records every one that does); a yes is kept. */
function knownContacts(patients: PatientRepository): (conversationId: string) => Promise<boolean> {
  const known = new LRUCache<string, true>({ max: 50_000 });
  return async (conversationId) => {
    if (known.has(conversationId)) return true;
    const found = (await patients.findByIdentity({ channel: 'whatsapp', externalId: conversationId })) !== null;
    if (found) known.set(conversationId, true);
    return found;
  };
}

export async function startWhatsAppChannel(deps: WhatsAppChannelDeps): Promise<WhatsAppChannel> {
  const { settings, logger } = deps;
  // Baileys' errors name JIDs in their messages ("No session for 351…@s.whatsapp.net").
  const log = logger.child(
    { channel: 'whatsapp' },
    settings.redactLogs ? { serializers: { err: (error: Error) => redactValue(stdSerializers.err(error)) } } : {},
  );
  const baileys = baileysLogger(logger, settings.baileysLogLevel, settings.redactLogs);
  // Only ever set from WHATSAPP_NOISE_ROOT_KEY, which env.ts refuses in production.
  if (settings.noiseRootKey) WA_CERT_DETAILS.PUBLIC_KEY = Buffer.from(settings.noiseRootKey, 'hex');

  const board = new StatusBoard({
    liveEvents: deps.liveEvents,
    holderId: deps.holderId,
    heartbeatMs: Math.max(500, Math.floor(settings.leaseMs / 3)),
    onError: (error, what) => log.warn({ err: error }, `whatsapp: ${what}`),
  });
  let ownership: Ownership | null = null;
  const metrics = createWhatsAppMetrics(deps.registry, () => ({ state: board.status().state, holdsLease: ownership?.holds() ?? false }));
  const recent = new RecentSends();
  const inbound = new WhatsAppInbound({
    assistant: deps.assistant,
    conversationControl: deps.conversationControl,
    outbound: deps.outbound,
    patients: deps.patients,
    sentLog: deps.sentLog,
    account: settings.account,
    recent,
    maxBacklogMs: settings.maxBacklogMs,
    counters: metrics,
    log,
  });
  let connection: WhatsAppConnection | null = null;
  const sender = createWhatsAppSender({
    access: {
      waitForOpen: (ms) => connection?.waitForOpen(ms) ?? Promise.resolve(null),
      needsLinking: () => connection?.needsLinking() ?? false,
    },
    sentLog: deps.sentLog,
    account: settings.account,
    pacer: new Pacer({ chatGapMs: settings.chatGapMs, sendGapMs: settings.sendGapMs }),
    recent,
    staffLabel: deps.staffLabel,
    wroteBefore: knownContacts(deps.patients),
    waitForOpenMs: settings.sendWaitMs ?? 5_000,
    // The outbox retries a failed delivery with back-off; the sent log keeps parts from going twice.
    attempts: 1,
    onSent: () => metrics.sent(),
  });

  const audit = (action: string, actor: { actorType: 'staff' | 'system'; actorId: string }, details: Record<string, unknown>) =>
    deps.audit.record({ ...actor, action, patientId: null, details }).catch((error: unknown) => log.error({ err: error, action }, 'whatsapp: not audited'));
  const system = { actorType: 'system' as const, actorId: 'whatsapp' };
  let unlinkedBy: string | null = null;

  function openConnection(fence: number): WhatsAppConnection {
    const holds = () => ownership?.holds() ?? false;
    return new WhatsAppConnection({
      settings: settings.connection,
      authStore: {
        load: () => loadAuthState({ repository: deps.authRepository, account: settings.account, fence, holdsLease: holds, logger: baileys }),
        erase: () => deps.authRepository.erase(settings.account, fence),
      },
      recent,
      baileysLog: baileys,
      log,
      onStatus: (change) => board.publish(change),
      onMessages: (socket, upsert) => inbound.handleUpsert(socket, upsert),
      onDisconnect: (code) => metrics.disconnect(code),
      onLinked: (phone) => audit('whatsapp.linked', system, { phone }),
      onLoggedOut: (code) => audit('whatsapp.logged_out', system, { code }),
      onUnlinked: () => audit('whatsapp.unlinked', unlinkedBy ? { actorType: 'staff', actorId: unlinkedBy } : system, {}),
    });
  }

  /** Resolves once the held connection has loaded its credentials; commands wait for it. */
  let started: Promise<void> = Promise.resolve();

  async function carryOut(command: WhatsAppCommand): Promise<void> {
    await started;
    const current = connection;
    if (!current) return;
    if (command.type === 'link') await current.link();
    else if (command.type === 'pairing_code') await current.requestPairingCode(command.phone);
    else if (command.type === 'unlink') {
      unlinkedBy = command.staffId;
      await current.unlink();
    }
  }

  ownership = new Ownership({
    leases: deps.leases,
    name: `whatsapp:${settings.account}`,
    holderId: deps.holderId,
    ttlMs: settings.leaseMs,
    claimFence: (fence) => deps.authRepository.claim(settings.account, fence),
    log,
    async onAcquired(fence) {
      const held = openConnection(fence);
      connection = held;
      started = held.start();
      board.takeOwnership(carryOut);
      deps.outbound.register('whatsapp', sender);
      void deps.sentLog
        .purgeOlderThan(new Date(Date.now() - SENT_LOG_DAYS * 86_400_000))
        .catch((error: unknown) => log.warn({ err: error }, 'whatsapp: old sent-log rows not purged'));
      await started;
    },
    async onLost(reason) {
      log.warn({ reason }, 'whatsapp: this process no longer holds the number');
      deps.outbound.unregister('whatsapp');
      board.resignOwnership();
      const current = connection;
      connection = null;
      await current?.stop();
    },
  });
  ownership.start();

  return {
    status: () => board.status(),
    onStatus: (listener) => board.onStatus(listener),
    command: (command) => board.command(command),
    readinessDetail: () => ({ state: board.status().state, holdsLease: ownership?.holds() ?? false }),
    async stop() {
      await ownership?.stop();
      await inbound.drain();
      board.close();
    },
  };
}
