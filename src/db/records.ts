/** src/db — the Records port (src/core/ports/records.ts) on PostgreSQL or PGlite. */
import type { Records } from '../core/ports/records.js';
import type { SqlDatabase } from './database.js';
import { appointmentRepository } from './queries/appointments.js';
import { auditRepository } from './queries/audit.js';
import { escalationRepository } from './queries/escalations.js';
import { patientRepository } from './queries/patients.js';
import { databaseScope, transactionScope, type QueryScope } from './queries/scope.js';
import { staffRepository } from './queries/staff.js';
import { teamsRepository } from './queries/teams.js';
import { transcriptRepository } from './queries/transcripts.js';

function repositories(scope: QueryScope): Omit<Records, 'transaction' | 'ping' | 'close'> {
  return {
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
    ping: () => db.ping(),
    close: () => db.close(),
  };
}
