/**
 * Taking a conversation's turn lock across processes. The lock is a lease: renewed while the
 * turn runs, so a turn of any length keeps it, and lapsing within `leaseMs` when its process
 * dies or freezes, so another process takes over within seconds. A process that lost its lease
 * without noticing cannot do harm: its commit names the revision it started from, and the
 * database refuses it once another turn has committed (fencing by revision).
 */
import { randomUUID } from 'node:crypto';
import type { BeginTurnRequest, BeginTurnResult, HotStore } from '../core/ports/hot-store.js';
import type { TurnGuard } from './turn-guard.js';

/** Waits between attempts while another turn of the conversation holds the lock. */
const RETRY_DELAYS_MS = [5, 10, 20, 40, 80, 160];

export class ConversationBusyError extends Error {
  constructor() {
    super('Another turn of this conversation held its lock until the time limit');
  }
}

export type LockedTurn = Exclude<BeginTurnResult, { status: 'busy' }>;

/**
 * beginTurn, retrying while the lock is busy (counting the message only on the first try) until
 * the guard's deadline; then ConversationBusyError.
 */
export async function beginLockedTurn(
  hotStore: HotStore,
  request: Omit<BeginTurnRequest, 'lockToken'>,
  guard: TurnGuard,
): Promise<{ result: LockedTurn; lockToken: string }> {
  const lockToken = randomUUID();
  let result = await hotStore.beginTurn({ ...request, lockToken });
  for (let attempt = 0; result.status === 'busy'; attempt += 1) {
    const delay = RETRY_DELAYS_MS[Math.min(attempt, RETRY_DELAYS_MS.length - 1)] ?? 160;
    if (guard.remainingMs() <= delay) throw new ConversationBusyError();
    await new Promise((resolve) => setTimeout(resolve, delay));
    guard.assertRunning();
    result = await hotStore.beginTurn({ ...request, lockToken, rateLimits: [] });
  }
  return { result, lockToken };
}

/** Renews the lease every third of it until stopped. */
export function keepLeased(hotStore: HotStore, conversationKey: string, lockToken: string, leaseMs: number, onLost: () => void): () => void {
  const timer = setInterval(() => {
    hotStore.renewTurn(conversationKey, lockToken, leaseMs).then(
      (held) => {
        if (!held) onLost();
      },
      () => undefined,
    );
  }, Math.max(50, Math.floor(leaseMs / 3)));
  timer.unref();
  return () => clearInterval(timer);
}
