import { describe, expect, it } from 'vitest';
import { ConnectorError, parseRetryAfter } from '../../../src/channels/teams/bot-framework.js';
import { backoffDelay, withConnectorRetries, type RetryPolicy } from '../../../src/channels/teams/retry.js';

const policy: RetryPolicy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1_000 };

function failing(statuses: (number | undefined)[], retryAfterMs?: number) {
  const calls: number[] = [];
  const call = async (): Promise<string> => {
    const status = statuses[calls.length];
    calls.push(calls.length + 1);
    if (calls.length > statuses.length) return 'sent';
    throw new ConnectorError(`status ${status}`, status, retryAfterMs);
  };
  return { call, calls };
}

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates, and nothing else', () => {
    expect(parseRetryAfter('3')).toBe(3_000);
    expect(parseRetryAfter('0.5')).toBe(500);
    expect(parseRetryAfter('Wed, 21 Oct 2026 07:28:05 GMT', Date.parse('Wed, 21 Oct 2026 07:28:00 GMT'))).toBe(5_000);
    expect(parseRetryAfter('Wed, 21 Oct 2026 07:28:05 GMT', Date.parse('Wed, 21 Oct 2026 07:29:00 GMT'))).toBe(0);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });
});

describe('backoffDelay', () => {
  it('waits as long as Retry-After says, but never past the cap', () => {
    expect(backoffDelay(1, policy, 250)).toBe(250);
    expect(backoffDelay(1, policy, 60_000)).toBe(1_000);
  });

  it('doubles the cap with each try, jittered between half and all of it', () => {
    expect(backoffDelay(1, policy, undefined, () => 0)).toBe(50);
    expect(backoffDelay(1, policy, undefined, () => 1)).toBe(100);
    expect(backoffDelay(3, policy, undefined, () => 1)).toBe(400);
    expect(backoffDelay(9, policy, undefined, () => 1)).toBe(1_000);
  });
});

describe('withConnectorRetries', () => {
  it('retries 429, 412, 502 and 504 with the back-off in between, then succeeds', async () => {
    const { call, calls } = failing([429, 412, 502]);
    const waits: number[] = [];
    const retried: number[] = [];
    const result = await withConnectorRetries(call, policy, { wait: async (ms) => void waits.push(ms), random: () => 1, onRetry: ({ status }) => void retried.push(status) });
    expect(result).toBe('sent');
    expect(calls).toHaveLength(4);
    expect(waits).toEqual([100, 200, 400]);
    expect(retried).toEqual([429, 412, 502]);
  });

  it('honours Retry-After between tries', async () => {
    const { call } = failing([429], 750);
    const waits: number[] = [];
    await withConnectorRetries(call, policy, { wait: async (ms) => void waits.push(ms) });
    expect(waits).toEqual([750]);
  });

  it('stops after maxAttempts and throws the last failure', async () => {
    const { call, calls } = failing([504, 504, 504, 504, 504]);
    await expect(withConnectorRetries(call, policy, { wait: async () => undefined })).rejects.toMatchObject({ status: 504 });
    expect(calls).toHaveLength(4);
  });

  it.each([[403], [404], [400], [500], [401], [undefined]])('does not retry %s', async (status) => {
    const { call, calls } = failing([status]);
    await expect(withConnectorRetries(call, policy, { wait: async () => undefined })).rejects.toBeInstanceOf(ConnectorError);
    expect(calls).toHaveLength(1);
  });
});
