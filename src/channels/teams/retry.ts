/**
 * Retrying a Bot Connector call the way Teams asks: on 429 (throttled), 412 (precondition
 * failed: a conversation busy with another write), 502 and 504, back off exponentially with
 * jitter, or exactly as long as Retry-After says. botbuilder's own HTTP pipeline already retries
 * 429/503 that carry Retry-After and 5xx a few times inside each try; this adds the rest and
 * bounds the whole.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ConnectorError } from './bot-framework.js';

export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([412, 429, 502, 504]);

export interface RetryPolicy {
  /** Tries in all, the first included. */
  maxAttempts: number;
  /** The first back-off; it doubles on each retry. */
  baseDelayMs: number;
  /** No back-off is longer, Retry-After included. */
  maxDelayMs: number;
}

export interface RetryHooks {
  /** Before each wait; a returned promise is awaited (e.g. to renew a lease). */
  onRetry?(details: { status: number; attempt: number; delayMs: number }): void | Promise<void>;
  /** For tests: waits without the clock. */
  wait?(ms: number): Promise<void>;
  random?(): number;
}

/** How long to wait before try `attempt + 1`: Retry-After when given, else full jitter under the exponential cap. */
export function backoffDelay(attempt: number, policy: RetryPolicy, retryAfterMs: number | undefined, random: () => number = Math.random): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxDelayMs);
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(cap / 2 + (random() * cap) / 2);
}

export function isRetryable(error: unknown): error is ConnectorError & { status: number } {
  return error instanceof ConnectorError && error.status !== undefined && RETRYABLE_STATUSES.has(error.status);
}

/** Runs `call`, retrying retryable connector failures; the last failure is thrown as it came. */
export async function withConnectorRetries<T>(call: () => Promise<T>, policy: RetryPolicy, hooks: RetryHooks = {}): Promise<T> {
  const wait = hooks.wait ?? ((ms: number) => sleep(ms));
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await call();
    } catch (error) {
      if (!isRetryable(error) || attempt >= policy.maxAttempts) throw error;
      const delayMs = backoffDelay(attempt, policy, error.retryAfterMs, hooks.random);
      await hooks.onRetry?.({ status: error.status, attempt, delayMs });
      await wait(delayMs);
    }
  }
}
