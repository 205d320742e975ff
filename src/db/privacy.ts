/**
 * src/db — SPEC §8 "deleting a patient's data on request, and a retention period for
 * transcripts". Audit rows hold no message text, so they stay (and the table refuses
 * changes anyway); the patient row stays too, blanked, as the audit trail's reference.
 */
import type { ChannelName } from '../core/messages.js';
import type { AuditEntry } from '../core/ports/records.js';
import type { SqlDatabase } from './database.js';
import { insertAuditEntry } from './queries/audit.js';
import { isUuid } from './queries/scope.js';

export interface ErasureResult {
  patientId: string;
  /**
   * Rows deleted per table (states, answers and outbox: the conversations' committed state,
   * answered messages and deliveries; teamsConversations: stored Teams conversation references).
   */
  deleted: {
    messages: number;
    identities: number;
    escalations: number;
    appointments: number;
    states: number;
    answers: number;
    outbox: number;
    teamsConversations: number;
  };
  /** The channel identities that were deleted (e.g. a WhatsApp LID and phone number), for channel data kept elsewhere. */
  identities: { channel: ChannelName; externalId: string }[];
  /**
   * The conversations the patient had: their hot state (Redis snapshots) is not in this
   * database, and the caller should drop it too.
   */
  conversations: { channel: ChannelName; conversationId: string }[];
  /** The appointments deleted: their pending reminder jobs (not in this database) should go too. */
  appointments: { id: string; startsAt: Date; timeSetAt: Date }[];
}

export interface Actor {
  actorType: AuditEntry['actorType'];
  actorId: string;
}

const SYSTEM: Actor = { actorType: 'system', actorId: 'privacy' };

/**
 * Erases a patient's personal data in one transaction and audits it as `patient.erased`.
 * Returns null when there is no such patient. Running it again on an erased patient is
 * harmless (and audited again).
 */
export async function erasePatient(
  db: SqlDatabase,
  patientId: string,
  actor: Actor = SYSTEM,
): Promise<ErasureResult | null> {
  if (!isUuid(patientId)) return null;
  return db.transaction(async (tx) => {
    const found = await tx.query<{ id: string }>('select id from patients where id = $1 for update', [patientId]);
    if (found.length === 0) return null;

    const conversations = await tx.query<{ channel: ChannelName; conversation_id: string }>(
      `select channel, conversation_id from messages where patient_id = $1
       union
       select channel, conversation_id from escalations where patient_id = $1
       union
       select channel, conversation_id from conversation_states where patient_id = $1
       union
       select channel, conversation_id from outbox where patient_id = $1
       order by channel, conversation_id`,
      [patientId],
    );
    const appointments = await tx.query<{ id: string; starts_at: Date; time_set_at: Date }>(
      'select id, starts_at, time_set_at from appointments where patient_id = $1',
      [patientId],
    );
    const identities = await tx.query<{ channel: ChannelName; external_id: string }>(
      'select channel, external_id from patient_identities where patient_id = $1 order by channel, external_id',
      [patientId],
    );
    const [counts] = await tx.query<ErasureResult['deleted']>(
      `with mine as (
              select channel, conversation_id
                from jsonb_to_recordset($2::text::jsonb) as c(channel text, conversation_id text)
            ),
            t as (delete from teams_conversations
                   where user_aad_id in (select external_id from patient_identities where patient_id = $1 and channel = 'teams')
                      or conversation_id in (select conversation_id from mine where channel = 'teams')
                   returning conversation_id),
            d as (delete from teams_deliveries
                   where conversation_id in (select conversation_id from t)
                      or conversation_id in (select conversation_id from mine where channel = 'teams')),
            m as (delete from messages where patient_id = $1 returning 1),
            i as (delete from patient_identities where patient_id = $1 returning 1),
            e as (delete from escalations where patient_id = $1 returning 1),
            a as (delete from appointments where patient_id = $1 returning 1),
            s as (delete from conversation_states c using mine
                   where c.channel = mine.channel and c.conversation_id = mine.conversation_id returning 1),
            r as (delete from inbox c using mine
                   where c.channel = mine.channel and c.conversation_id = mine.conversation_id returning 1),
            o as (delete from outbox c using mine
                   where c.channel = mine.channel and c.conversation_id = mine.conversation_id returning 1)
       select (select count(*) from m)::int as messages,
              (select count(*) from i)::int as identities,
              (select count(*) from e)::int as escalations,
              (select count(*) from a)::int as appointments,
              (select count(*) from s)::int as states,
              (select count(*) from r)::int as answers,
              (select count(*) from o)::int as outbox,
              (select count(*) from t)::int as "teamsConversations"`,
      [patientId, JSON.stringify(conversations)],
    );
    if (!counts) throw new Error('erasure returned no counts');
    await tx.query(
      `update patients
          set display_name = null, preferred_locale = null, erased_at = coalesce(erased_at, now())
        where id = $1`,
      [patientId],
    );
    await insertAuditEntry(tx, {
      ...actor,
      action: 'patient.erased',
      patientId,
      details: { deleted: counts },
    });
    return {
      patientId,
      deleted: counts,
      identities: identities.map((row) => ({ channel: row.channel, externalId: row.external_id })),
      conversations: conversations.map((row) => ({ channel: row.channel, conversationId: row.conversation_id })),
      appointments: appointments.map((row) => ({ id: row.id, startsAt: row.starts_at, timeSetAt: row.time_set_at })),
    };
  });
}

