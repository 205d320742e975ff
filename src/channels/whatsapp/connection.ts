/**
 * The socket of the linked number, held by the lease owner: opens Baileys' socket with the
 * stored credentials, links a new number on request (QR code or pairing code), and after every
 * close follows the DisconnectReason policy (policy.ts). The old socket is always ended before
 * a new one opens; an unlinked number opens no socket until someone asks to link.
 */
import {
  Browsers,
  generateMessageIDV2,
  makeWASocket,
  proto,
  type BaileysEventMap,
  type ConnectionState,
  type WASocket,
} from '@whiskeysockets/baileys';
import type { ILogger } from '@whiskeysockets/baileys/lib/Utils/logger.js';
import { LRUCache } from 'lru-cache';
import type { Logger } from '../../observability/logger.js';
import { phoneOf, userOf } from './addresses.js';
import { isLinked, type StoredAuthState } from './auth-state.js';
import type { ReceivingSocket } from './inbound.js';
import { decideReconnect, DISCONNECT, type BackOffSettings } from './policy.js';
import type { RecentSends } from './recent-sends.js';
import type { SendingSocket, SocketAccess } from './sender.js';
import type { StatusChange } from './status-board.js';

export interface ConnectionSettings {
  /** WhatsApp's endpoint; a local fake in tests and demos. */
  wsUrl?: string;
  connectTimeoutMs: number;
  /** How long each QR code is shown; Baileys' own default when absent. */
  qrRotateMs?: number;
  keepAliveIntervalMs?: number;
  backOff: BackOffSettings;
}

export interface ConnectionDeps {
  settings: ConnectionSettings;
  /** The stored auth state; `erase` deletes it (logout, unlink) and `load` then gives fresh credentials. */
  authStore: { load(): Promise<StoredAuthState>; erase(): Promise<void> };
  recent: RecentSends;
  baileysLog: ILogger;
  log: Logger;
  onStatus(change: StatusChange): void;
  onMessages(socket: ReceivingSocket, upsert: BaileysEventMap['messages.upsert']): void;
  onDisconnect(code: number): void;
  /** Audit hooks: a number was linked, the phone logged this device out (or a ban), staff unlinked. */
  onLinked(phone: string | null): Promise<void>;
  onLoggedOut(code: number): Promise<void>;
  onUnlinked(): Promise<void>;
}

/** Baileys closes with a Boom error whose output.statusCode is the DisconnectReason. */
export function disconnectCode(error: unknown): number {
  if (typeof error === 'object' && error !== null && 'output' in error) {
    const output: unknown = error.output;
    if (typeof output === 'object' && output !== null && 'statusCode' in output && typeof output.statusCode === 'number') return output.statusCode;
  }
  return DISCONNECT.badSession;
}

/** "ABCDEFGH" → "ABCD-EFGH", as WhatsApp shows it. */
function formatPairingCode(code: string): string {
  return code.length === 8 ? `${code.slice(0, 4)}-${code.slice(4)}` : code;
}

export class WhatsAppConnection implements SocketAccess {
  private auth: StoredAuthState | null = null;
  private socket: WASocket | null = null;
  private isOpen = false;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  private justLinked = false;
  private unlinking = false;
  /** Set while someone asked to link; `pairingPhone` when they asked for a pairing code. */
  private linking: { pairingPhone: string | null; requested: boolean } | null = null;
  private pairingCode: string | null = null;
  private lastDisconnect: { code: number; at: string } | null = null;
  private readonly openWaiters = new Set<() => void>();
  /** Kept across sockets, so a message that fails to decrypt is not retried for ever. */
  private readonly retryCounts = new LRUCache<string, number>({ max: 5_000, ttl: 3_600_000 });

  constructor(private readonly deps: ConnectionDeps) {}

  async start(): Promise<void> {
    this.auth = await this.deps.authStore.load();
    if (this.linked) {
      this.deps.onStatus({ state: 'connecting', phone: this.phone });
      await this.connect();
    } else {
      this.deps.onStatus({ state: 'not_linked' });
    }
  }

  /** Shows a QR code to link a number (no-op when one is linked, or while QR codes are already shown). */
  async link(): Promise<void> {
    if (this.linked || this.stopped) return;
    if (this.socket && this.linking && !this.linking.pairingPhone) return;
    await this.startLinking(null);
  }

  /** Links with an 8-character code typed on the phone instead of a QR scan. */
  async requestPairingCode(phone: string): Promise<void> {
    if (this.linked || this.stopped) return;
    await this.startLinking(phone);
  }

  /** A fresh registration: the code is asked for at the first QR event, when WhatsApp is ready for it. */
  private async startLinking(pairingPhone: string | null): Promise<void> {
    await this.endSocket();
    // Leftovers of an earlier attempt (a pairing code that was never typed in) would make Baileys log in instead.
    if (this.auth?.state.creds.me) await this.resetCredentials();
    this.linking = { pairingPhone, requested: false };
    this.pairingCode = null;
    this.deps.onStatus({ state: 'linking' });
    await this.connect();
  }

