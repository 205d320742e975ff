/**
 * The unit of work of one turn: reads go to the database until the first write opens the turn's
 * transaction; audit rows and the turn's own writes (state, answer, transcript, outbox) then go
 * into one statement at the end, and COMMIT. Nothing a turn does is visible before that, and a
 * turn that fails, goes stale or runs out of time commits nothing.
 */
import type { OpenRecords, AuditEntry, Records, TurnCommit, TurnCommitOutcome } from '../core/ports/records.js';
import type { UnitOfWork } from '../core/ports/unit-of-work.js';
import type { TurnGuard } from './turn-guard.js';

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
  async commit(commit: Omit<TurnCommit, 'audit'>): Promise<TurnCommitOutcome> {
    if (!this.guard.enterCommit()) {
      await this.rollback();
      throw this.guard.timeoutError();
    }
    const full: TurnCommit = { ...commit, audit: this.audits };
    const open = this.open;
    if (!open) return this.records.conversations.commitTurn(full);
    this.open = null;
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
