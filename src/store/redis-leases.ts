import { readFileSync } from 'node:fs';
import { Redis, type RedisOptions, type Result } from 'ioredis';
import type { LeaseGrant, Leases } from '../core/ports/leases.js';
import type { StoreKeys } from './keys.js';

/** Leases on Redis, shared by every process of the app; see each .lua file for KEYS/ARGV. */

declare module 'ioredis' {
  interface RedisCommander<Context> {
    cabAcquireLease(leaseKey: string, fenceKey: string, holder: string, ttlMs: number, fenceTtlSeconds: number): Result<number | null, Context>;
    cabRenewLease(leaseKey: string, holder: string, fence: string, ttlMs: number): Result<number, Context>;
    cabReleaseLease(leaseKey: string, holder: string, fence: string): Result<number, Context>;
  }
}

const ACQUIRE_LUA = readFileSync(new URL('./lua/acquire-lease.lua', import.meta.url), 'utf8');
const RENEW_LUA = readFileSync(new URL('./lua/renew-lease.lua', import.meta.url), 'utf8');
const RELEASE_LUA = readFileSync(new URL('./lua/release-lease.lua', import.meta.url), 'utf8');

/** The fence counter outlives every lease by far; its TTL only stops it living for ever after a deployment is gone. */
const FENCE_TTL_SECONDS = 30 * 86_400;

export class RedisLeases implements Leases {
  private constructor(
    private readonly client: Redis,
    private readonly keys: StoreKeys,
  ) {
    client.defineCommand('cabAcquireLease', { numberOfKeys: 2, lua: ACQUIRE_LUA });
    client.defineCommand('cabRenewLease', { numberOfKeys: 1, lua: RENEW_LUA });
    client.defineCommand('cabReleaseLease', { numberOfKeys: 1, lua: RELEASE_LUA });
  }

  /** Its own connection, so a slow turn's commands never delay a renewal; close() quits it. */
  static connect(url: string, keys: StoreKeys, options: { redisOptions?: RedisOptions; onError?: (error: Error) => void } = {}): RedisLeases {
    const client = new Redis(url, { ...options.redisOptions });
    if (options.onError) client.on('error', options.onError);
    return new RedisLeases(client, keys);
  }

  async acquire(name: string, holder: string, ttlMs: number): Promise<LeaseGrant | null> {
    const fence = await this.client.cabAcquireLease(this.keys.lease(name), this.keys.fence(name), holder, ttlMs, FENCE_TTL_SECONDS);
    return fence === null ? null : { fence: Number(fence) };
  }

  async renew(name: string, holder: string, fence: number, ttlMs: number): Promise<boolean> {
    return (await this.client.cabRenewLease(this.keys.lease(name), holder, String(fence), ttlMs)) === 1;
  }

  async release(name: string, holder: string, fence: number): Promise<void> {
    await this.client.cabReleaseLease(this.keys.lease(name), holder, String(fence));
  }

  async holder(name: string): Promise<string | null> {
    return this.client.hget(this.keys.lease(name), 'holder');
  }

  async close(): Promise<void> {
    if (this.client.status === 'ready') {
      await this.client.quit().catch(() => this.client.disconnect());
    } else {
      this.client.disconnect();
    }
  }
}
