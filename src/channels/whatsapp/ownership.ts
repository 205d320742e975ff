/**
 * One socket per WhatsApp number across every process: the process that takes the lease
 * holds the socket and renews the lease a few times per TTL; the others keep trying, so when
 * the holder dies one of them takes over within about one TTL. A holder that cannot renew
 * (Redis unreachable) lets go on its own before its lease could have expired elsewhere.
 */
import type { Leases } from '../../core/ports/leases.js';

export interface OwnershipOptions {
  leases: Leases;
  /** Lease name, e.g. whatsapp:default. */
  name: string;
  holderId: string;
  ttlMs: number;
  /** Makes the fence the database's current one; false when a newer holder already wrote there. */
  claimFence(fence: number): Promise<boolean>;
  onAcquired(fence: number): Promise<void>;
  onLost(reason: 'lease_lost' | 'renewal_failed' | 'stopping'): Promise<void>;
  log: { info(details: object, message: string): void; warn(details: object, message: string): void };
  now?: () => number;
}

export class Ownership {
  private fence: number | null = null;
  private validUntil = 0;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> = Promise.resolve();
  private stopped = true;
  private readonly now: () => number;

  constructor(private readonly options: OwnershipOptions) {
    this.now = options.now ?? Date.now;
  }

  /** True while this process may use the number: it holds the lease and it cannot have expired yet. */
  holds(): boolean {
    return this.fence !== null && this.now() < this.validUntil;
  }

  get currentFence(): number | null {
    return this.holds() ? this.fence : null;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  /** Stops trying; a holder hands the number over at once instead of letting the lease run out. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    const fence = this.fence;
    if (fence === null) return;
    await this.lose('stopping');
    await this.options.leases.release(this.options.name, this.options.holderId, fence).catch((error: unknown) => {
      this.options.log.warn({ err: error }, 'whatsapp: lease not released; it expires by itself');
    });
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.round().finally(() => this.schedule(Math.max(100, Math.floor(this.options.ttlMs / 3))));
    }, delayMs);
    this.timer.unref();
  }

  private async round(): Promise<void> {
    try {
      if (this.fence === null) await this.tryAcquire();
      else await this.renew(this.fence);
    } catch (error) {
      this.options.log.warn({ err: error }, 'whatsapp: lease round failed');
    }
  }

  private async tryAcquire(): Promise<void> {
    const started = this.now();
    const grant = await this.options.leases.acquire(this.options.name, this.options.holderId, this.options.ttlMs);
    if (!grant || this.stopped) return;
    if (!(await this.options.claimFence(grant.fence))) {
      this.options.log.warn({ fence: grant.fence }, 'whatsapp: a newer holder already wrote the auth state; giving the lease back');
      await this.options.leases.release(this.options.name, this.options.holderId, grant.fence);
      return;
    }
    this.fence = grant.fence;
    this.validUntil = started + this.safeMs();
    this.options.log.info({ fence: grant.fence }, 'whatsapp: this process holds the number');
    try {
      await this.options.onAcquired(grant.fence);
    } catch (error) {
      // Could not start (the database is down?): let another process, or the next round, try.
      await this.lose('renewal_failed').catch(() => undefined);
      await this.options.leases.release(this.options.name, this.options.holderId, grant.fence).catch(() => undefined);
      throw error;
    }
  }

  private async renew(fence: number): Promise<void> {
    const started = this.now();
    let renewed: boolean;
    try {
      renewed = await this.options.leases.renew(this.options.name, this.options.holderId, fence, this.options.ttlMs);
    } catch (error) {
      if (this.now() < this.validUntil) throw error;
      this.options.log.warn({ err: error }, 'whatsapp: lease could not be renewed in time; letting the number go');
      await this.lose('renewal_failed');
      return;
    }
    if (renewed) {
      this.validUntil = started + this.safeMs();
      return;
    }
    this.options.log.warn({ fence }, 'whatsapp: the lease was taken over by another process');
    await this.lose('lease_lost');
  }

  private async lose(reason: 'lease_lost' | 'renewal_failed' | 'stopping'): Promise<void> {
    this.fence = null;
    this.validUntil = 0;
    await this.options.onLost(reason);
  }

  /** A tenth of the TTL less than the lease, for clock drift and the time a renewal takes. */
  private safeMs(): number {
    return this.options.ttlMs - Math.ceil(this.options.ttlMs / 10);
  }
}
