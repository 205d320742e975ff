/**
 * The time limit of one turn. Until its commit begins, a turn that reaches its deadline is
 * abandoned: the patient gets the timeout apology at once, and whatever the turn was still doing
 * can no longer commit (it finds itself abandoned at the commit and rolls back). Once the commit
 * has begun, its outcome is waited for instead — bounded by the database's own timeouts — so
 * the patient is told what was really committed.
 */
import { TurnTimeoutError } from '../conversation/engine.js';

type Phase = 'running' | 'committing' | 'abandoned';

export class TurnGuard {
  private phase: Phase = 'running';

  constructor(
    private readonly deadline: number,
    private readonly limitMs: number,
  ) {}

  /** The instant the turn is given up; the database refuses its commit after this. */
  get deadlineAt(): Date {
    return new Date(this.deadline);
  }

  /** Milliseconds left before the deadline (0 once it has passed). */
  remainingMs(): number {
    return Math.max(0, this.deadline - Date.now());
  }

  get abandoned(): boolean {
    return this.phase === 'abandoned';
  }

  /** Throws when the turn was abandoned: it must not start anything more. */
  assertRunning(): void {
    if (this.phase === 'abandoned') throw this.timeoutError();
  }

  timeoutError(): TurnTimeoutError {
    return new TurnTimeoutError(this.limitMs);
  }

  /** True when the turn may commit; from now on the deadline waits for the commit's outcome. */
  enterCommit(): boolean {
    if (this.phase === 'abandoned') return false;
    this.phase = 'committing';
    return true;
  }

  /** A turn may commit more than once only after a stale attempt rolled back: it runs again. */
  reopen(): void {
    if (this.phase === 'committing') this.phase = 'running';
  }

  /** The outcome of `work`, or a TurnTimeoutError at the deadline if its commit has not begun by then. */
  race<T>(work: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (this.phase !== 'running') return;
        this.phase = 'abandoned';
        reject(this.timeoutError());
      }, this.remainingMs());
      work.then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error);
        },
      );
    });
  }
}
