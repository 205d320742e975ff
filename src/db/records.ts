/** src/db — the Records port (src/core/ports/records.ts) on PostgreSQL or PGlite. */
import type { OpenRecords, Records } from '../core/ports/records.js';
import type { SqlDatabase } from './database.js';
import { appointmentRepository } from './queries/appointments.js';
import { auditRepository } from './queries/audit.js';
import { conversationRepository } from './queries/conversations.js';
import { outboxRepository } from './queries/outbox.js';
import { escalationRepository } from './queries/escalations.js';
import { patientRepository } from './queries/patients.js';
import { databaseScope, transactionScope, type QueryScope } from './queries/scope.js';
import { staffRepository } from './queries/staff.js';
import { teamsRepository } from './queries/teams.js';
import { transcriptRepository } from './queries/transcripts.js';

function repositories(scope: QueryScope): Omit<Records, 'transaction' | 'begin' | 'ping' | 'close'> {
  return {
    conversations: conversationRepository(scope),
    outbox: outboxRepository(scope),
    patients: patientRepository(scope),
    appointments: appointmentRepository(scope),
    escalations: escalationRepository(scope),
    transcripts: transcriptRepository(scope),
    audit: auditRepository(scope),
    staff: staffRepository(scope),
    teams: teamsRepository(scope),
  };
}

/**
 * Records bound to one open transaction. A nested `transaction` runs under a savepoint:
 * when its fn throws, only its own changes are undone. Calls on one transaction should be
 * awaited one after another (they share one connection and its savepoints).
 */
function transactionRecords(scope: QueryScope): Records {
  const records: Records = {
    ...repositories(scope),
    transaction: (fn) => scope.atomic(() => fn(records)),
    begin: () => Promise.reject(new Error('Records.begin() is not available inside a transaction')),
    async ping() {
      await scope.sql.query('select 1');
    },
    close() {
      return Promise.reject(new Error('Records.close() is not available inside a transaction'));
    },
  };
  return records;
}

/** The caller owns `db` through the returned Records: `close()` closes the database. */
export function createRecords(db: SqlDatabase): Records {
  return {
    ...repositories(databaseScope(db)),
    transaction: (fn) => db.transaction((tx) => fn(transactionRecords(transactionScope(tx)))),
    async begin(): Promise<OpenRecords> {
      const tx = await db.begin();
      return { ...transactionRecords(transactionScope(tx)), commit: () => tx.commit(), rollback: () => tx.rollback() };
    },
    ping: () => db.ping(),
    close: () => db.close(),
  };
}
