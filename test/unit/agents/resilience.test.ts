import { BrokenCircuitError } from 'cockatiel';
import { APIConnectionError, APIUserAbortError, BadRequestError, InternalServerError } from 'openai';
import { describe, expect, it } from 'vitest';
import { classifyModelFailure, createModelPolicy, isRetryable, ModelResponseError } from '../../../src/agents/resilience.js';

const quick = { initialDelayMs: 1, maxDelayMs: 2 };
const serverError = () => new InternalServerError(500, { message: 'boom' }, 'boom', new Headers());
const badRequest = () => new BadRequestError(400, { message: 'bad' }, 'bad', new Headers());

/** A stand-in for the model: fails with the given errors in turn, then answers. */
function flaky(errors: Error[]) {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    run: async (): Promise<string> => {
      const error = errors[calls];
      calls += 1;
      if (error) throw error;
      return 'answer';
    },
  };
}

describe('model resilience policy', () => {
  it('retries failures a retry can fix, up to the bound, then succeeds', async () => {
    const policy = createModelPolicy({ timeoutMs: 5_000, maxRetries: 2, breakerThreshold: 10, breakerCooldownMs: 60_000, backoff: quick });
    const model = flaky([serverError(), new APIConnectionError({ message: 'refused' })]);
    await expect(policy.execute(model.run)).resolves.toBe('answer');
    expect(model.calls).toBe(3);
  });

  it('gives up after maxRetries retries', async () => {
    const policy = createModelPolicy({ timeoutMs: 5_000, maxRetries: 2, breakerThreshold: 10, breakerCooldownMs: 60_000, backoff: quick });
    const model = flaky([serverError(), serverError(), serverError(), serverError()]);
    await expect(policy.execute(model.run)).rejects.toBeInstanceOf(InternalServerError);
    expect(model.calls).toBe(3);
  });

  it('does not retry what a retry cannot fix', async () => {
    const policy = createModelPolicy({ timeoutMs: 5_000, maxRetries: 2, breakerThreshold: 10, breakerCooldownMs: 60_000, backoff: quick });
    const model = flaky([badRequest()]);
    await expect(policy.execute(model.run)).rejects.toBeInstanceOf(BadRequestError);
    expect(model.calls).toBe(1);
    const garbage = flaky([new ModelResponseError('no choices')]);
    await expect(policy.execute(garbage.run)).rejects.toBeInstanceOf(ModelResponseError);
    expect(garbage.calls).toBe(1);
  });

  it('times out a call that never answers, and aborts its request', async () => {
    const policy = createModelPolicy({ timeoutMs: 50, maxRetries: 0, breakerThreshold: 10, breakerCooldownMs: 60_000, backoff: quick });
    let aborted = false;
    // Like the openai client: an aborted request rejects with APIUserAbortError.
    const hanging = (signal: AbortSignal) =>
      new Promise<string>((_resolve, reject) => {
        signal.addEventListener('abort', () => {
          aborted = true;
          reject(new APIUserAbortError());
        });
      });
    const error = await policy.execute(hanging).catch((e: unknown) => e);
    expect(classifyModelFailure(error)).toBe('timeout');
    expect(aborted).toBe(true);
  });

  it('opens the circuit after consecutive failures and then fails at once without calling', async () => {
    const policy = createModelPolicy({ timeoutMs: 5_000, maxRetries: 0, breakerThreshold: 3, breakerCooldownMs: 60_000, backoff: quick });
    const model = flaky(Array.from({ length: 10 }, serverError));
    for (let i = 0; i < 3; i += 1) await policy.execute(model.run).catch(() => undefined);
    expect(policy.circuitOpen).toBe(true);
    const error = await policy.execute(model.run).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BrokenCircuitError);
    expect(classifyModelFailure(error)).toBe('circuit_open');
    expect(model.calls).toBe(3);
  });

  it('retries count against the breaker, and an open circuit stops the retries', async () => {
    const policy = createModelPolicy({ timeoutMs: 5_000, maxRetries: 5, breakerThreshold: 2, breakerCooldownMs: 60_000, backoff: quick });
    const model = flaky(Array.from({ length: 10 }, serverError));
    const error = await policy.execute(model.run).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BrokenCircuitError);
    expect(model.calls).toBe(2);
  });

  it('lets a trial call through after the cool-down and closes on success', async () => {
    const policy = createModelPolicy({ timeoutMs: 5_000, maxRetries: 0, breakerThreshold: 1, breakerCooldownMs: 30, backoff: quick });
    const model = flaky([serverError()]);
    await policy.execute(model.run).catch(() => undefined);
    expect(policy.circuitOpen).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 60));
    await expect(policy.execute(model.run)).resolves.toBe('answer');
    expect(policy.circuitOpen).toBe(false);
  });

  it('classifies failures for the counters', () => {
    expect(isRetryable(new APIConnectionError({ message: 'x' }))).toBe(true);
    expect(isRetryable(badRequest())).toBe(false);
    expect(isRetryable(new BrokenCircuitError())).toBe(false);
    expect(classifyModelFailure(new SyntaxError('Unexpected token <'))).toBe('invalid_response');
    expect(classifyModelFailure(serverError())).toBe('error');
  });
});
