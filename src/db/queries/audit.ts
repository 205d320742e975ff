/** src/db/queries — the audit log (append-only; the table refuses UPDATE and DELETE). */
import type { AuditEntry, AuditRepository } from '../../core/ports/records.js';
import type { SqlExecutor } from '../database.js';
import { isUuid, type QueryScope } from './scope.js';

interface AuditRow {
  id: string;
  at: Date;
  actor_type: AuditEntry['actorType'];
  actor_id: string;
  action: string;
  patient_id: string | null;
  details: Record<string, unknown> | null;
}

/** Also used by privacy.ts inside its own transaction. */
export async function insertAuditEntry(sql: SqlExecutor, entry: AuditEntry): Promise<void> {
  // Passed as text and cast, so both pg and PGlite send the JSON exactly once-encoded.
  await sql.query(
    `insert into audit_log (actor_type, actor_id, action, patient_id, details)
     values ($1, $2, $3, $4, $5::text::jsonb)`,
    [entry.actorType, entry.actorId, entry.action, entry.patientId, JSON.stringify(entry.details)],
  );
}

export function auditRepository(scope: QueryScope): AuditRepository {
  return {
    record: (entry) => insertAuditEntry(scope.sql, entry),

    /** Oldest first. */
    async listForPatient(patientId) {
      if (!isUuid(patientId)) return [];
      const rows = await scope.sql.query<AuditRow>(
        // Order by a.id, the bigint: a bare `id` would mean the text output column.
        `select a.id::text as id, a.at, a.actor_type, a.actor_id, a.action, a.patient_id, a.details
           from audit_log a
          where a.patient_id = $1
          order by a.id`,
        [patientId],
      );
      return rows.map((row) => ({
        id: row.id,
        at: row.at,
        actorType: row.actor_type,
        actorId: row.actor_id,
        action: row.action,
        patientId: row.patient_id,
        details: row.details ?? {},
      }));
    },
  };
}
