/**
 * The unit of work of one turn: reads go to the database until the first write opens the turn's
 * transaction; audit rows and the turn's own writes (state, answer, transcript, outbox) then go
 * into one statement at the end, and COMMIT. Nothing a turn does is visible before that, and a
 * turn that fails, goes stale or runs out of time commits nothing.
 */
import type { OpenRecords, AuditEntry, Records, TurnCommit, TurnCommitOutcome } from '../core/ports/records.js';
import type { UnitOfWork } from '../core/ports/unit-of-work.js';
import type { TurnGuard } from './turn-guard.js';

/**
 * How long past a turn's deadline its apology waits when a commit's outcome is unknown (the
 * database stopped answering mid-commit): by then the database refuses that commit, even with
 * its clock this far behind ours.
 */
const COMMIT_CLOCK_MARGIN_MS = 1_000;

/** A commit that got no answer: it may still take effect until its deadline. */
export class CommitOutcomeUnknownError extends Error {
  constructor(cause: unknown) {
    super('The database did not answer the commit in time', { cause });
  }
}

export interface AfterCommitLog {
  warn(details: Record<string, unknown>, message: string): void;
}

export class TurnWork implements UnitOfWork {
  private open: OpenRecords | null = null;
  private readonly audits: AuditEntry[] = [];
  private readonly effects: (() => Promise<void>)[] = [];

  constructor(
    private readonly records: Records,
    private readonly guard: TurnGuard,
  ) {}

  reader(): Records {
    return this.open ?? this.records;
  }

  async writer(): Promise<Records> {
    this.guard.assertRunning();
    if (this.open) return this.open;
    const open = await this.records.begin();
    if (this.guard.abandoned) {
      await open.rollback();
      this.guard.assertRunning();
    }
    this.open = open;
    return open;
  }

  audit(entry: AuditEntry): void {
    this.audits.push(entry);
  }

  afterCommit(effect: () => Promise<void>): void {
    this.effects.push(effect);
  }

  /**
   * Commits the turn, or nothing: `answered` and `stale` mean nothing was written. A turn
   * abandoned at its deadline is rolled back here instead.
   */
  async commit(commit: Omit<TurnCommit, 'audit' | 'commitBy'>): Promise<TurnCommitOutcome> {
    if (!this.guard.enterCommit()) {
      await this.rollback();
      throw this.guard.timeoutError();
    }
    const full: TurnCommit = { ...commit, audit: this.audits, commitBy: this.guard.deadlineAt };
    const open = this.open;
    this.open = null;
    try {
      if (!open) return await this.records.conversations.commitTurn(full);
      let outcome: TurnCommitOutcome;
      try {
        outcome = await open.conversations.commitTurn(full);
      } catch (error) {
        await open.rollback();
        throw error;
      }
      if (outcome.outcome === 'committed') await open.commit();
      else await open.rollback();
      return outcome;
    } catch (error) {
      throw await this.settleUnknown(error);
    }
  }

  /**
   * A commit that failed for want of an answer may still be applied when the database comes
   * back — until its deadline, after which the database refuses it. So the patient's apology
   * waits for that moment: then "nothing was done" is true.
   */
  private async settleUnknown(error: unknown): Promise<unknown> {
    if (!isNoAnswer(error)) return error;
    const wait = this.guard.deadlineAt.getTime() + COMMIT_CLOCK_MARGIN_MS - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    return new CommitOutcomeUnknownError(error);
  }

  /** Commits what was written through `writer()` without touching the conversation's state (a staff event the chart ignores). */
  async commitWrites(): Promise<void> {
    if (!this.guard.enterCommit()) {
      await this.rollback();
      throw this.guard.timeoutError();
    }
    const open = this.open;
    this.open = null;
    const target = open ?? this.records;
    try {
      for (const entry of this.audits) await target.audit.record(entry);
    } catch (error) {
      await open?.rollback();
      throw error;
    }
    await open?.commit();
  }

  async rollback(): Promise<void> {
    const open = this.open;
    this.open = null;
    await open?.rollback();
  }

  /** The effects that waited for the commit; a failure is logged, never the turn's. */
  async runAfterCommit(log: AfterCommitLog): Promise<void> {
    for (const effect of this.effects) {
      await effect().catch((error: unknown) => log.warn({ err: error }, 'turn: an after-commit step failed'));
    }
  }
}

/** The driver gave up waiting (pg's client-side query timeout, or the connection was cut). */
function isNoAnswer(error: unknown): boolean {
  return error instanceof Error && /Query read timeout|Connection terminated|Connection is closed/i.test(error.message);
}
