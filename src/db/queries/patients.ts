/** src/db/queries — patients and their channel identities. */
import { isLocale, type Locale } from '../../core/locale.js';
import type { Patient, PatientIdentity, PatientRepository } from '../../core/ports/records.js';
import type { SqlExecutor } from '../database.js';
import { isUuid, type QueryScope } from './scope.js';

interface PatientRow {
  id: string;
  preferred_locale: string | null;
  display_name: string | null;
  created_at: Date;
  reminders_off_at: Date | null;
}

const PATIENT_COLUMNS = 'p.id, p.preferred_locale, p.display_name, p.created_at, p.reminders_off_at';

function toPatient(row: PatientRow): Patient {
  return {
    id: row.id,
    preferredLocale: isLocale(row.preferred_locale) ? row.preferred_locale : null,
    displayName: row.display_name,
    createdAt: row.created_at,
    remindersOff: row.reminders_off_at !== null,
  };
}

async function findByIdentity(sql: SqlExecutor, identity: PatientIdentity): Promise<Patient | null> {
  const rows = await sql.query<PatientRow>(
    `select ${PATIENT_COLUMNS}
       from patient_identities i
       join patients p on p.id = i.patient_id
      where i.channel = $1 and i.external_id = $2 and p.erased_at is null`,
    [identity.channel, identity.externalId],
  );
  const row = rows[0];
  return row ? toPatient(row) : null;
}

/** Erased patients are gone for the domain: lookups skip them (their identities are deleted). */
export function patientRepository(scope: QueryScope): PatientRepository {
  return {
    async findOrCreateByIdentity(identity, init) {
      const existing = await findByIdentity(scope.sql, identity);
      if (existing) return existing;
      return scope.atomic(async (sql) => {
        const [created] = await sql.query<PatientRow>(
          `insert into patients as p (display_name) values ($1) returning ${PATIENT_COLUMNS}`,
          [init.displayName ?? null],
        );
        if (!created) throw new Error('insert into patients returned no row');
        // Two first messages at once: the second insert waits for the first transaction,
        // then does nothing; that caller drops its own patient row and takes the winner's.
        const linked = await sql.query<{ patient_id: string }>(
          `insert into patient_identities (channel, external_id, patient_id) values ($1, $2, $3)
           on conflict (channel, external_id) do nothing
           returning patient_id`,
          [identity.channel, identity.externalId, created.id],
        );
        if (linked.length > 0) return toPatient(created);
        await sql.query('delete from patients where id = $1', [created.id]);
        const winner = await findByIdentity(sql, identity);
        if (!winner) throw new Error(`A ${identity.channel} identity points at an erased patient`);
        return winner;
      });
    },

    findByIdentity(identity) {
      return findByIdentity(scope.sql, identity);
    },

    async findById(patientId) {
      if (!isUuid(patientId)) return null;
      const rows = await scope.sql.query<PatientRow>(
        `select ${PATIENT_COLUMNS} from patients p where p.id = $1 and p.erased_at is null`,
        [patientId],
      );
      const row = rows[0];
      return row ? toPatient(row) : null;
    },

    async setPreferredLocale(patientId: string, locale: Locale) {
      if (!isUuid(patientId)) return;
      await scope.sql.query('update patients set preferred_locale = $2 where id = $1 and erased_at is null', [
        patientId,
        locale,
      ]);
    },

    async linkIdentity(patientId, identity) {
      if (!isUuid(patientId)) return false;
      const inserted = await scope.sql.query<{ patient_id: string }>(
        `insert into patient_identities (channel, external_id, patient_id)
         select $1, $2, p.id from patients p where p.id = $3 and p.erased_at is null
         on conflict (channel, external_id) do nothing
         returning patient_id`,
        [identity.channel, identity.externalId, patientId],
      );
      if (inserted.length > 0) return true;
      // Not inserted: the patient is unknown or erased, or the identity already has an owner.
      const owner = await scope.sql.query<{ patient_id: string }>(
        'select patient_id from patient_identities where channel = $1 and external_id = $2',
        [identity.channel, identity.externalId],
      );
      return owner[0]?.patient_id === patientId;
    },
  };
}