/** What expires besides transcripts: answers kept for redeliveries, idle conversations' state, finished deliveries. */
export interface ExpiryCutoffs {
  answersBefore: Date;
  statesBefore: Date;
  /**
   * Finished deliveries are stamped by the database's clock, so their age is measured by it
   * too: an app clock ahead of the database's must not make a delivery of a moment ago look old.
   */
  deliveryRecordDays: number;
}

/** Deletes what has outlived its use (none of it is in the audit log's business); returns counts. */
export async function purgeExpired(db: SqlDatabase, cutoffs: ExpiryCutoffs): Promise<{ answers: number; states: number; deliveries: number }> {
  const [row] = await db.query<{ answers: number; states: number; deliveries: number }>(
    `with r as (delete from inbox where created_at < $1::timestamptz returning 1),
          s as (delete from conversation_states where updated_at < $2::timestamptz returning 1),
          o as (delete from outbox where status <> 'pending' and finished_at < now() - make_interval(days => $3::int) returning 1)
     select (select count(*) from r)::int as answers,
            (select count(*) from s)::int as states,
            (select count(*) from o)::int as deliveries`,
    [cutoffs.answersBefore, cutoffs.statesBefore, cutoffs.deliveryRecordDays],
  );
  return row ?? { answers: 0, states: 0, deliveries: 0 };
}

/**
 * Transcript retention: deletes transcript messages created before `cutoff` and returns
 * how many. A run that deletes something leaves a `transcripts.purged` audit row.
 */
export async function purgeTranscriptsOlderThan(db: SqlDatabase, cutoff: Date): Promise<number> {
  if (Number.isNaN(cutoff.getTime())) throw new RangeError('Transcript cutoff must be a valid date');
  return db.transaction(async (tx) => {
    const [row] = await tx.query<{ deleted: number }>(
      `with d as (delete from messages where created_at < $1::timestamptz returning 1)
       select count(*)::int as deleted from d`,
      [cutoff],
    );
    const deleted = row?.deleted ?? 0;
    if (deleted > 0) {
      await insertAuditEntry(tx, {
        ...SYSTEM,
        action: 'transcripts.purged',
        patientId: null,
        details: { cutoff: cutoff.toISOString(), deleted },
      });
    }
    return deleted;
  });
}
