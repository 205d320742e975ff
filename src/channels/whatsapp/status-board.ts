/**
 * The linked number's status and the console's commands, shared by every process over
 * LiveEvents: the lease holder publishes its status (on each change and as a heartbeat) and
 * carries out the commands; every other process shows the last status it heard, or `no_owner`
 * when the holder has gone quiet.
 */
import type { LiveEvents } from '../../core/ports/live-events.js';
import type { WhatsAppCommand, WhatsAppLink, WhatsAppStatus } from '../../core/ports/whatsapp-link.js';

export interface StatusBoardOptions {
  liveEvents: LiveEvents;
  /** This process, as status.owner shows it. */
  holderId: string;
  /** The owner republishes this often; a status older than three of these counts as no owner. */
  heartbeatMs: number;
  now?: () => Date;
  onError: (error: unknown, what: string) => void;
}

export type StatusChange = Partial<Omit<WhatsAppStatus, 'owner' | 'since' | 'updatedAt'>> & Pick<WhatsAppStatus, 'state'>;

const EMPTY: Omit<WhatsAppStatus, 'state' | 'since' | 'updatedAt'> = {
  phone: null,
  qr: null,
  pairingCode: null,
  retryAt: null,
  lastDisconnect: null,
  owner: null,
};

export class StatusBoard implements WhatsAppLink {
  private latest: WhatsAppStatus;
  private readonly listeners = new Set<(status: WhatsAppStatus) => void>();
  private commandHandler: ((command: WhatsAppCommand) => Promise<void>) | null = null;
  private readonly unsubscribe: () => void;
  private readonly timer: NodeJS.Timeout;
  private readonly now: () => Date;
  private lastShownState: WhatsAppStatus['state'] | null = null;

  constructor(private readonly options: StatusBoardOptions) {
    this.now = options.now ?? (() => new Date());
    const at = this.now().toISOString();
    this.latest = { ...EMPTY, state: 'no_owner', since: at, updatedAt: at };
    this.unsubscribe = options.liveEvents.subscribe((event) => {
      if (event.type === 'whatsapp.status') this.heard(event.status);
      else if (event.type === 'whatsapp.command') this.received(event.command);
    });
    this.timer = setInterval(() => this.tick(), options.heartbeatMs);
    this.timer.unref();
    void this.command({ type: 'status_request' }).catch((error: unknown) => options.onError(error, 'status request'));
  }

  get owning(): boolean {
    return this.commandHandler !== null;
  }

  status(): WhatsAppStatus {
    const age = this.now().getTime() - Date.parse(this.latest.updatedAt);
    if (!this.owning && this.latest.state !== 'no_owner' && age > 3 * this.options.heartbeatMs) {
      return { ...EMPTY, state: 'no_owner', since: this.latest.updatedAt, updatedAt: this.latest.updatedAt };
    }
    return this.latest;
  }

  onStatus(listener: (status: WhatsAppStatus) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  async command(command: WhatsAppCommand): Promise<void> {
    await this.options.liveEvents.publish({ type: 'whatsapp.command', command });
  }

  /** This process holds the number now: it publishes and runs the commands. */
  takeOwnership(handler: (command: WhatsAppCommand) => Promise<void>): void {
    this.commandHandler = handler;
  }

  resignOwnership(): void {
    this.commandHandler = null;
  }

  /** The holder's new state; fields not given are cleared (a QR code does not outlive its state). */
  publish(change: StatusChange): void {
    if (!this.owning) return;
    const at = this.now().toISOString();
    const since = change.state === this.latest.state && this.latest.owner === this.options.holderId ? this.latest.since : at;
    this.latest = { ...EMPTY, ...change, owner: this.options.holderId, since, updatedAt: at };
    this.notify();
    this.broadcast();
  }

  close(): void {
    clearInterval(this.timer);
    this.unsubscribe();
    this.listeners.clear();
  }

  private broadcast(): void {
    this.options.liveEvents
      .publish({ type: 'whatsapp.status', status: this.latest })
      .catch((error: unknown) => this.options.onError(error, 'status not published'));
  }

  private heard(status: WhatsAppStatus): void {
    // Our own broadcast coming back, or an old holder's last words after we took over.
    if (status.owner === this.options.holderId || this.owning) return;
    this.latest = status;
    this.notify();
  }

  private received(command: WhatsAppCommand): void {
    const handler = this.commandHandler;
    if (!handler) return;
    if (command.type === 'status_request') {
      this.broadcast();
      return;
    }
    handler(command).catch((error: unknown) => this.options.onError(error, `command ${command.type} failed`));
  }

  /** Heartbeat while owning; otherwise notice when the owner went quiet. */
  private tick(): void {
    if (this.owning) {
      this.latest = { ...this.latest, updatedAt: this.now().toISOString() };
      this.broadcast();
      return;
    }
    if (this.status().state !== this.lastShownState) this.notify();
  }

  private notify(): void {
    const shown = this.status();
    this.lastShownState = shown.state;
    for (const listener of [...this.listeners]) listener(shown);
  }
}
