/**
 * Everything between us and a model that may be slow, failing or talking nonsense, built from
 * cockatiel's policies (a maintained library; nothing hand-rolled):
 *
 *   timeout (the whole call, retries included: the patient waits for this, not per attempt)
 *     └ retry (bounded, exponential back-off; only failures a retry can fix)
 *         └ circuit breaker (after N consecutive failures, stop calling for a cool-down,
 *                            so a dead model costs the next patients nothing)
 *
 * The breaker counts every failure, timeouts included (a slow model is a failing model for a
 * patient). An open circuit fails at once with BrokenCircuitError, which is never retried.
 */
import {
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  TimeoutStrategy,
  circuitBreaker,
  handleAll,
  handleWhen,
  TaskCancelledError,
  isBrokenCircuitError,
  retry,
  timeout,
  wrap,
} from 'cockatiel';
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { AppError } from '../core/errors.js';
import type { ModelCallOutcome } from '../observability/metrics.js';

export interface ResilienceSettings {
  timeoutMs: number;
  maxRetries: number;
  breakerThreshold: number;
  breakerCooldownMs: number;
  /** Back-off between retries; defaults suit a hosted model (250 ms doubling, at most 2 s). */
  backoff?: { initialDelayMs: number; maxDelayMs: number };
}

export interface ModelPolicy {
  /**
   * Runs `call` under the policies; `signal` aborts the request when the time is up, or when
   * `deadline` (the turn's budget) aborts first.
   */
  execute<T>(call: (signal: AbortSignal) => Promise<T>, deadline?: AbortSignal): Promise<T>;
  readonly circuitOpen: boolean;
}

/** A model answer we cannot use (no choices, unparseable arguments, a wrong structured output). */
export class ModelResponseError extends AppError {
  constructor(reason: string) {
    super('model_response_invalid', `The model's response could not be used: ${reason}`);
  }
}

const RETRYABLE_STATUSES = new Set([408, 409, 429]);

/** Failures a second attempt may fix: the connection, rate limits, the server's own errors. */
export function isRetryable(error: unknown): boolean {
  if (isBrokenCircuitError(error) || error instanceof APIUserAbortError) return false;
  if (error instanceof APIConnectionError) return true;
  if (error instanceof APIError) return typeof error.status === 'number' && (RETRYABLE_STATUSES.has(error.status) || error.status >= 500);
  return false;
}

export function classifyModelFailure(error: unknown): Exclude<ModelCallOutcome, 'ok'> {
  if (isBrokenCircuitError(error)) return 'circuit_open';
  // Not cockatiel's isTaskCancelledError: in 3.2 it tests for the bulkhead's marker instead.
  if (error instanceof TaskCancelledError || error instanceof APIConnectionTimeoutError || error instanceof APIUserAbortError) return 'timeout';
  if (error instanceof ModelResponseError || error instanceof SyntaxError) return 'invalid_response';
  return 'error';
}

export function createModelPolicy(settings: ResilienceSettings): ModelPolicy {
  const backoff = settings.backoff ?? { initialDelayMs: 250, maxDelayMs: 2_000 };
  const breaker = circuitBreaker(handleAll, {
    halfOpenAfter: settings.breakerCooldownMs,
    breaker: new ConsecutiveBreaker(settings.breakerThreshold),
  });
  const retries = retry(
    handleWhen((error) => isRetryable(error)),
    {
      maxAttempts: settings.maxRetries,
      backoff: new ExponentialBackoff({ initialDelay: backoff.initialDelayMs, maxDelay: backoff.maxDelayMs }),
    },
  );
  const policy = wrap(timeout(settings.timeoutMs, TimeoutStrategy.Aggressive), retries, breaker);
  return {
    execute: (call, deadline) => policy.execute(({ signal }) => call(signal), deadline),
    get circuitOpen() {
      return breaker.state === CircuitState.Open;
    },
  };
}
