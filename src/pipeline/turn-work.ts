/**
 * The unit of work of one turn: the services read as they go and record what they want written;
 * the turn then commits everything in one call — the conversation's state, the answer, the
 * transcript, the audit rows, the outbox, and those writes — or nothing. A turn that fails, goes
 * stale, finds what it relied on changed, or runs out of time commits nothing.
 */
import type {
  AppointmentWrite,
  AuditEntry,
  EscalationWrite,
  OpenRecords,
  Records,
  TurnCommit,
  TurnCommitOutcome,
} from '../core/ports/records.js';
import type { CommittedTurn, UnitOfWork } from '../core/ports/unit-of-work.js';
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

/** What the turn itself adds to its commit; the unit of work adds the services' writes. */
export type TurnOwnWrites = Omit<TurnCommit, 'audit' | 'commitBy' | 'appointments' | 'escalation'>;

/** The key of a slot in `isTaken`'s set. */
export function slotKey(doctorId: string, startsAt: Date): string {
  return `${doctorId}@${startsAt.toISOString()}`;
}

export class TurnWork implements UnitOfWork {
  private readonly audits: AuditEntry[] = [];
  private readonly appointments: AppointmentWrite[] = [];
  private escalation: EscalationWrite | null = null;
  private readonly effects: ((committed: CommittedTurn) => Promise<void>)[] = [];

  constructor(
    private readonly records: Records,
    private readonly guard: TurnGuard,
    /** Slots earlier attempts of this turn found taken at their commit. */
    private readonly taken: ReadonlySet<string> = new Set(),
  ) {}

  reader(): Records {
    return this.records;
  }

  changeAppointment(write: AppointmentWrite): void {
    this.appointments.push(write);
  }

  raiseEscalation(write: EscalationWrite): void {
    this.escalation = write;
  }

  isTaken(doctorId: string, startsAt: Date): boolean {
    return this.taken.has(slotKey(doctorId, startsAt));
  }

  audit(entry: AuditEntry): void {
    this.audits.push(entry);
  }

  afterCommit(effect: (committed: CommittedTurn) => Promise<void>): void {
    this.effects.push(effect);
  }

  /** Commits the turn in one call: `answered`, `stale` and `conflict` mean nothing was written. */
  async commit(own: TurnOwnWrites): Promise<TurnCommitOutcome> {
    this.enterCommit();
    try {
      return await this.records.conversations.commitTurn(this.full(own));
    } catch (error) {
      throw await this.settleUnknown(error);
    }
  }

  /**
   * Commits the turn inside a transaction already holding other changes (a staff action's),
   * then that transaction: all of it, or none of it.
   */
  async commitWith(open: OpenRecords, own: TurnOwnWrites): Promise<TurnCommitOutcome> {
    this.enterCommit();
    let outcome: TurnCommitOutcome;
    try {
      outcome = await open.conversations.commitTurn(this.full(own));
    } catch (error) {
      await open.rollback();
      throw error;
    }
    if (outcome.outcome !== 'committed') {
      await open.rollback();
      return outcome;
    }
    try {
      await open.commit();
    } catch (error) {
      throw await this.settleUnknown(error);
    }
    return outcome;
  }

  /** The effects that waited for the commit; a failure is logged, never the turn's. */
  async runAfterCommit(committed: CommittedTurn, log: AfterCommitLog): Promise<void> {
    for (const effect of this.effects) {
      await effect(committed).catch((error: unknown) => log.warn({ err: error }, 'turn: an after-commit step failed'));
    }
  }

  private enterCommit(): void {
    if (!this.guard.enterCommit()) throw this.guard.timeoutError();
  }

  private full(own: TurnOwnWrites): TurnCommit {
    return {
      ...own,
      audit: this.audits,
      appointments: this.appointments,
      escalation: this.escalation,
      commitBy: this.guard.deadlineAt,
    };
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
}

/** The driver gave up waiting (pg's client-side query timeout, or the connection was cut). */
function isNoAnswer(error: unknown): boolean {
  return error instanceof Error && /Query read timeout|Connection terminated|Connection is closed/i.test(error.message);
}
