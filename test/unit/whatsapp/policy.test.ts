import { describe, expect, it } from 'vitest';
import { decideReconnect, DISCONNECT } from '../../../src/channels/whatsapp/policy.js';

const settings = { baseMs: 2_000, maxMs: 120_000, replacedPauseMs: 900_000 };

describe('reconnect policy by DisconnectReason', () => {
  it('reconnects at once after 515 (restart required, as after pairing)', () => {
    expect(decideReconnect(DISCONNECT.restartRequired, 3, settings)).toEqual({ action: 'reconnect_now' });
  });

  it('stops on 401 (logged out) and 403 (forbidden, a ban): the number needs linking again', () => {
    expect(decideReconnect(DISCONNECT.loggedOut, 1, settings)).toEqual({ action: 'logged_out' });
    expect(decideReconnect(DISCONNECT.forbidden, 1, settings)).toEqual({ action: 'logged_out' });
  });

  it('pauses long after 440 (replaced elsewhere), however many attempts came before', () => {
    expect(decideReconnect(DISCONNECT.connectionReplaced, 1, settings)).toEqual({ action: 'replaced', delayMs: 900_000 });
    expect(decideReconnect(DISCONNECT.connectionReplaced, 50, settings)).toEqual({ action: 'replaced', delayMs: 900_000 });
  });

  it.each([428, 408, 500, 503, 411, 999])('backs off exponentially with jitter after %i', (code) => {
    const lowest = (attempt: number) => decideReconnect(code, attempt, settings, () => 0);
    const highest = (attempt: number) => decideReconnect(code, attempt, settings, () => 1);
    expect(lowest(1)).toEqual({ action: 'back_off', delayMs: 200 });
    expect(highest(1)).toEqual({ action: 'back_off', delayMs: 2_000 });
    expect(highest(2)).toEqual({ action: 'back_off', delayMs: 4_000 });
    expect(highest(4)).toEqual({ action: 'back_off', delayMs: 16_000 });
    // Capped, and never a tight loop even with the unluckiest jitter.
    expect(highest(30)).toEqual({ action: 'back_off', delayMs: 120_000 });
    expect(lowest(30)).toEqual({ action: 'back_off', delayMs: 200 });
  });

  it('spreads the delays of one attempt over its whole range', () => {
    const delays = [0.1, 0.5, 0.9].map((r) => {
      const decision = decideReconnect(428, 3, settings, () => r);
      return decision.action === 'back_off' ? decision.delayMs : -1;
    });
    expect(delays[0]).toBeLessThan(delays[1] ?? 0);
    expect(delays[1]).toBeLessThan(delays[2] ?? 0);
    expect(Math.max(...delays)).toBeLessThanOrEqual(8_000);
  });
});
