import type { AppointmentWrite, AuditEntry, Escalation, EscalationWrite, Records } from './records.js';

/** What the turn's commit produced, for the steps that wait for it. */
export interface CommittedTurn {
  escalation: Escalation | null;
}

/**
 * What a domain service works through during a turn. It reads as it likes; its writes are
 * recorded here and made in the turn's one commit, together with the conversation's state,
 * transcript and answer — or not at all. The commit checks that what the service saw (a free
 * slot, a booked appointment, the active escalation) is still so; when it is not, the turn runs
 * again and the service sees the new facts (a slot found taken is reported by `isTaken`).
 */
export interface UnitOfWork {
  reader(): Records;
  changeAppointment(write: AppointmentWrite): void;
  raiseEscalation(write: EscalationWrite): void;
  /** True for a slot an earlier attempt of this turn found taken when it committed. */
  isTaken(doctorId: string, startsAt: Date): boolean;
  /** An audit row, committed with the turn. */
  audit(entry: AuditEntry): void;
  /** Runs after the turn committed; never when it did not. A failure is logged, not the turn's. */
  afterCommit(effect: (committed: CommittedTurn) => Promise<void>): void;
}
