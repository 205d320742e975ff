import type { AuditEntry, Records } from './records.js';

/**
 * What a domain service writes through during a turn. Everything it writes commits together
 * with the turn's state, transcript and answer, or not at all; what must only happen once the
 * turn has committed (live events, scheduling) waits in `afterCommit`.
 */
export interface UnitOfWork {
  /** Records to read with: the turn's transaction once it has one, so the turn sees its own writes. */
  reader(): Records;
  /** Records to write with: the turn's transaction, opened at its first write. */
  writer(): Promise<Records>;
  /** An audit row, committed with the turn. */
  audit(entry: AuditEntry): void;
  /** Runs after the turn committed; never when it did not. A failure is logged, not the turn's. */
  afterCommit(effect: () => Promise<void>): void;
}