  /** Logs this device out of the number and deletes the credentials. */
  async unlink(): Promise<void> {
    const socket = this.socket;
    if (socket && this.isOpen) {
      this.unlinking = true;
      try {
        // WhatsApp removes the device; the socket then closes with 401, handled in onClose.
        await socket.logout('Unlinked from the staff console');
        return;
      } catch (error) {
        // The connection dropped under us: unlink locally; the phone lists the device until it sees it gone.
        this.unlinking = false;
        this.deps.log.warn({ err: error }, 'whatsapp: logout not confirmed by WhatsApp; deleting the credentials anyway');
      }
    }
    await this.endSocket();
    this.linking = null;
    await this.resetCredentials();
    await this.deps.onUnlinked();
    this.deps.onStatus({ state: 'not_linked' });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await this.endSocket();
    for (const wake of this.openWaiters) wake();
  }

  needsLinking(): boolean {
    return this.auth !== null && !this.linked;
  }

  async waitForOpen(timeoutMs: number): Promise<SendingSocket | null> {
    if (!this.isOpen) {
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          clearTimeout(timer);
          this.openWaiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, timeoutMs);
        this.openWaiters.add(wake);
      });
    }
    const socket = this.socket;
    if (!socket || !this.isOpen || this.stopped) return null;
    return {
      newMessageId: () => generateMessageIDV2(socket.user?.id),
      sendText: async (jid, text, messageId) => {
        await socket.sendMessage(jid, { text }, { messageId });
      },
    };
  }

  private get linked(): boolean {
    return this.auth !== null && isLinked(this.auth.state.creds);
  }

  private get phone(): string | null {
    return phoneOf(this.auth?.state.creds.me?.id);
  }

  private async connect(): Promise<void> {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    await this.endSocket();
    const auth = this.auth;
    if (!auth || this.stopped) return;
    const { settings } = this.deps;
    const socket = makeWASocket({
      auth: auth.state,
      logger: this.deps.baileysLog,
      browser: Browsers.ubuntu('Clinic assistant'),
      ...(settings.wsUrl ? { waWebSocketUrl: settings.wsUrl } : {}),
      connectTimeoutMs: settings.connectTimeoutMs,
      defaultQueryTimeoutMs: settings.connectTimeoutMs,
      ...(settings.keepAliveIntervalMs ? { keepAliveIntervalMs: settings.keepAliveIntervalMs } : {}),
      ...(settings.qrRotateMs ? { qrTimeout: settings.qrRotateMs } : {}),
      // The phone keeps its notifications, and the clinic's chats are not marked as read by the bot being online.
      markOnlineOnConnect: false,
      syncFullHistory: false,
      // Old chats are not the bot's business; the bootstrap sync carries the LID ↔ phone pairs.
      shouldSyncHistoryMessage: (message) =>
        message.syncType === proto.HistorySync.HistorySyncType.INITIAL_BOOTSTRAP || message.syncType === proto.HistorySync.HistorySyncType.PUSH_NAME,
      shouldIgnoreJid: (jid) => /@(g\.us|broadcast|newsletter)$/.test(jid),
      // A patient's phone that could not decrypt a reply asks for it again.
      getMessage: async (key) => {
        const text = key.id ? this.deps.recent.text(key.id) : undefined;
        return text === undefined ? undefined : { conversation: text };
      },
      msgRetryCounterCache: {
        get: <T>(key: string) => this.retryCounts.get(key) as T | undefined,
        set: <T>(key: string, value: T) => {
          if (typeof value === 'number') this.retryCounts.set(key, value);
        },
        del: (key: string) => this.retryCounts.delete(key),
        flushAll: () => this.retryCounts.clear(),
      },
      transactionOpts: { maxCommitRetries: 3, delayBetweenTriesMs: 500 },
    });
    this.socket = socket;
    socket.ev.on('creds.update', () => {
      auth.saveCreds().catch((error: unknown) => this.deps.log.error({ err: error }, 'whatsapp: credentials not saved'));
    });
    socket.ev.on('connection.update', (update) => {
      if (this.socket !== socket) return;
      this.onUpdate(socket, update).catch((error: unknown) => this.deps.log.error({ err: error }, 'whatsapp: connection update failed'));
    });
    socket.ev.on('messages.upsert', (upsert) => {
      if (this.socket === socket) this.deps.onMessages(this.receiving(socket), upsert);
    });
  }

  private receiving(socket: WASocket): ReceivingSocket {
    return {
      readMessages: (keys) => socket.readMessages(keys),
      sendPresenceUpdate: (type, jid) => socket.sendPresenceUpdate(type, jid),
      lidForPn: (pn) => socket.signalRepository.lidMapping.getLIDForPN(pn),
      pnForLid: (lid) => socket.signalRepository.lidMapping.getPNForLID(lid),
      ownUsers: () => [userOf(socket.user?.id), userOf(socket.user?.lid)].filter((user): user is string => user !== null),
    };
  }

  /** Ends the current socket, if any, before anything else happens. Its own close event is ignored. */
  private async endSocket(): Promise<void> {
    const socket = this.socket;
    this.socket = null;
    this.isOpen = false;
    if (!socket) return;
    try {
      await socket.end(undefined);
    } catch (error) {
      this.deps.log.warn({ err: error }, 'whatsapp: old socket did not end cleanly');
    }
  }

  private async onUpdate(socket: WASocket, update: Partial<ConnectionState>): Promise<void> {
    if (update.isNewLogin) this.justLinked = true;
    if (update.qr) await this.onQr(socket, update.qr);
    if (update.connection === 'connecting' && this.linked) this.deps.onStatus({ state: 'connecting', phone: this.phone, lastDisconnect: this.lastDisconnect });
    if (update.connection === 'open') await this.onOpen();
    if (update.connection === 'close') await this.onClose(disconnectCode(update.lastDisconnect?.error));
  }

  private async onQr(socket: WASocket, qr: string): Promise<void> {
    if (this.linking?.pairingPhone) {
      if (!this.linking.requested) await this.askForPairingCode(socket);
      return;
    }
    this.deps.onStatus({ state: 'waiting_for_scan', qr });
  }

  private async askForPairingCode(socket: WASocket): Promise<void> {
    const phone = this.linking?.pairingPhone;
    if (!phone || !this.linking) return;
    this.linking.requested = true;
    const code = await socket.requestPairingCode(phone);
    this.pairingCode = formatPairingCode(code);
    this.deps.onStatus({ state: 'waiting_for_scan', pairingCode: this.pairingCode });
  }

  private async onOpen(): Promise<void> {
    this.isOpen = true;
    this.attempt = 0;
    this.linking = null;
    this.pairingCode = null;
    for (const wake of [...this.openWaiters]) wake();
    this.deps.onStatus({ state: 'connected', phone: this.phone, lastDisconnect: this.lastDisconnect });
    if (this.justLinked) {
      this.justLinked = false;
      await this.deps.onLinked(this.phone);
    }
  }

  private async onClose(code: number): Promise<void> {
    this.isOpen = false;
    this.socket = null;
    this.lastDisconnect = { code, at: new Date().toISOString() };
    this.deps.onDisconnect(code);
    if (this.stopped) return;
    if (this.unlinking) {
      this.unlinking = false;
      await this.resetCredentials();
      await this.deps.onUnlinked();
      this.deps.onStatus({ state: 'not_linked', lastDisconnect: this.lastDisconnect });
      return;
    }
    if (!this.linked) {
      await this.linkingEnded(code);
      return;
    }
    const decision = decideReconnect(code, ++this.attempt, this.deps.settings.backOff);
    const phone = this.phone;
    switch (decision.action) {
      case 'reconnect_now':
        this.deps.log.info({ code }, 'whatsapp: reconnecting at once');
        await this.connect();
        return;
      case 'back_off':
        this.deps.log.warn({ code, attempt: this.attempt, delayMs: decision.delayMs }, 'whatsapp: connection dropped; reconnecting after a pause');
        this.retryAfter(decision.delayMs, { state: 'reconnecting', phone });
        return;
      case 'replaced':
        this.deps.log.error(
          { code, pauseMs: decision.delayMs },
          'whatsapp: ALERT another device or program is using this number\'s credentials (440 replaced); pausing before trying again',
        );
        this.retryAfter(decision.delayMs, { state: 'replaced', phone });
        return;
      case 'logged_out':
        this.deps.log.error({ code }, 'whatsapp: the number logged this device out (or was banned); credentials deleted, link it again');
        await this.resetCredentials();
        await this.deps.onLoggedOut(code);
        this.deps.onStatus({ state: 'logged_out', lastDisconnect: this.lastDisconnect });
        return;
    }
  }

  /** A linking attempt ended without a link (QR codes ran out, the phone refused): wait to be asked again. */
  private async linkingEnded(code: number): Promise<void> {
    if (code === DISCONNECT.restartRequired && this.linking) {
      await this.connect();
      return;
    }
    this.linking = null;
    this.pairingCode = null;
    this.deps.log.info({ code }, 'whatsapp: linking ended without a linked number');
    // Half-linked credentials (a pairing code that was never entered) are of no use.
    if (this.auth?.state.creds.me) await this.resetCredentials();
    this.deps.onStatus({ state: 'not_linked', lastDisconnect: this.lastDisconnect });
  }

  private retryAfter(delayMs: number, status: StatusChange): void {
    const retryAt = new Date(Date.now() + delayMs).toISOString();
    this.deps.onStatus({ ...status, retryAt, lastDisconnect: this.lastDisconnect });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect().catch((error: unknown) => this.deps.log.error({ err: error }, 'whatsapp: reconnect failed'));
    }, delayMs);
    this.retryTimer.unref();
  }

  private async resetCredentials(): Promise<void> {
    await this.auth?.retire();
    await this.deps.authStore.erase();
    this.auth = await this.deps.authStore.load();
  }
}
